import type {
  DoseOutcome,
  DoseStatus,
  OutcomesResponse,
  TodayDose
} from '../../../shared/schedule-schemas'
import { Invalid } from '../lib/domain-errors'
import { expandDoses, localize, scheduledSpans, zoneAt } from './doses'
import {
  computeOutcomes,
  LATE_LIMIT_MS,
  type DoseEvent,
  type DoseEventType,
  type Outcome
} from './outcomes'
import { DAY_MS, iso, isoOrNull, MAX_RANGE_DAYS, type ScheduleContext } from './schedule-context'
import { addDays, localDateOf, localTimeOf, startOfLocalDay } from '../../../shared/time-zone'

export type ScheduleOutcomes = ReturnType<typeof createScheduleOutcomes>

/** A scheduled dose whose window passed without the alarm ringing: what a missed-dose alert needs. */
export interface DueMissedAlarm {
  device_id: string
  device_name: string | null
  alarm_label: string
  schedule_alarm_id: number
  schedule_version: number
  /** UTC ISO-8601. */
  scheduled_at: string
  /** The same dose on the family's wall clock. */
  local_date: string
  local_time: string
  window_min: number
  /**
   * true: the device was reachable and still did not ring (jammed, alarm not set); false: we
   * heard nothing from it then (unplugged, off the network): the outcome is "unknown".
   */
  device_reachable: boolean
  /** Stable for this dose across calls, restarts and schedule edits: dedupe alerts with it. */
  dedupe_key: string
}

/**
 * Dose outcomes (on time, late, missed, unknown…), computed on read from the schedule versions,
 * the events and the device's presence, so an event that arrives late corrects history without
 * any bookkeeping: the outcome list, today's doses, and what the alert engine asks about.
 * Part of the schedules service (schedule-service.ts).
 */
