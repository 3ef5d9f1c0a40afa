/**
 * The one time-zone module (the core and the dashboard): wall time ⇄ UTC in the family's zone, local dates and
 * times, DST transitions. Intl alone: the app ships no tz database of its own, and the
 * runtime's ICU data is what the rest of the app (and the dashboard) already uses, so they
 * always agree. (The ESP32's POSIX TZ string is built from it in schedules/posix-tz.ts.)
 *
 * Instants are ms since the epoch; local dates travel as `YYYY-MM-DD` strings and times of day
 * as minutes since midnight or "HH:MM".
 */

const MINUTE_MS = 60_000
const DAY_MS = 86_400_000

const wallFormatters = new Map<string, Intl.DateTimeFormat>()

function wallFormatter(zone: string): Intl.DateTimeFormat {
  let f = wallFormatters.get(zone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric'
    })
    wallFormatters.set(zone, f)
  }
  return f
}

export function isTimeZone(zone: string): boolean {
  try {
    wallFormatter(zone)
    return true
  } catch {
    return false
  }
}

export interface WallClock {
  year: number
  month: number
  day: number
  hour: number
  minute: number
  second: number
}

/** What a clock on the wall in `zone` shows at the instant `ms`. */
export function wallClock(zone: string, ms: number): WallClock {
  const out: WallClock = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 }
  for (const part of wallFormatter(zone).formatToParts(ms)) {
    if (part.type in out) out[part.type as keyof WallClock] = Number(part.value)
  }
  return out
}

/** Local time minus UTC at the instant, in seconds (Madrid in summer: 7200). */
export function utcOffsetSeconds(zone: string, ms: number): number {
  const w = wallClock(zone, ms)
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second)
  return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 1000)
}

export const pad = (n: number, width = 2) => String(n).padStart(width, '0')

export function formatDate(year: number, month: number, day: number): string {
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`
}

export function parseDate(date: string): { year: number; month: number; day: number } {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number]
  return { year, month, day }
}

export function addDays(date: string, days: number): string {
  const { year, month, day } = parseDate(date)
  const d = new Date(Date.UTC(year, month - 1, day + days))
  return formatDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate())
}

/** Day of the week as struct tm's tm_wday: 0 = Sunday … 6 = Saturday. */
export function weekdayOf(date: string): number {
  const { year, month, day } = parseDate(date)
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay()
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate()
}

/** Whole days from a to b (b − a), both local dates. */
export function daysBetween(a: string, b: string): number {
  const pa = parseDate(a)
  const pb = parseDate(b)
  return Math.round(
    (Date.UTC(pb.year, pb.month - 1, pb.day) - Date.UTC(pa.year, pa.month - 1, pa.day)) / DAY_MS
  )
}

export function localDateOf(zone: string, ms: number): string {
  const w = wallClock(zone, ms)
  return formatDate(w.year, w.month, w.day)
}

export function localTimeOf(zone: string, ms: number): string {
  const w = wallClock(zone, ms)
  return `${pad(w.hour)}:${pad(w.minute)}`
}

export function parseClockTime(time: string): number {
  const [h, m] = time.split(':').map(Number) as [number, number]
  return h * 60 + m
}

/**
 * The UTC instant at which a clock in `zone` shows `date` at `minuteOfDay`.
 *
 * A wall time the clocks skip (02:30 on a spring-forward night in Madrid) becomes the next minute
 * that exists (03:00): the dose is due as soon as the day gets there. A wall time that happens
 * twice (02:30 on the autumn night) is the first of the two: the alarm rings once, the first time.
 */
export function localToUtc(zone: string, date: string, minuteOfDay: number): number {
  const { year, month, day } = parseDate(date)
  const wall = Date.UTC(year, month - 1, day) + minuteOfDay * MINUTE_MS
  // Every offset in force within a day either side: the answer uses one of them.
  const offsets = [
    ...new Set([wall - DAY_MS, wall, wall + DAY_MS].map((t) => utcOffsetSeconds(zone, t)))
  ]
  const valid = offsets
    .map((off) => wall - off * 1000)
    .filter((u) => utcOffsetSeconds(zone, u) * 1000 === wall - u)
  if (valid.length) return Math.min(...valid)
  // In a gap: the transition instant lies between reading the wall time with the later (larger)
  // offset and with the earlier one.
  const lo = wall - Math.max(...offsets) * 1000
  const hi = wall - Math.min(...offsets) * 1000
  const at = findChange(zone, lo, hi)
  return Math.ceil(at / MINUTE_MS) * MINUTE_MS
}

export function startOfLocalDay(zone: string, date: string): number {
  return localToUtc(zone, date, 0)
}

/** The instant local midnight began on the day of `ms` in `zone`. */
export function startOfDayAt(zone: string, ms: number): number {
  return startOfLocalDay(zone, localDateOf(zone, ms))
}

/** Whether `ms` falls in a daily local window "22:00"–"07:00" (which may cross midnight). */
export function inDailyWindow(zone: string, ms: number, start: string, end: string): boolean {
  const w = wallClock(zone, ms)
  const m = w.hour * 60 + w.minute
  const s = parseClockTime(start)
  const e = parseClockTime(end)
  if (s === e) return false
  return s < e ? m >= s && m < e : m >= s || m < e
}

/** "09:00", or "25/11 09:00" when `ms` is not on the same local day as `nowMs`. */
export function shortLocalTime(zone: string, ms: number, nowMs: number): string {
  const time = localTimeOf(zone, ms)
  const date = localDateOf(zone, ms)
  if (date === localDateOf(zone, nowMs)) return time
  return `${date.slice(8, 10)}/${date.slice(5, 7)} ${time}`
}

/** First instant in (lo, hi] whose offset differs from lo's (second precision). */
function findChange(zone: string, lo: number, hi: number): number {
  const before = utcOffsetSeconds(zone, lo)
  lo = Math.floor(lo / 1000) * 1000
  hi = Math.ceil(hi / 1000) * 1000
  while (hi - lo > 1000) {
    const mid = lo + Math.floor((hi - lo) / 2000) * 1000
    if (utcOffsetSeconds(zone, mid) === before) lo = mid
    else hi = mid
  }
  return hi
}

export interface Transition {
  /** The first instant of the new offset. */
  at: number
  /** Offsets in seconds, local minus UTC. */
  before: number
  after: number
}

const yearTransitionCache = new Map<string, Transition[]>()

/** Offset changes during a calendar year (UTC), found by a daily scan and a binary search. */
export function yearTransitions(zone: string, year: number): Transition[] {
  const key = `${zone}|${year}`
  const cached = yearTransitionCache.get(key)
  if (cached) return cached
  const out: Transition[] = []
  const end = Date.UTC(year + 1, 0, 1)
  let t = Date.UTC(year, 0, 1)
  let off = utcOffsetSeconds(zone, t)
  while (t < end) {
    const next = Math.min(t + DAY_MS, end)
    const nextOff = utcOffsetSeconds(zone, next)
    if (nextOff !== off) {
      const at = findChange(zone, t, next)
      out.push({ at, before: off, after: utcOffsetSeconds(zone, at) })
    }
    t = next
    off = nextOff
  }
  yearTransitionCache.set(key, out)
  return out
}
