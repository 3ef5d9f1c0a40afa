import {
  ADHERENCE_TARGET_PCT,
  type AdherenceStats,
  type AlarmAdherence,
  type CalendarDay,
  type DayAdherence,
  type DoseOutcome,
  type PeriodAdherence
} from '../../../shared/schedule-schemas'
import { addDays, daysInMonth, formatDate, parseDate, weekdayOf } from '../../../shared/time-zone'

/**
 * Adherence from outcomes: pure aggregation over local dates. Only doses that count are counted:
 * scheduled ones, and alarm-defined ones where no schedule was in force; an alarm outside the
 * schedule ("unscheduled") is shown in the outcome list but does not move the percentages.
 *
 * The denominator is the doses whose result we know (on time + late + missed): a dose the
 * device could not report on (unknown) is counted apart rather than as missed, and a dose whose
 * window is still open (pending) is not judged yet.
 */

type Countable = Pick<DoseOutcome, 'status' | 'source'>

const pct = (part: number, whole: number) =>
  whole === 0 ? null : Math.round((part / whole) * 1000) / 10

export function statsOf(outcomes: Iterable<Countable>): AdherenceStats {
  const c = { doses: 0, on_time: 0, late: 0, missed: 0, unknown: 0, pending: 0 }
  for (const o of outcomes) {
    if (o.source === 'unscheduled') continue
    c.doses++
    c[o.status]++
  }
  const taken = c.on_time + c.late
  const known = taken + c.missed
  const takenPct = pct(taken, known)
  return {
    ...c,
    taken,
    known,
    taken_pct: takenPct,
    on_time_pct: pct(c.on_time, known),
    meets_target: takenPct === null ? null : takenPct >= ADHERENCE_TARGET_PCT
  }
}

/** Per alarm: scheduled alarms by their stable id, alarm-defined doses by label. */
export function byAlarm(outcomes: readonly DoseOutcome[]): AlarmAdherence[] {
  const groups = new Map<string, DoseOutcome[]>()
  for (const o of outcomes) {
    if (o.source === 'unscheduled') continue
    const key =
      o.schedule_alarm_id !== null ? `alarm:${o.schedule_alarm_id}` : `label:${o.alarm_label ?? ''}`
    let list = groups.get(key)
    if (!list) groups.set(key, (list = []))
    list.push(o)
  }
  return [...groups.entries()]
    .map(([key, list]) => {
      const last = list.at(-1)!
      return {
        key,
        schedule_alarm_id: last.schedule_alarm_id,
        alarm_label: last.alarm_label,
        time: last.source === 'schedule' ? last.local_time : null,
        stats: statsOf(list)
      }
    })
    .sort(
      (a, b) =>
        (a.time ?? '99').localeCompare(b.time ?? '99') ||
        (a.alarm_label ?? '').localeCompare(b.alarm_label ?? '')
    )
}

function byDate(outcomes: readonly DoseOutcome[]): Map<string, DoseOutcome[]> {
  const map = new Map<string, DoseOutcome[]>()
  for (const o of outcomes) {
    let list = map.get(o.local_date)
    if (!list) map.set(o.local_date, (list = []))
    list.push(o)
  }
  return map
}

/** Local dates from `from` to `to`, both included. */
export function dateRange(from: string, to: string): string[] {
  const dates: string[] = []
  for (let d = from; d <= to; d = addDays(d, 1)) dates.push(d)
  return dates
}

export function byDay(outcomes: readonly DoseOutcome[], dates: readonly string[]): DayAdherence[] {
  const map = byDate(outcomes)
  return dates.map((date) => ({ date, stats: statsOf(map.get(date) ?? []) }))
}

export interface Period {
  period: string
  from: string
  to: string
}

/** The ISO week (Monday to Sunday) holding a date: "2025-W13". */
export function isoWeek(date: string): Period {
  const monday = addDays(date, -((weekdayOf(date) + 6) % 7))
  const thursday = addDays(monday, 3)
  const year = parseDate(thursday).year
  const week = Math.floor((parseDate(thursday).day - 1 + dayOfYearOffset(thursday)) / 7) + 1
  return {
    period: `${year}-W${String(week).padStart(2, '0')}`,
    from: monday,
    to: addDays(monday, 6)
  }
}

function dayOfYearOffset(date: string): number {
  const { year, month } = parseDate(date)
  let days = 0
  for (let m = 1; m < month; m++) days += daysInMonth(year, m)
  return days
}

export function month(date: string): Period {
  const { year, month: m } = parseDate(date)
  return {
    period: `${year}-${String(m).padStart(2, '0')}`,
    from: formatDate(year, m, 1),
    to: formatDate(year, m, daysInMonth(year, m))
  }
}

/** The `count` calendar weeks or months up to the one holding `today`, oldest first. */
export function periodsEnding(kind: 'week' | 'month', today: string, count: number): Period[] {
  const out: Period[] = []
  let current = kind === 'week' ? isoWeek(today) : month(today)
  for (let i = 0; i < count; i++) {
    out.unshift(current)
    const before = addDays(current.from, -1)
    current = kind === 'week' ? isoWeek(before) : month(before)
  }
  return out
}

export function byPeriod(
  outcomes: readonly DoseOutcome[],
  periods: readonly Period[]
): PeriodAdherence[] {
  return periods.map((p) => ({
    ...p,
    stats: statsOf(outcomes.filter((o) => o.local_date >= p.from && o.local_date <= p.to))
  }))
}

/**
 * A day in the month calendar. Missed wins over unknown: a day with one dose missed and one
 * unknown is a day with a missed dose.
 */
export function dayStatus(
  stats: AdherenceStats,
  date: string,
  today: string,
  upcomingToday = 0
): CalendarDay['status'] {
  if (date > today) return 'future'
  if (stats.missed > 0) return 'some_missed'
  if (stats.unknown > 0) return 'unknown'
  if (stats.pending > 0 || (date === today && upcomingToday > 0)) return 'pending'
  if (stats.doses === 0) return 'no_doses'
  return 'all_taken'
}

export function calendarDays(
  outcomes: readonly DoseOutcome[],
  dates: readonly string[],
  today: string,
  upcomingToday = 0
): CalendarDay[] {
  return byDay(outcomes, dates).map(({ date, stats }) => ({
    date,
    status: dayStatus(stats, date, today, upcomingToday),
    stats
  }))
}
