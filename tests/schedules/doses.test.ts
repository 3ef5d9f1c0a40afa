import { describe, expect, it } from 'vitest'
import {
  expandDoses,
  localize,
  nextOccurrence,
  type AlarmDef,
  type VersionSpan,
  type ZoneSpan
} from '../../src/main/core/schedules/doses'

const at = (s: string) => Date.parse(s)
const iso = (ms: number) => new Date(ms).toISOString()
const EVERY_DAY = 0b1111111

function alarm(id: number, time: string, extra: Partial<AlarmDef> = {}): AlarmDef {
  return {
    alarm_id: id,
    label: `Alarm ${id}`,
    time,
    days_mask: EVERY_DAY,
    window_min: 60,
    compartment: null,
    pill_count: null,
    ...extra
  }
}

const zone = (name: string): ZoneSpan[] => [{ zone: name, from: 0, until: null }]
const version = (alarms: AlarmDef[], from = 0, until: number | null = null): VersionSpan => ({
  version: 1,
  from,
  until,
  alarms
})

describe('dose expansion', () => {
  it('a 09:00 dose stays 09:00 on the Madrid wall clock across both DST changes', () => {
    for (const [first, last] of [
      ['2025-03-28', '2025-04-01'],
      ['2025-10-24', '2025-10-28']
    ]) {
      const doses = expandDoses(
        [version([alarm(1, '09:00')])],
        zone('Europe/Madrid'),
        at(`${first}T00:00:00Z`),
        at(`${last}T00:00:00Z`)
      )
      expect(doses.map((d) => localize('Europe/Madrid', d.at).local_time)).toEqual([
        '09:00',
        '09:00',
        '09:00',
        '09:00'
      ])
      // …which is a different UTC hour after the change.
      expect(new Set(doses.map((d) => iso(d.at).slice(11, 16))).size).toBe(2)
    }
  })

  it('Santiago: a 09:00 dose stays 09:00 around April and September changes; midnight doses survive the skipped midnight', () => {
    const santiago = zone('America/Santiago')
    const april = expandDoses(
      [version([alarm(1, '09:00')])],
      santiago,
      at('2025-04-04T12:00:00Z'),
      at('2025-04-08T12:00:00Z')
    )
    expect(april.map((d) => iso(d.at))).toEqual([
      '2025-04-04T12:00:00.000Z', // -03
      '2025-04-05T12:00:00.000Z',
      '2025-04-06T13:00:00.000Z', // -04 from the night of the 5th
      '2025-04-07T13:00:00.000Z'
    ])
    const september = expandDoses(
      [version([alarm(1, '00:00'), alarm(2, '09:00')])],
      santiago,
      at('2025-09-06T00:00:00Z'),
      at('2025-09-09T00:00:00Z')
    )
    const wall = (ms: number) => Object.values(localize('America/Santiago', ms)).join(' ')
    expect(september.map((d) => wall(d.at))).toEqual([
      '2025-09-06 00:00',
      '2025-09-06 09:00',
      '2025-09-07 01:00', // midnight did not exist that night: the dose is due at the next minute
      '2025-09-07 09:00',
      '2025-09-08 00:00',
      '2025-09-08 09:00'
    ])
  })

  it('days of the week are local days (bit 0 = Sunday)', () => {
    const mondays = expandDoses(
      [version([alarm(1, '23:30', { days_mask: 1 << 1 })])],
      zone('America/Santiago'),
      at('2025-06-01T00:00:00Z'),
      at('2025-06-15T00:00:00Z')
    )
    // 23:30 on a Monday in Santiago is already Tuesday in UTC.
    expect(mondays.map((d) => iso(d.at))).toEqual([
      '2025-06-03T03:30:00.000Z',
      '2025-06-10T03:30:00.000Z'
    ])
  })

  it('each dose follows the version in force at its time', () => {
    const edit = at('2025-05-10T08:30:00Z')
    const v1: VersionSpan = { version: 1, from: 0, until: edit, alarms: [alarm(1, '09:00')] }
    const v2: VersionSpan = { version: 2, from: edit, until: null, alarms: [alarm(1, '11:00')] }
    const doses = expandDoses(
      [v1, v2],
      zone('UTC'),
      at('2025-05-09T00:00:00Z'),
      at('2025-05-12T00:00:00Z')
    )
    expect(doses.map((d) => [iso(d.at), d.schedule_version])).toEqual([
      ['2025-05-09T09:00:00.000Z', 1],
      // The 09:00 of the 10th was still in the future at the edit: it is gone, 11:00 replaces it.
      ['2025-05-10T11:00:00.000Z', 2],
      ['2025-05-11T11:00:00.000Z', 2]
    ])
  })

  it('each dose follows the time zone in force at its time', () => {
    const move = at('2025-05-10T12:00:00Z')
    const zones: ZoneSpan[] = [
      { zone: 'Europe/Madrid', from: 0, until: move },
      { zone: 'America/Santiago', from: move, until: null }
    ]
    const doses = expandDoses(
      [version([alarm(1, '09:00')])],
      zones,
      at('2025-05-09T00:00:00Z'),
      at('2025-05-12T00:00:00Z')
    )
    expect(doses.map((d) => iso(d.at))).toEqual([
      '2025-05-09T07:00:00.000Z', // 09:00 Madrid
      '2025-05-10T07:00:00.000Z',
      // The move came at 08:00 Santiago time, so 09:00 comes round again there that day.
      '2025-05-10T13:00:00.000Z',
      '2025-05-11T13:00:00.000Z' // 09:00 Santiago
    ])
  })

  it('a version with no alarms schedules nothing', () => {
    expect(expandDoses([version([])], zone('UTC'), 0, at('2025-01-10T00:00:00Z'))).toEqual([])
  })

  it('nextOccurrence finds the next ring on an allowed day', () => {
    const a = alarm(1, '09:00', { days_mask: 1 << 3 }) // Wednesdays
    const next = nextOccurrence(a, 'Europe/Madrid', at('2025-03-27T10:00:00Z')) // a Thursday
    expect(iso(next!)).toBe('2025-04-02T07:00:00.000Z')
  })
})
