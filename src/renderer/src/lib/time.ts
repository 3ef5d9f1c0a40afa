/** Formatting of instants for people: local time zone, relative where it helps. */

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
  if (!f) formatters.set(key, (f = new Intl.DateTimeFormat(locale, options)))
  return f
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
  return dtf(locale, { dateStyle: 'medium', timeStyle: 'medium' }).format(date)
}

export function formatTime(iso: string, locale: string): string {
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return iso
  return dtf(locale, { timeStyle: 'short' }).format(date)
}

/** A day heading for a timeline: "hoy", "ayer", else a long local date. */
export function formatDay(iso: string, nowMs: number, locale: string): string {
  const date = new Date(iso)
  const startOf = (d: Date) => new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime()
  const days = Math.round((startOf(new Date(nowMs)) - startOf(date)) / 86_400_000)
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

/** Local calendar day (YYYY-MM-DD, as <input type="date"> gives it) of an ISO instant. */
export function localDayKey(iso: string): string {
  const d = new Date(iso)
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`
}

const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/

/** Start of a local calendar day as a UTC ISO instant, or undefined for an invalid day. */
export function localDayStartIso(day: string, addDays = 0): string | undefined {
  const m = DAY_PATTERN.exec(day)
  if (!m) return undefined
  const [year, month, date] = [Number(m[1]), Number(m[2]) - 1, Number(m[3])]
  // Date rolls 2026-13-01 over into 2027; a day that does not exist is not a filter.
  const check = new Date(year, month, date)
  if (check.getFullYear() !== year || check.getMonth() !== month || check.getDate() !== date)
    return undefined
  return new Date(year, month, date + addDays).toISOString()
}
