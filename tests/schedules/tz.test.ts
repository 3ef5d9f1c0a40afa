import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  localDateOf,
  localTimeOf,
  inDailyWindow,
  localToUtc,
  shortLocalTime,
  startOfDayAt,
  startOfLocalDay,
  utcOffsetSeconds,
  wallClock,
  yearTransitions
} from '../../src/shared/time-zone'
import { posixTz, tzInfo } from '../../src/main/core/schedules/posix-tz'

const iso = (ms: number) => new Date(ms).toISOString()
const at = (s: string) => Date.parse(s)

/**
 * Instants to compare at: every 6 h of the year, and every 15 min for 3 days around each change
 * (where a wrong rule would show).
 */
function samples(zone: string, from: number, to: number): number[] {
  const out: number[] = []
  for (let t = from; t < to; t += 6 * 3_600_000) out.push(t)
  for (let y = new Date(from).getUTCFullYear(); y <= new Date(to).getUTCFullYear(); y++)
    for (const tr of yearTransitions(zone, y))
      for (let t = tr.at - 3 * 86_400_000; t < tr.at + 3 * 86_400_000; t += 900_000)
        if (t >= from && t < to) out.push(t)
  return out
}

/**
 * A small POSIX TZ evaluator (the subset newlib and glibc share), so the strings we hand devices
 * are checked by what they do rather than by how they look.
 */
function posixOffsetAt(tz: string, ms: number): number {
  const name = String.raw`(?:<[^>]+>|[A-Za-z]+)`
  const off = String.raw`([+-]?\d+(?::\d\d){0,2})`
  const rule = String.raw`M(\d+)\.(\d)\.(\d)(?:/(\d+(?::\d\d){0,2}))?`
  const m = new RegExp(`^${name}${off}(?:${name}${off}?,${rule},${rule})?$`).exec(tz)
  if (!m) throw new Error(`unparseable TZ ${tz}`)
  const secs = (s: string) => {
    const sign = s.startsWith('-') ? -1 : 1
    const [h = 0, mi = 0, se = 0] = s.replace(/^[+-]/, '').split(':').map(Number)
    return sign * (h * 3600 + mi * 60 + se)
  }
  const std = -secs(m[1]!)
  if (!m[3]) return std
  const dst = m[2] ? -secs(m[2]) : std + 3600
  const instant = (
    year: number,
    mo: string,
    w: string,
    d: string,
    time: string | undefined,
    before: number
  ) => {
    const month = Number(mo)
    const first = new Date(Date.UTC(year, month - 1, 1)).getUTCDay()
    let day = 1 + ((Number(d) - first + 7) % 7) + 7 * (Number(w) - 1)
    const dim = new Date(Date.UTC(year, month, 0)).getUTCDate()
    while (day > dim) day -= 7
    return Date.UTC(year, month - 1, day) + (time ? secs(time) : 7200) * 1000 - before * 1000
  }
  const year = new Date(ms).getUTCFullYear()
  const start = instant(year, m[3], m[4]!, m[5]!, m[6], std)
  const end = instant(year, m[7]!, m[8]!, m[9]!, m[10], dst)
  const inDst = start < end ? ms >= start && ms < end : ms >= start || ms < end
  return inDst ? dst : std
}