export function createScheduleOutcomes(ctx: ScheduleContext) {
  const { deps, repo, reads, clock, syncZone, zoneSpans, versionSpans, requireDevice, deviceRows } =
    ctx

  /** Outcomes of one device's doses with from <= scheduled_at < to (and not in the future). */
  function outcomesOf(deviceId: string, from: number, to: number, now: number): Outcome[] {
    const versions = versionSpans(deviceId)
    const zones = zoneSpans()
    // A day of margin: neighbouring doses shape each dose's matching range, and an event near
    // the edge must go to the dose it belongs to even when that dose is outside the range.
    const doses = expandDoses(versions, zones, from - DAY_MS, to + DAY_MS)
    const evFrom = iso(from - DAY_MS - LATE_LIMIT_MS)
    const evTo = iso(to + DAY_MS + LATE_LIMIT_MS)
    const events: DoseEvent[] = reads.doseEvents(deviceId, evFrom, evTo).map((e) => ({
      id: e.id,
      type: e.type as DoseEventType,
      label: e.alarm_label === null ? null : String(e.alarm_label),
      at: Date.parse(e.occurred_at)
    }))
    const sightings: Array<[number, number]> = repo
      .presence(deviceId, evFrom, evTo)
      .map((p) => [Date.parse(p.start_at), Date.parse(p.end_at)])
    for (const at of reads.eventTimes(deviceId, evFrom, evTo)) {
      const t = Date.parse(at)
      sightings.push([t, t])
    }
    return computeOutcomes({
      doses,
      events,
      sightings,
      offlineAfterMs: deps.offlineAfterS() * 1000,
      scheduledSpans: scheduledSpans(versions),
      now,
      defaultWindowMs: deps.defaultWindowS ? deps.defaultWindowS() * 1000 : undefined
    }).filter((o) => o.at >= from && o.at < to)
  }

  function outcomeViews(deviceId: string, from: number, to: number, now: number): DoseOutcome[] {
    const zones = zoneSpans()
    return outcomesOf(deviceId, from, to, now).map((o) => ({
      device_id: deviceId,
      source: o.source,
      schedule_alarm_id: o.schedule_alarm_id,
      schedule_version: o.schedule_version,
      alarm_label: o.label,
      scheduled_at: iso(o.at),
      ...localize(zoneAt(zones, o.at), o.at),
      window_min: Math.round(o.window_ms / 60_000),
      compartment: o.compartment,
      pill_count: o.pill_count,
      status: o.status,
      alarm_at: isoOrNull(o.alarm_at),
      rings: o.rings,
      ack_at: isoOrNull(o.ack_at),
      taken_at: isoOrNull(o.taken_at),
      delay_s: o.taken_at === null ? null : Math.round((o.taken_at - o.at) / 1000),
      event_ids: o.event_ids
    }))
  }

  function devicesFor(deviceId: string | undefined) {
    if (deviceId) return [requireDevice(deviceId)]
    return deviceRows()
  }

  /** Turns a from/to pair (local dates inclusive, or instants) into [from, to) instants. */
  function resolveRange(
    zone: string,
    now: number,
    from: string | undefined,
    to: string | undefined,
    defaultDays: number
  ): { from: number; to: number } {
    const today = localDateOf(zone, now)
    const isDate = (s: string) => /^\d{4}-\d\d-\d\d$/.test(s)
    const toMs =
      to === undefined
        ? startOfLocalDay(zone, addDays(today, 1))
        : isDate(to)
          ? startOfLocalDay(zone, addDays(to, 1))
          : Date.parse(to)
    const fromMs =
      from === undefined
        ? startOfLocalDay(zone, addDays(to && isDate(to) ? to : today, -(defaultDays - 1)))
        : isDate(from)
          ? startOfLocalDay(zone, from)
          : Date.parse(from)
    if (fromMs >= toMs) throw new Invalid('validation-failed', 'from: must be before to', 'from')
    if (toMs - fromMs > MAX_RANGE_DAYS * DAY_MS)
      throw new Invalid('range-too-large', `from: at most ${MAX_RANGE_DAYS} days at a time`, 'from')
    return { from: fromMs, to: toMs }
  }

  return {
    outcomesOf,
    outcomeViews,
    devicesFor,
    /** What the service offers (the three above are for the reports). */
    api: {
      outcomes(query: {
        device_id?: string
        alarm_id?: number
        status?: DoseStatus
        from?: string
        to?: string
      }): Omit<OutcomesResponse, 'ok'> {
        const now = clock()
        const zone = syncZone(now)
        const range = resolveRange(zone, now, query.from, query.to, 7)
        const outcomes = devicesFor(query.device_id)
          .flatMap((d) => outcomeViews(d.device_id, range.from, range.to, now))
          .filter(
            (o) =>
              (query.alarm_id === undefined || o.schedule_alarm_id === query.alarm_id) &&
              (query.status === undefined || o.status === query.status)
          )
          .sort((a, b) => a.scheduled_at.localeCompare(b.scheduled_at))
        return {
          from: iso(range.from),
          to: iso(range.to),
          from_date: localDateOf(zone, range.from),
          to_date: localDateOf(zone, range.to - 1),
          time_zone: zone,
          outcomes
        }
      },

      /** Names for the CSV export. */
      deviceNames(): Map<string, string | null> {
        return new Map(deviceRows().map((d) => [d.device_id, d.name]))
      },

      /**
       * What became of the doses these alarms rang for, keyed by the alarm event's id: the alert
       * engine raises "missed" exactly when the outcome says missed, so an alert and the adherence
       * figures can never disagree about a dose.
       */
      alarmOutcomes(
        deviceId: string,
        alarms: ReadonlyArray<{ id: number; at: number }>,
        at: Date | number = clock()
      ): Map<number, Pick<Outcome, 'status' | 'source' | 'label' | 'at' | 'window_ms'>> {
        const now = at instanceof Date ? at.getTime() : at
        syncZone(clock())
        const result = new Map<
          number,
          Pick<Outcome, 'status' | 'source' | 'label' | 'at' | 'window_ms'>
        >()
        if (alarms.length === 0) return result
        const first = Math.min(...alarms.map((a) => a.at))
        const wanted = new Set(alarms.map((a) => a.id))
        // A dose can be due up to a window before its alarm rings (an early device clock).
        for (const o of outcomesOf(deviceId, first - DAY_MS, now + 1, now)) {
          if (o.alarm_event_id !== null && wanted.has(o.alarm_event_id))
            result.set(o.alarm_event_id, {
              status: o.status,
              source: o.source,
              label: o.label,
              at: o.at,
              window_ms: o.window_ms
            })
        }
        return result
      },

      /**
       * Today's doses of one device on the family's wall clock, past and still to come, for the
       * "Hoy" page: each one's outcome so far, or `upcoming`. Only today's events are read (an
       * indexed range), so years of history do not slow it down.
       */
      dosesToday(deviceId: string, at: Date | number = clock()): TodayDose[] {
        const now = at instanceof Date ? at.getTime() : at
        const zone = syncZone(clock())
        const date = localDateOf(zone, now)
        const from = startOfLocalDay(zone, date)
        const to = startOfLocalDay(zone, addDays(date, 1))
        const words = new Map(
          repo
            .alarmsOfDevice(deviceId)
            .map((a) => [a.alarm_id, { medicine: a.medicine, dose: a.dose }])
        )
        const local = (ms: number | null) => (ms === null ? null : localTimeOf(zone, ms))
        const doses: TodayDose[] = outcomesOf(deviceId, from, to, now).map((o) => ({
          source: o.source,
          schedule_alarm_id: o.schedule_alarm_id,
          alarm_label: o.label,
          medicine: words.get(o.schedule_alarm_id ?? -1)?.medicine ?? null,
          dose: words.get(o.schedule_alarm_id ?? -1)?.dose ?? null,
          scheduled_at: iso(o.at),
          local_time: localTimeOf(zone, o.at),
          window_min: Math.round(o.window_ms / 60_000),
          status: o.status,
          taken_at: isoOrNull(o.taken_at),
          taken_local_time: local(o.taken_at),
          due_by: o.status === 'pending' ? iso(o.at + o.window_ms) : null
        }))
        const upcoming = expandDoses(versionSpans(deviceId), zoneSpans(), now + 1, to)
        for (const d of upcoming)
          doses.push({
            source: 'schedule',
            schedule_alarm_id: d.schedule_alarm_id,
            alarm_label: d.label,
            medicine: words.get(d.schedule_alarm_id)?.medicine ?? null,
            dose: words.get(d.schedule_alarm_id)?.dose ?? null,
            scheduled_at: iso(d.at),
            local_time: localTimeOf(zone, d.at),
            window_min: Math.round(d.window_ms / 60_000),
            status: 'upcoming',
            taken_at: null,
            taken_local_time: null,
            due_by: null
          })
        return doses
      },

      /**
       * Scheduled doses from the last 24 h whose on-time window has passed with no alarm_triggered,
       * no alarm_ack and no dose_taken matched to them: the alarm never rang (or never told us).
       * Safe to call as often as wanted; dedupe with dedupe_key. A dose drops out of the list as
       * soon as a late-uploaded event shows it rang.
       */
      dueMissedAlarms(at: Date | number = clock()): DueMissedAlarm[] {
        const now = at instanceof Date ? at.getTime() : at
        syncZone(clock())
        const zones = zoneSpans()
        // Names only for the devices with a missed dose: this runs every few seconds, and reading
        // every device's name would cost a sorted scan of a fleet of 100,000 each time.
        const names = new Map<string, string | null>()
        const nameOf = (id: string) => {
          if (!names.has(id)) names.set(id, ctx.deviceRow(id)?.name ?? null)
          return names.get(id)!
        }
        const due: DueMissedAlarm[] = []
        for (const deviceId of repo.devicesWithSchedules()) {
          for (const o of outcomesOf(deviceId, now - DAY_MS, now + 1, now)) {
            if (o.source !== 'schedule' || (o.status !== 'missed' && o.status !== 'unknown'))
              continue
            if (o.rings > 0 || o.ack_at !== null || o.taken_at !== null) continue
            const scheduledAt = iso(o.at)
            due.push({
              device_id: deviceId,
              device_name: nameOf(deviceId),
              alarm_label: o.label!,
              schedule_alarm_id: o.schedule_alarm_id!,
              schedule_version: o.schedule_version!,
              scheduled_at: scheduledAt,
              ...localize(zoneAt(zones, o.at), o.at),
              window_min: Math.round(o.window_ms / 60_000),
              device_reachable: o.status === 'missed',
              dedupe_key: `${deviceId}:${o.schedule_alarm_id}:${scheduledAt}`
            })
          }
        }
        return due.sort((a, b) => a.scheduled_at.localeCompare(b.scheduled_at))
      }
    }
  }
}
