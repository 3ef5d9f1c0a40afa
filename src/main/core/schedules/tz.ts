/**
 * Time-zone math on Intl alone: the app ships no tz database of its own, and the runtime's ICU
 * data is what the rest of the app (and the dashboard) already uses, so they always agree.
 *
 * Local dates travel as `YYYY-MM-DD` strings and times of day as minutes since midnight.
 */

const MINUTE_MS = 60_000
const HOUR_MS = 3_600_000
const DAY_MS = 86_400_000

const wallFormatters = new Map<string, Intl.DateTimeFormat>()
const nameFormatters = new Map<string, Intl.DateTimeFormat>()

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

const pad = (n: number, width = 2) => String(n).padStart(width, '0')

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

/** POSIX offsets count west of Greenwich: local UTC+1 is "-1". */
function posixOffset(localOffsetS: number): string {
  const west = -localOffsetS
  return `${west < 0 ? '-' : ''}${hms(Math.abs(west))}`
}

function hms(seconds: number): string {
  const h = Math.floor(seconds / 3600)
  const m = Math.floor((seconds % 3600) / 60)
  const s = seconds % 60
  return `${h}${m || s ? `:${pad(m)}` : ''}${s ? `:${pad(s)}` : ''}`
}

/**
 * The zone's abbreviation when ICU knows a real one ("CET", "EST"), else the numeric form POSIX
 * allows in angle brackets ("<-04>", "<+0530>"), which is what tzdata itself uses for zones
 * without an abbreviation in common use.
 */
function abbreviation(zone: string, ms: number, offsetS: number): string {
  for (const locale of ['en-US', 'en-GB']) {
    const key = `${locale}|${zone}`
    let f = nameFormatters.get(key)
    if (!f) {
      f = new Intl.DateTimeFormat(locale, { timeZone: zone, timeZoneName: 'short' })
      nameFormatters.set(key, f)
    }
    const name = f.formatToParts(ms).find((p) => p.type === 'timeZoneName')?.value ?? ''
    if (/^[A-Za-z]{3,6}$/.test(name) && !((name === 'GMT' || name === 'UTC') && offsetS !== 0))
      return name
  }
  const abs = Math.abs(offsetS)
  const minutes = Math.floor((abs % 3600) / 60)
  return `<${offsetS < 0 ? '-' : '+'}${pad(Math.floor(abs / 3600))}${minutes ? pad(minutes) : ''}>`
}

interface PosixRule {
  month: number
  week: number // 1-4, or 5 = last
  weekday: number // 0 = Sunday
  time: number // seconds after local midnight, in the offset in force before the change
}

function ruleText(r: PosixRule): string {
  return `M${r.month}.${r.week}.${r.weekday}${r.time === 7200 ? '' : `/${hms(r.time)}`}`
}

function ruleInstant(r: PosixRule, year: number, beforeOffsetS: number): number | undefined {
  const firstWeekday = new Date(Date.UTC(year, r.month - 1, 1)).getUTCDay()
  let day = 1 + ((r.weekday - firstWeekday + 7) % 7) + 7 * (r.week - 1)
  const dim = daysInMonth(year, r.month)
  if (r.week === 5) while (day > dim) day -= 7
  else if (day > dim) return undefined
  return Date.UTC(year, r.month - 1, day) + r.time * 1000 - beforeOffsetS * 1000
}

/** Years checked to choose between rules that fit this year equally well. */
const RULE_CHECK_YEARS = 8

/**
 * The Mm.w.d/time rule for one transition. One year cannot tell "last Sunday" from "4th Sunday",
 * nor "Sunday at 0:00" from "Saturday at 24:00" (Chile's Sun>=2, which glibc writes M9.1.6/24), so
 * every candidate is checked against the transitions of the following years and the one that
 * predicts most of them wins.
 */
function ruleFor(zone: string, tr: Transition): PosixRule {
  const local = tr.at + tr.before * 1000
  const d = new Date(local)
  const year = d.getUTCFullYear()
  const month = d.getUTCMonth() + 1
  const day = d.getUTCDate()
  const seconds = Math.round((local - Date.UTC(year, month - 1, day)) / 1000)
  const candidates: PosixRule[] = []
  for (const shift of [0, -1]) {
    const dd = day + shift
    if (dd < 1) continue
    const weekday = new Date(Date.UTC(year, month - 1, dd)).getUTCDay()
    const week = Math.ceil(dd / 7)
    const time = seconds - shift * 86_400
    candidates.push({ month, week, weekday, time })
    if (dd + 7 > daysInMonth(year, month) && week !== 5)
      candidates.push({ month, week: 5, weekday, time })
  }
  let best = candidates[0]!
  let bestScore = -1
  for (const c of candidates) {
    let score = 0
    for (let y = year; y < year + RULE_CHECK_YEARS; y++) {
      const predicted = ruleInstant(c, y, tr.before)
      if (yearTransitions(zone, y).some((t) => t.after === tr.after && t.at === predicted)) score++
    }
    if (score > bestScore) {
      best = c
      bestScore = score
    }
  }
  return best
}

const posixCache = new Map<string, string>()

/**
 * A POSIX TZ string (`setenv("TZ", …); tzset()` on an ESP32) that reproduces the zone's offsets
 * for the year of `atMs`: "CET-1CEST,M3.5.0,M10.5.0/3" for Europe/Madrid. A zone whose rules
 * change that year (or that has more than one summer) gets its current offset only; the
 * heartbeat's utc_offset_s keeps such devices right.
 */
export function posixTz(zone: string, atMs: number): string {
  const year = new Date(atMs).getUTCFullYear()
  const trs = yearTransitions(zone, year)
  const regular =
    trs.length === 2 &&
    trs[0]!.after === trs[1]!.before &&
    trs[1]!.after === trs[0]!.before &&
    trs[0]!.before !== trs[0]!.after
  if (!regular) {
    const off = utcOffsetSeconds(zone, atMs)
    return `${abbreviation(zone, atMs, off)}${posixOffset(off)}`
  }
  const key = `${zone}|${year}`
  const cached = posixCache.get(key)
  if (cached) return cached
  const std = Math.min(trs[0]!.before, trs[0]!.after)
  const dst = Math.max(trs[0]!.before, trs[0]!.after)
  const toDst = trs.find((t) => t.after === dst)!
  const toStd = trs.find((t) => t.after === std)!
  const stdName = abbreviation(zone, toStd.at + HOUR_MS, std)
  const dstName = abbreviation(zone, toDst.at + HOUR_MS, dst)
  const posix =
    `${stdName}${posixOffset(std)}${dstName}${dst - std === 3600 ? '' : posixOffset(dst)}` +
    `,${ruleText(ruleFor(zone, toDst))},${ruleText(ruleFor(zone, toStd))}`
  posixCache.set(key, posix)
  return posix
}

// Every heartbeat answer carries this; offsets only change on minute boundaries, so the last
// answer is reused within the same zone and minute (the Intl calls are the costly part).
let lastTzInfo:
  { key: string; value: { name: string; posix: string; utc_offset_s: number } } | undefined

export function tzInfo(
  zone: string,
  atMs: number
): { name: string; posix: string; utc_offset_s: number } {
  const key = `${zone}|${Math.floor(atMs / 60_000)}`
  if (lastTzInfo?.key === key) return lastTzInfo.value
  const value = {
    name: zone,
    posix: posixTz(zone, atMs),
    utc_offset_s: utcOffsetSeconds(zone, atMs)
  }
  lastTzInfo = { key, value }
  return value
}
