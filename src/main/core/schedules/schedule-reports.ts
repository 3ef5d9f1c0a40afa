import {
  ADHERENCE_TARGET_PCT,
  type AdherenceResponse,
  type CalendarResponse,
  type DeviceAdherence,
  type ReportResponse,
  type TrendResponse
} from '../../../shared/schedule-schemas'
import { Invalid } from '../lib/domain-errors'
import {
  byAlarm,
  byDay,
  byPeriod,
  calendarDays,
  dateRange,
  periodsEnding,
  statsOf
} from './adherence'
import { expandDoses } from './doses'
import { DAY_MS, iso, MAX_RANGE_DAYS, type ScheduleContext } from './schedule-context'
import type { ScheduleOutcomes } from './schedule-outcomes'
import {
  addDays,
  daysBetween,
  daysInMonth,
  formatDate,
  localDateOf,
  startOfLocalDay
} from '../../../shared/time-zone'

/**
 * Adherence over days, weeks and months, the month calendar and the printable report, all
 * summed from the dose outcomes. Part of the schedules service (schedule-service.ts).
 */
export function createScheduleReports(ctx: ScheduleContext, doses: ScheduleOutcomes) {
  const { repo, clock, syncZone, zoneSpans, versionSpans, requireDevice, hasAlarms, scheduleView } =
    ctx
  const { outcomeViews, devicesFor } = doses

  function upcomingToday(deviceId: string, zone: string, today: string, now: number): number {
    const end = startOfLocalDay(zone, addDays(today, 1))
    return expandDoses(versionSpans(deviceId), zoneSpans(), now + 1, end).length
  }

  function deviceAdherence(
    device: { device_id: string; name: string | null },
    zone: string,
    dates: string[],
    now: number
  ): DeviceAdherence {
    const from = startOfLocalDay(zone, dates[0]!)
    const to = startOfLocalDay(zone, addDays(dates.at(-1)!, 1))
    const outcomes = outcomeViews(device.device_id, from, to, now)
    return {
      device_id: device.device_id,
      name: device.name,
      has_schedule: hasAlarms(device.device_id),
      overall: statsOf(outcomes),
      alarms: byAlarm(outcomes),
      daily: byDay(outcomes, dates)
    }
  }

  return {
    adherence(query: { device_id?: string; days: number }): AdherenceResponse {
      const now = clock()
      const zone = syncZone(now)
      const today = localDateOf(zone, now)
      const dates = dateRange(addDays(today, -(query.days - 1)), today)
      return {
        ok: true,
        days: query.days,
        from: dates[0]!,
        to: today,
        time_zone: zone,
        target_pct: ADHERENCE_TARGET_PCT,
        devices: devicesFor(query.device_id).map((d) => deviceAdherence(d, zone, dates, now))
      }
    },

    trend(query: { device_id?: string; period: 'week' | 'month'; count: number }): TrendResponse {
      const now = clock()
      const zone = syncZone(now)
      const today = localDateOf(zone, now)
      const periods = periodsEnding(query.period, today, query.count)
      const from = startOfLocalDay(zone, periods[0]!.from)
      const to = startOfLocalDay(zone, addDays(periods.at(-1)!.to, 1))
      if (to - from > MAX_RANGE_DAYS * 2 * DAY_MS)
        throw new Invalid('range-too-large', 'count: too many periods', 'count')
      return {
        ok: true,
        period: query.period,
        time_zone: zone,
        target_pct: ADHERENCE_TARGET_PCT,
        devices: devicesFor(query.device_id).map((d) => ({
          device_id: d.device_id,
          name: d.name,
          series: byPeriod(outcomeViews(d.device_id, from, to, now), periods)
        }))
      }
    },

    calendar(query: { device_id: string; month?: string }): CalendarResponse {
      requireDevice(query.device_id)
      const now = clock()
      const zone = syncZone(now)
      const today = localDateOf(zone, now)
      const month = query.month ?? today.slice(0, 7)
      const [y, m] = month.split('-').map(Number) as [number, number]
      const dates = dateRange(formatDate(y, m, 1), formatDate(y, m, daysInMonth(y, m)))
      const from = startOfLocalDay(zone, dates[0]!)
      const to = startOfLocalDay(zone, addDays(dates.at(-1)!, 1))
      const outcomes = outcomeViews(query.device_id, from, to, now)
      return {
        ok: true,
        device_id: query.device_id,
        month,
        time_zone: zone,
        target_pct: ADHERENCE_TARGET_PCT,
        stats: statsOf(outcomes),
        days: calendarDays(
          outcomes,
          dates,
          today,
          dates.includes(today) ? upcomingToday(query.device_id, zone, today, now) : 0
        )
      }
    },

    report(query: {
      device_id: string
      from?: string
      to?: string
      month?: string
    }): ReportResponse {
      const device = requireDevice(query.device_id)
      const now = clock()
      const zone = syncZone(now)
      const today = localDateOf(zone, now)
      let fromDate: string
      let toDate: string
      if (query.month) {
        const [y, m] = query.month.split('-').map(Number) as [number, number]
        fromDate = formatDate(y, m, 1)
        // The current month ends today: a report printed on the 1st does not run to the 31st.
        toDate = formatDate(y, m, daysInMonth(y, m))
        if (toDate > today && fromDate <= today) toDate = today
      } else {
        toDate = query.to ?? today
        fromDate = query.from ?? addDays(toDate, -29)
      }
      if (fromDate > toDate)
        throw new Invalid('validation-failed', 'from: must not be after to', 'from')
      if (daysBetween(fromDate, toDate) >= MAX_RANGE_DAYS)
        throw new Invalid(
          'range-too-large',
          `from: at most ${MAX_RANGE_DAYS} days at a time`,
          'from'
        )
      const from = startOfLocalDay(zone, fromDate)
      const to = startOfLocalDay(zone, addDays(toDate, 1))
      const outcomes = outcomeViews(device.device_id, from, to, now)
      const dates = dateRange(fromDate, toDate)
      const weeks = periodsEnding('week', toDate, 60).filter((p) => p.to >= fromDate)
      const rows = repo.versions(device.device_id)
      const schedules = rows
        .map((v, i) => ({ v, until: rows[i + 1]?.valid_from ?? null }))
        .filter(
          ({ v, until }) => Date.parse(v.valid_from) < to && (!until || Date.parse(until) > from)
        )
        .map(({ v, until }) => scheduleView(v, until, repo.alarmsOfVersion(v.id), zone, now))
      return {
        ok: true,
        generated_at: iso(now),
        device: { device_id: device.device_id, name: device.name },
        time_zone: zone,
        from: fromDate,
        to: toDate,
        target_pct: ADHERENCE_TARGET_PCT,
        overall: statsOf(outcomes),
        alarms: byAlarm(outcomes),
        weeks: byPeriod(outcomes, weeks),
        days: calendarDays(
          outcomes,
          dates,
          today,
          dates.includes(today) ? upcomingToday(device.device_id, zone, today, now) : 0
        ),
        schedules,
        outcomes
      }
    }
  }
}
