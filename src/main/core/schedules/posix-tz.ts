import {
  daysInMonth,
  pad,
  utcOffsetSeconds,
  yearTransitions,
  type Transition
} from '../../../shared/time-zone'

/**
 * The POSIX TZ string an ESP32 dispenser sets (`setenv("TZ", …); tzset()`), and the tz block of
 * the heartbeat and schedule answers. Built from src/shared/time-zone.ts, the one time-zone
 * module; kept apart because only the device protocol needs it.
 */

const HOUR_MS = 3_600_000
const nameFormatters = new Map<string, Intl.DateTimeFormat>()

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
