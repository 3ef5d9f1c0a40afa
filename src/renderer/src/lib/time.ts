/**
 * Formatting of instants for people, relative where it helps. One clock: every time is shown in
 * the family's time zone (from the session), not the viewer's, so an alert, the history and a
 * schedule read the same hour wherever the browser is. Until the session says, the browser's.
 */

let displayZone: string | undefined

/** The family's zone; every formatter below uses it. */
export function setDisplayZone(zone: string | undefined): void {
  if (zone === displayZone) return
  displayZone = zone
  formatters.clear()
}

export function getDisplayZone(): string | undefined {
  return displayZone
}

// Intl formatters are costly to build and every visible row re-renders once a second.
const formatters = new Map<string, Intl.RelativeTimeFormat | Intl.DateTimeFormat>()

function rtf(locale: string, numeric: 'always' | 'auto', style: 'short' | 'long') {
  const key = `rtf|${locale}|${numeric}|${style}`
  let f = formatters.get(key) as Intl.RelativeTimeFormat | undefined
  if (!f) formatters.set(key, (f = new Intl.RelativeTimeFormat(locale, { numeric, style })))
  return f
}

function dtf(locale: string, options: Intl.DateTimeFormatOptions) {
  const key = `dtf|${locale}|${JSON.stringify(options)}`
  let f = formatters.get(key) as Intl.DateTimeFormat | undefined
  if (!f) {
    try {
      f = new Intl.DateTimeFormat(locale, { timeZone: displayZone, ...options })
    } catch {
      // A zone this browser does not know: its own clock rather than nothing.
      f = new Intl.DateTimeFormat(locale, options)
    }
    formatters.set(key, f)
  }
  return f
}

/** Year, month, day, hour, minute of an instant on the family's wall clock. */
function wallClock(ms: number): { y: number; mo: number; d: number; h: number; mi: number } {
  const parts = dtf('en-US', {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23'
  }).formatToParts(new Date(ms))
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0)
  return { y: get('year'), mo: get('month'), d: get('day'), h: get('hour'), mi: get('minute') }
}

/** Minutes the family's clock is ahead of UTC at an instant. */
function offsetMinutes(ms: number): number {
  const w = wallClock(ms)
  const asUtc = Date.UTC(w.y, w.mo - 1, w.d, w.h, w.mi)
  return Math.round((asUtc - Math.floor(ms / 60_000) * 60_000) / 60_000)
}

const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
  ['day', 7]
]

/**
 * "hace 12 s", "hace 3 min", "hace 2 h"… from an ISO instant to `nowMs`. Past a week the absolute
 * date says more. A timestamp slightly in the future (clock skew) reads as "now". With `coarse`,
 * minutes are the smallest unit (for long lists that re-render once a minute, not every second).
 */
export function formatRelative(iso: string, nowMs: number, locale: string, coarse = false): string {
  const then = Date.parse(iso)
  if (Number.isNaN(then)) return iso
  let value = Math.max(0, Math.round((nowMs - then) / 1000))
  const format = rtf(locale, 'auto', 'short')
  if (coarse && value < 60) return format.format(0, 'minute')
  for (const [unit, size] of UNITS) {
    if (value < size) return format.format(-value, unit)
    value = Math.floor(value / size)
  }
  return formatDateTime(iso, locale)
}

export function formatDateTime(iso: string, locale: string): string {
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return iso
  // Two-digit 24-hour times everywhere, as the "Hoy" page, Telegram and the CSV write them.
  return dtf(locale, {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23'
  }).format(date)
}

export function formatTime(iso: string, locale: string): string {
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return iso
  return dtf(locale, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(date)
}

/** A day heading for a timeline: "hoy", "ayer", else a long local date. */
export function formatDay(iso: string, nowMs: number, locale: string): string {
  const date = new Date(iso)
  const startOf = (ms: number) => {
    const w = wallClock(ms)
    return Date.UTC(w.y, w.mo - 1, w.d)
  }
  const days = Math.round((startOf(nowMs) - startOf(date.getTime())) / 86_400_000)
  if (days === 0 || days === 1) {
    const text = rtf(locale, 'auto', 'long').format(-days, 'day')
    return text.charAt(0).toUpperCase() + text.slice(1)
  }
  return dtf(locale, {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric'
  }).format(date)
}

/** The family's calendar day (YYYY-MM-DD, as <input type="date"> gives it) of an ISO instant. */
export function localDayKey(iso: string): string {
  const w = wallClock(Date.parse(iso))
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${w.y}-${pad(w.mo)}-${pad(w.d)}`
}

const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/

/** Start of a local calendar day as a UTC ISO instant, or undefined for an invalid day. */
export function localDayStartIso(day: string, addDays = 0): string | undefined {
  const m = DAY_PATTERN.exec(day)
  if (!m) return undefined
  const [year, month, date] = [Number(m[1]), Number(m[2]) - 1, Number(m[3])]
  // Date rolls 2026-13-01 over into 2027; a day that does not exist is not a filter.
  const check = new Date(Date.UTC(year, month, date))
  if (
    check.getUTCFullYear() !== year ||
    check.getUTCMonth() !== month ||
    check.getUTCDate() !== date
  )
    return undefined
  // Midnight on the family's clock: guess with the offset at UTC midnight, then correct once
  // (enough for every real zone, including a DST change that day).
  const utcMidnight = Date.UTC(year, month, date + addDays)
  let at = utcMidnight - offsetMinutes(utcMidnight) * 60_000
  at = utcMidnight - offsetMinutes(at) * 60_000
  return new Date(at).toISOString()
}

/**
 * An instant as ISO-8601 on the family's clock with its offset ("2026-12-01T09:05:07-03:00"):
 * what the CSV exports write, unambiguous for scripts and the family's hour for people.
 */
export function zonedIso(iso: string): string {
  const ms = Date.parse(iso)
  if (Number.isNaN(ms)) return iso
  const w = wallClock(ms)
  const sec = new Date(ms).getUTCSeconds()
  const off = offsetMinutes(ms)
  const pad = (n: number) => String(Math.abs(n)).padStart(2, '0')
  const sign = off < 0 ? '-' : '+'
  return (
    `${w.y}-${pad(w.mo)}-${pad(w.d)}T${pad(w.h)}:${pad(w.mi)}:${pad(sec)}` +
    `${sign}${pad(Math.trunc(off / 60))}:${pad(off % 60)}`
  )
}