describe('time zones', () => {
  it('POSIX TZ strings match glibc for the zones families use', () => {
    const now = at('2026-06-01T12:00:00Z')
    expect(posixTz('Europe/Madrid', now)).toBe('CET-1CEST,M3.5.0,M10.5.0/3')
    expect(posixTz('America/Santiago', now)).toBe('<-04>4<-03>,M9.1.6/24,M4.1.6/24')
    expect(posixTz('UTC', now)).toBe('UTC0')
    expect(posixTz('Asia/Kolkata', now)).toBe('<+0530>-5:30')
    expect(posixTz('America/New_York', now)).toBe('EST5EDT,M3.2.0,M11.1.0')
    expect(posixTz('Europe/London', now)).toBe('GMT0BST,M3.5.0/1,M10.5.0')
  })

  it.each([
    'Europe/Madrid',
    'America/Santiago',
    'America/New_York',
    'Europe/London',
    'Australia/Sydney',
    'Australia/Lord_Howe',
    'Pacific/Chatham',
    'America/Havana',
    'Asia/Kolkata',
    'America/Sao_Paulo',
    'UTC'
  ])('the POSIX string for %s gives the same offset as the zone all year round', (zone) => {
    for (const year of [2025, 2026]) {
      const tz = posixTz(zone, Date.UTC(year, 5, 1))
      // Skip the first and last day: the POSIX year is local, our sampling's is UTC.
      for (const t of samples(zone, Date.UTC(year, 0, 2), Date.UTC(year, 11, 30))) {
        const want = utcOffsetSeconds(zone, t)
        if (posixOffsetAt(tz, t) !== want) throw new Error(`${zone} ${tz} wrong at ${iso(t)}`)
      }
    }
  })

  it('the Madrid and Santiago rules also hold in the following years', () => {
    for (const zone of ['Europe/Madrid', 'America/Santiago']) {
      const tz = posixTz(zone, at('2026-01-15T00:00:00Z'))
      for (const t of samples(zone, Date.UTC(2027, 0, 2), Date.UTC(2033, 11, 30))) {
        if (posixOffsetAt(tz, t) !== utcOffsetSeconds(zone, t))
          throw new Error(`${zone} ${tz} wrong at ${iso(t)}`)
      }
    }
  })

  it('tzInfo gives the name, the POSIX string and the current offset', () => {
    expect(tzInfo('Europe/Madrid', at('2025-07-01T10:00:00Z'))).toEqual({
      name: 'Europe/Madrid',
      posix: 'CET-1CEST,M3.5.0,M10.5.0/3',
      utc_offset_s: 7200
    })
    expect(tzInfo('America/Santiago', at('2025-07-01T10:00:00Z')).utc_offset_s).toBe(-4 * 3600)
    expect(tzInfo('Asia/Kolkata', at('2025-07-01T10:00:00Z')).utc_offset_s).toBe(19_800)
  })

  it('09:00 local is 08:00Z in Madrid winter and 07:00Z in summer, either side of the change', () => {
    expect(iso(localToUtc('Europe/Madrid', '2025-03-29', 9 * 60))).toBe('2025-03-29T08:00:00.000Z')
    expect(iso(localToUtc('Europe/Madrid', '2025-03-30', 9 * 60))).toBe('2025-03-30T07:00:00.000Z')
    expect(iso(localToUtc('Europe/Madrid', '2025-10-25', 9 * 60))).toBe('2025-10-25T07:00:00.000Z')
    expect(iso(localToUtc('Europe/Madrid', '2025-10-26', 9 * 60))).toBe('2025-10-26T08:00:00.000Z')
  })

  it('a wall time the clocks skip becomes the next minute that exists', () => {
    // Madrid, 30 March 2025: 02:00 → 03:00.
    expect(iso(localToUtc('Europe/Madrid', '2025-03-30', 2 * 60 + 30))).toBe(
      '2025-03-30T01:00:00.000Z'
    )
    // Santiago, 7 September 2025: midnight does not exist, the day starts at 01:00.
    expect(iso(startOfLocalDay('America/Santiago', '2025-09-07'))).toBe('2025-09-07T04:00:00.000Z')
    expect(localTimeOf('America/Santiago', startOfLocalDay('America/Santiago', '2025-09-07'))).toBe(
      '01:00'
    )
  })

  it('a wall time that happens twice is the first of the two', () => {
    // Madrid, 26 October 2025: 02:30 CEST (00:30Z), then 02:30 CET (01:30Z).
    expect(iso(localToUtc('Europe/Madrid', '2025-10-26', 2 * 60 + 30))).toBe(
      '2025-10-26T00:30:00.000Z'
    )
    // Santiago, 5 April 2025 (Saturday): 23:30 at -03 (02:30Z), then at -04 (03:30Z).
    expect(iso(localToUtc('America/Santiago', '2025-04-05', 23 * 60 + 30))).toBe(
      '2025-04-06T02:30:00.000Z'
    )
  })

  it('property: localToUtc lands on the asked wall time, or just after a gap', () => {
    const zones = ['Europe/Madrid', 'America/Santiago', 'America/New_York', 'Asia/Kolkata', 'UTC']
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.date({ min: new Date('2024-01-01'), max: new Date('2028-12-31'), noInvalidDate: true }),
        fc.integer({ min: 0, max: 1439 }),
        (zone, day, minute) => {
          const date = day.toISOString().slice(0, 10)
          const u = localToUtc(zone, date, minute)
          const w = wallClock(zone, u)
          const got = localDateOf(zone, u) === date ? w.hour * 60 + w.minute : Infinity
          // Exact, or (in a gap) within the hour after and no earlier instant shows the time.
          if (got === minute) {
            expect(utcOffsetSeconds(zone, u - 3_600_000) * 1000 + u - 3_600_000).not.toBe(
              Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute)
            )
            return
          }
          expect(got).toBeGreaterThan(minute)
          expect(got - minute).toBeLessThanOrEqual(60)
        }
      ),
      { numRuns: 300 }
    )
  })

  it('quiet hours, the alerts\' clock and "today" read the same wall clock as the schedules', () => {
    const madrid = 'Europe/Madrid'
    // 22:30 and 06:59 local (summer, UTC+2) are inside 22:00–07:00; 07:00 is not.
    expect(inDailyWindow(madrid, Date.parse('2025-07-01T20:30:00Z'), '22:00', '07:00')).toBe(true)
    expect(inDailyWindow(madrid, Date.parse('2025-07-02T04:59:00Z'), '22:00', '07:00')).toBe(true)
    expect(inDailyWindow(madrid, Date.parse('2025-07-02T05:00:00Z'), '22:00', '07:00')).toBe(false)
    // 14:00 local is inside 13:00–15:00, 12:00 is not; an empty window holds nothing.
    expect(inDailyWindow(madrid, Date.parse('2025-07-02T12:00:00Z'), '13:00', '15:00')).toBe(true)
    expect(inDailyWindow(madrid, Date.parse('2025-07-02T10:00:00Z'), '13:00', '15:00')).toBe(false)
    expect(inDailyWindow(madrid, Date.parse('2025-07-02T12:00:00Z'), '08:00', '08:00')).toBe(false)
    // Same local day: the time alone; another day: day/month first.
    const now = Date.parse('2025-11-25T10:00:00Z')
    expect(shortLocalTime(madrid, Date.parse('2025-11-25T08:00:00Z'), now)).toBe('09:00')
    expect(shortLocalTime(madrid, Date.parse('2025-11-24T23:30:00Z'), now)).toBe('00:30')
    expect(shortLocalTime(madrid, Date.parse('2025-11-24T22:30:00Z'), now)).toBe('24/11 23:30')
    // The day the clocks go back is 25 hours long; it starts at local midnight all the same.
    expect(new Date(startOfDayAt(madrid, Date.parse('2025-10-26T20:00:00Z'))).toISOString()).toBe(
      '2025-10-25T22:00:00.000Z'
    )
  })
})
