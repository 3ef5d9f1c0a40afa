/**
 * Formatting for schedules, dose outcomes and adherence. Clock times and dates are shown on the
 * family's wall clock (the settings time zone), which is what the server computes doses in; the
 * browser's own zone may differ (a phone abroad), so every instant here is formatted in `zone`.
 */

import { isTimeZone, localDateOf } from '@shared/time-zone'

const formatters = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>()

function dtf(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `dtf|${locale}|${JSON.stringify(options)}`
  let f = formatters.get(key) as Intl.DateTimeFormat | undefined
  if (!f) formatters.set(key, (f = new Intl.DateTimeFormat(locale, options)))
  return f
}

function nf(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `nf|${locale}|${JSON.stringify(options)}`
  let f = formatters.get(key) as Intl.NumberFormat | undefined
  if (!f) formatters.set(key, (f = new Intl.NumberFormat(locale, options)))
  return f
}

/** A zone the runtime knows, else UTC (a bad setting must not break every page). */
export function safeZone(zone: string | null | undefined): string {
  return zone && isTimeZone(zone) ? zone : 'UTC'
}

/** "83,3 %" (es) or "83.3%" (en); null (nothing known yet) becomes the dash. */
export function formatPct(value: number | null | undefined, locale: string, dash = '—'): string {
  if (value === null || value === undefined || Number.isNaN(value)) return dash
  return nf(locale, { style: 'percent', maximumFractionDigits: 1 }).format(value / 100)
}

/** A number of pills or a compartment, as typed (0,5 in Spanish). */
export function formatNumber(value: number, locale: string): string {
  return nf(locale, { maximumFractionDigits: 2 }).format(value)
}

/** Date and time of an instant on the family's clock: "26 nov 2026, 9:04". */
export function formatZoned(iso: string, zone: string, locale: string): string {
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return iso
  return dtf(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: safeZone(zone) }).format(
    date
  )
}

/** Time of day of an instant on the family's clock: "9:04". */
export function formatZonedTime(iso: string, zone: string, locale: string): string {
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return iso
  return dtf(locale, { timeStyle: 'short', timeZone: safeZone(zone) }).format(date)
}

/** The local date (YYYY-MM-DD) of an instant in a zone. */
export function dateInZone(ms: number, zone: string): string {
  return localDateOf(safeZone(zone), ms)
}

/** Offset of a zone right now, as "UTC+01:00". */
export function zoneOffsetLabel(zone: string, atMs = Date.now()): string {
  const parts = dtf('en-US', { timeZone: safeZone(zone), timeZoneName: 'longOffset' })
    .formatToParts(new Date(atMs))
    .find((p) => p.type === 'timeZoneName')?.value
  if (!parts || parts === 'GMT') return 'UTC+00:00'
  return parts.replace('GMT', 'UTC')
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/

/** A local date as a Date at noon UTC, for formatting the calendar day itself (not an instant). */
function dateAtNoon(date: string): Date | undefined {
  const m = DATE.exec(date)
  if (!m) return undefined
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 12))
}

/** "26 nov 2026" for a local date. */
export function formatLocalDate(date: string, locale: string, long = false): string {
  const d = dateAtNoon(date)
  if (!d) return date
  return dtf(
    locale,
    long
      ? { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }
      : { dateStyle: 'medium', timeZone: 'UTC' }
  ).format(d)
}

/** "26 nov" for a chart axis. */
export function formatDayMonth(date: string, locale: string): string {
  const d = dateAtNoon(date)
  if (!d) return date
  return dtf(locale, { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(d)
}

/** "jue 26 nov" for a row in an outcome list. */
export function formatShortDate(date: string, locale: string): string {
  const d = dateAtNoon(date)
  if (!d) return date
  return dtf(locale, { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' }).format(
    d
  )
}

/** A span of local dates, as the weekly rows show it: "lun, 3 nov – dom, 9 nov". */
export function formatShortDateRange(from: string, to: string, locale: string): string {
  return `${formatShortDate(from, locale)} – ${formatShortDate(to, locale)}`
}

const MONTH = /^(\d{4})-(\d{2})$/

export function isMonth(value: string): boolean {
  const m = MONTH.exec(value)
  return !!m && Number(m[2]) >= 1 && Number(m[2]) <= 12
}

/** "noviembre de 2026". */
export function formatMonth(month: string, locale: string): string {
  const d = dateAtNoon(`${month}-01`)
  if (!d) return month
  const text = dtf(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(d)
  return text.charAt(0).toUpperCase() + text.slice(1)
}

export function addMonths(month: string, delta: number): string {
  const m = MONTH.exec(month)
  if (!m) return month
  const index = Number(m[1]) * 12 + Number(m[2]) - 1 + delta
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`
}

export function daysInMonth(month: string): number {
  const m = MONTH.exec(month)
  if (!m) return 0
  return new Date(Date.UTC(Number(m[1]), Number(m[2]), 0)).getUTCDate()
}

/**
 * The weeks of a month, Monday first: each week is seven cells, a local date or null for the
 * days of the neighbouring months.
 */
export function monthGrid(month: string): Array<Array<string | null>> {
  const days = daysInMonth(month)
  if (!days) return []
  const first = dateAtNoon(`${month}-01`)!
  const lead = (first.getUTCDay() + 6) % 7
  const cells: Array<string | null> = Array.from({ length: lead }, () => null)
  for (let d = 1; d <= days; d++) cells.push(`${month}-${String(d).padStart(2, '0')}`)
  while (cells.length % 7) cells.push(null)
  const weeks: Array<Array<string | null>> = []
  for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7))
  return weeks
}

/** The months a date range touches, oldest first. */
export function monthsBetween(from: string, to: string): string[] {
  const first = from.slice(0, 7)
  const last = to.slice(0, 7)
  if (!isMonth(first) || !isMonth(last) || first > last) return []
  const out: string[] = []
  for (let m = first; m <= last && out.length < 24; m = addMonths(m, 1)) out.push(m)
  return out
}

/** Short weekday names, Monday first, in the locale ("lu", "ma"… or "Mon", "Tue"…). */
export function weekdayNames(locale: string, width: 'short' | 'narrow' | 'long' = 'short') {
  // 2024-01-01 was a Monday.
  return Array.from({ length: 7 }, (_, i) =>
    dtf(locale, { weekday: width, timeZone: 'UTC' }).format(new Date(Date.UTC(2024, 0, 1 + i, 12)))
  )
}

/**
 * How late a dose was taken: "+12 min", "+1 h 05 min"; zero reads "0 min". Taken early reads in
 * words when `early` is given ("1 min antes"), not as a negative delay.
 */
export function formatDelay(
  delayS: number | null,
  locale: string,
  dash = '—',
  early?: (amount: string) => string
): string {
  if (delayS === null || delayS === undefined) return dash
  const minutes = Math.round(Math.abs(delayS) / 60)
  const isEarly = delayS < 0 && minutes > 0
  const sign = isEarly ? '−' : minutes > 0 ? '+' : ''
  const amount =
    minutes < 60
      ? `${nf(locale, {}).format(minutes)} min`
      : `${nf(locale, {}).format(Math.floor(minutes / 60))} h ${String(minutes % 60).padStart(2, '0')} min`
  if (isEarly && early) return early(amount)
  return `${sign}${amount}`
}
