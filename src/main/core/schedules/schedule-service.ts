import {
  ADHERENCE_TARGET_PCT,
  DEFAULT_WINDOW_MIN,
  WEEKDAYS,
  type AdherenceResponse,
  type CalendarResponse,
  type DeviceAdherence,
  type DeviceScheduleResponse,
  type DoseOutcome,
  type DoseStatus,
  type HeartbeatScheduleFields,
  type OutcomesResponse,
  type ReportResponse,
  type ScheduleAlarmView,
  type ScheduleInput,
  type ScheduleResponse,
  type ScheduleVersionsResponse,
  type ScheduleView,
  type TodayDose,
  type TrendResponse,
  type TzInfo,
  type Weekday
} from '../../../shared/schedule-schemas'
import { HttpError } from '../http/errors'
import type { Db } from '../store/db'
import {
  byAlarm,
  byDay,
  byPeriod,
  calendarDays,
  dateRange,
  periodsEnding,
  statsOf
} from './adherence'
import {
  expandDoses,
  localize,
  nextOccurrence,
  scheduledSpans,
  zoneAt,
  type AlarmDef,
  type VersionSpan,
  type ZoneSpan
} from './doses'
import {
  computeOutcomes,
  LATE_LIMIT_MS,
  normalizeLabel,
  type DoseEvent,
  type DoseEventType,
  type Outcome
} from './outcomes'
import {
  createScheduleRepository,
  type AlarmRow,
  type NewAlarm,
  type VersionRow
} from './schedule-repository'
import {
  addDays,
  daysBetween,
  daysInMonth,
  formatDate,
  isTimeZone,
  localDateOf,
  localTimeOf,
  parseClockTime,
  startOfLocalDay,
  tzInfo
} from './tz'

const DAY_MS = 86_400_000
/** Longest span one request may compute (a year of doses and a little more). */
export const MAX_RANGE_DAYS = 400
const EPOCH = new Date(0).toISOString()

export interface ScheduleServiceDeps {
  db: Db
  /** The family's IANA time zone (settings.current().time_zone). */
  timeZone: () => string
  /** settings.offlineAfterS: how long after its last sighting a device still counts as reachable. */
  offlineAfterS: () => number
  /**
   * settings.missed_dose_after_s: the on-time window of alarms that fit no scheduled dose. The
   * same number decides when such a dose is "missed" here and when its alert is raised.
   */
  defaultWindowS?: () => number
  /** The clock; tests pass a fixed one. */
  now?: () => number
}

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

export type ScheduleService = ReturnType<typeof createScheduleService>

const iso = (ms: number) => new Date(ms).toISOString()
const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms))

function daysToMask(days: readonly Weekday[]): number {
  return days.reduce((mask, d) => mask | (1 << WEEKDAYS.indexOf(d)), 0)
}

function maskToDays(mask: number): Weekday[] {
  return WEEKDAYS.filter((_, i) => mask & (1 << i))
}

function alarmDef(row: AlarmRow): AlarmDef {
  return {
    alarm_id: row.alarm_id,
    label: row.label,
    time: row.time_of_day,
    days_mask: row.days_mask,
    window_min: row.window_min,
    compartment: row.compartment,
    pill_count: row.pill_count
  }
}

function unknownDevice(deviceId: string): HttpError {
  return new HttpError(404, 'device-not-found', `no device with id ${deviceId}`, 'device_id')
}

/**
 * Medication schedules (versioned per device), dose outcomes and adherence. Outcomes are
 * computed on read from the schedule versions, the events and the device's presence, so an
 * event that arrives late corrects history without any bookkeeping.
 */
export function createScheduleService(deps: ScheduleServiceDeps) {
  const { db } = deps
  const repo = createScheduleRepository(db)
  const clock = deps.now ?? Date.now

  const currentZone = (): string => {
    const zone = deps.timeZone()
    return isTimeZone(zone) ? zone : 'UTC'
  }

  // The zone history is appended to lazily, on the first call after the setting changed; every
  // entry point calls this first. The alert engine polls dueMissedAlarms every minute or so,
  // which bounds the lag.
  let lastZone: string | undefined
  function syncZone(now: number): string {
    const zone = currentZone()
    if (zone === lastZone) return zone
    const row = repo.lastZone()
    if (!row) repo.insertZone(zone, EPOCH)
    else if (row.time_zone !== zone)
      repo.insertZone(zone, iso(Math.max(now, Date.parse(row.valid_from))))
    lastZone = zone
    return zone
  }

  function zoneSpans(): ZoneSpan[] {
    const rows = repo.zones()
    return rows.map((r, i) => ({
      zone: isTimeZone(r.time_zone) ? r.time_zone : 'UTC',
      from: Date.parse(r.valid_from),
      until: rows[i + 1] ? Date.parse(rows[i + 1]!.valid_from) : null
    }))
  }

  function versionSpans(deviceId: string): VersionSpan[] {
    const versions = repo.versions(deviceId)
    const alarms = new Map<number, AlarmDef[]>()
    for (const row of repo.alarmsOfDevice(deviceId)) {
      let list = alarms.get(row.version_id)
      if (!list) alarms.set(row.version_id, (list = []))
      list.push(alarmDef(row))
    }
    return versions.map((v, i) => ({
      version: v.id,
      from: Date.parse(v.valid_from),
      until: versions[i + 1] ? Date.parse(versions[i + 1]!.valid_from) : null,
      alarms: alarms.get(v.id) ?? []
    }))
  }

  /** Outcomes of one device's doses with from <= scheduled_at < to (and not in the future). */
  function outcomesOf(deviceId: string, from: number, to: number, now: number): Outcome[] {
    const versions = versionSpans(deviceId)
    const zones = zoneSpans()
    // A day of margin: neighbouring doses shape each dose's matching range, and an event near
    // the edge must go to the dose it belongs to even when that dose is outside the range.
    const doses = expandDoses(versions, zones, from - DAY_MS, to + DAY_MS)
    const evFrom = iso(from - DAY_MS - LATE_LIMIT_MS)
    const evTo = iso(to + DAY_MS + LATE_LIMIT_MS)
    const events: DoseEvent[] = repo.doseEvents(deviceId, evFrom, evTo).map((e) => ({
      id: e.id,
      type: e.type as DoseEventType,
      label: e.alarm_label === null ? null : String(e.alarm_label),
      at: Date.parse(e.occurred_at)
    }))
    const sightings: Array<[number, number]> = repo
      .presence(deviceId, evFrom, evTo)
      .map((p) => [Date.parse(p.start_at), Date.parse(p.end_at)])
    for (const at of repo.eventTimes(deviceId, evFrom, evTo)) {
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

  function scheduleView(
    version: VersionRow,
    until: string | null,
    alarms: AlarmRow[],
    zone: string,
    now: number
  ): ScheduleView {
    return {
      version: version.id,
      valid_from: version.valid_from,
      valid_until: until,
      created_by: version.created_by ?? null,
      alarms: alarms.map((a): ScheduleAlarmView => {
        const next = until === null ? nextOccurrence(alarmDef(a), zone, now) : null
        return {
          id: a.alarm_id,
          label: a.label,
          time: a.time_of_day,
          days: maskToDays(a.days_mask),
          compartment: a.compartment,
          pill_count: a.pill_count,
          window_min: a.window_min,
          medicine: a.medicine,
          dose: a.dose,
          next_at: isoOrNull(next)
        }
      })
    }
  }

  function requireDevice(deviceId: string) {
    const device = repo.device(deviceId)
    if (!device) throw unknownDevice(deviceId)
    return device
  }

  function currentSchedule(deviceId: string, zone: string, now: number): ScheduleView | null {
    const latest = repo.latestVersion(deviceId)
    return latest ? scheduleView(latest, null, repo.alarmsOfVersion(latest.id), zone, now) : null
  }

  function hasAlarms(deviceId: string): boolean {
    const latest = repo.latestVersion(deviceId)
    return latest ? repo.alarmsOfVersion(latest.id).length > 0 : false
  }

  // The version each device's heartbeat answer carries: asked on every heartbeat, changed only
  // by a save, so kept in memory (cleared by saveTx).
  const versionCache = new Map<string, number | null>()

  const saveTx = db.transaction(
    (
      deviceId: string,
      input: ScheduleInput,
      now: number,
      by: string | null
    ): { changed: boolean } => {
      const current = repo.latestVersion(deviceId)
      if (input.expected_version !== undefined && input.expected_version !== (current?.id ?? null))
        throw new HttpError(
          409,
          'schedule-version-conflict',
          `the schedule is at version ${current?.id ?? 'none'}, not ${input.expected_version}: reload and edit again`,
          'expected_version'
        )
      const currentAlarms = current ? repo.alarmsOfVersion(current.id) : []
      const currentIds = new Set(currentAlarms.map((a) => a.alarm_id))
      const seenIds = new Set<number>()
      input.alarms.forEach((a, i) => {
        if (a.id === undefined) return
        if (!currentIds.has(a.id))
          throw new HttpError(
            422,
            'unknown-alarm',
            `alarms.${i}.id: the current schedule has no alarm ${a.id}`,
            `alarms.${i}.id`
          )
        if (seenIds.has(a.id))
          throw new HttpError(
            422,
            'duplicate-alarm',
            `alarms.${i}.id: alarm ${a.id} is listed twice`,
            `alarms.${i}.id`
          )
        seenIds.add(a.id)
      })
      // Doses are matched to events by label and time: two alarms with the same label at the
      // same time on a shared day could not be told apart.
      input.alarms.forEach((a, i) => {
        const mask = daysToMask(a.days)
        const clash = input.alarms.findIndex(
          (b, j) =>
            j < i &&
            b.time === a.time &&
            normalizeLabel(b.label) === normalizeLabel(a.label) &&
            (daysToMask(b.days) & mask) !== 0
        )
        if (clash >= 0)
          throw new HttpError(
            422,
            'duplicate-alarm',
            `alarms.${i}: same label and time as alarms.${clash} on a shared day`,
            `alarms.${i}`
          )
      })
      const rows: Array<Omit<NewAlarm, 'alarm_id'> & { alarm_id?: number }> = input.alarms.map(
        (a) => ({
          alarm_id: a.id,
          label: a.label,
          time_of_day: a.time,
          days_mask: daysToMask(a.days),
          compartment: a.compartment ?? null,
          pill_count: a.pill_count ?? null,
          window_min: a.window_min ?? DEFAULT_WINDOW_MIN,
          medicine: a.medicine?.trim() || null,
          dose: a.dose?.trim() || null
        })
      )
      const unchanged =
        (current || rows.length === 0) &&
        rows.length === currentAlarms.length &&
        rows.every((r) => {
          const c = currentAlarms.find((x) => x.alarm_id === r.alarm_id)
          return (
            c !== undefined &&
            c.label === r.label &&
            c.time_of_day === r.time_of_day &&
            c.days_mask === r.days_mask &&
            c.compartment === r.compartment &&
            c.pill_count === r.pill_count &&
            c.window_min === r.window_min &&
            c.medicine === r.medicine &&
            c.dose === r.dose
          )
        })
      if (unchanged) return { changed: false }
      const createdAt = iso(now)
      // valid_from never goes backwards, even if the system clock does.
      const validFrom = current ? iso(Math.max(now, Date.parse(current.valid_from))) : createdAt
      repo.insertVersion(
        deviceId,
        validFrom,
        createdAt,
        rows.map((r) => ({ ...r, alarm_id: r.alarm_id ?? repo.newAlarmId(deviceId, createdAt) })),
        by
      )
      return { changed: true }
    }
  )

  function devicesFor(deviceId: string | undefined) {
    if (deviceId) return [requireDevice(deviceId)]
    return repo.devices()
  }

  function upcomingToday(deviceId: string, zone: string, today: string, now: number): number {
    const end = startOfLocalDay(zone, addDays(today, 1))
    return expandDoses(versionSpans(deviceId), zoneSpans(), now + 1, end).length
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
    if (fromMs >= toMs)
      throw new HttpError(422, 'validation-failed', 'from: must be before to', 'from')
    if (toMs - fromMs > MAX_RANGE_DAYS * DAY_MS)
      throw new HttpError(
        422,
        'range-too-large',
        `from: at most ${MAX_RANGE_DAYS} days at a time`,
        'from'
      )
    return { from: fromMs, to: toMs }
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

  function onDeviceSeen(deviceId: string, at: Date | string | number = clock()): void {
    const ms = at instanceof Date ? at.getTime() : typeof at === 'string' ? Date.parse(at) : at
    if (Number.isNaN(ms)) return
    repo.recordSighting(deviceId, iso(ms), deps.offlineAfterS() * 1000)
  }

  function cachedVersion(deviceId: string): number | null {
    let version = versionCache.get(deviceId)
    if (version === undefined) {
      version = repo.latestVersion(deviceId)?.id ?? null
      if (versionCache.size > 10_000) versionCache.clear()
      versionCache.set(deviceId, version)
    }
    return version
  }

  return {
    /** The clock in use (tests inject one). */
    now: (): number => clock(),

    // -- device side -------------------------------------------------------------------------

    /**
     * Fields to add to the heartbeat response. Call with the heartbeat's device_id after it is
     * recorded. schedule_version is null until the device is first given a schedule; a schedule
     * emptied later still has a version, so the device learns to drop its alarms.
     */
    heartbeatFields(deviceId: string): HeartbeatScheduleFields {
      const now = clock()
      const zone = syncZone(now)
      return {
        schedule_version: cachedVersion(deviceId),
        tz: tzInfo(zone, now)
      }
    },

    timeZoneInfo(): TzInfo {
      const now = clock()
      return tzInfo(syncZone(now), now)
    },

    /** GET /api/devices/{device_id}/schedule: what the dispenser should ring, and when. */
    deviceSchedule(deviceId: string): DeviceScheduleResponse {
      const now = clock()
      const zone = syncZone(now)
      const schedule = currentSchedule(deviceId, zone, now)
      onDeviceSeen(deviceId, now)
      return {
        ok: true,
        device_id: deviceId,
        schedule_version: schedule?.version ?? null,
        server_time: iso(now).replace(/\.\d{3}Z$/, 'Z'),
        tz: tzInfo(zone, now),
        alarms: (schedule?.alarms ?? []).map((a) => {
          const minutes = parseClockTime(a.time)
          return {
            id: a.id,
            label: a.label,
            time: a.time,
            hour: Math.floor(minutes / 60),
            minute: minutes % 60,
            days: a.days,
            days_mask: daysToMask(a.days),
            window_min: a.window_min,
            compartment: a.compartment,
            pill_count: a.pill_count,
            next_at: a.next_at
          }
        })
      }
    },

    /**
     * Presence hook: call on every heartbeat and every stored event (with the time it was
     * received); the core passes it to the device service as `onSeen`, so presence is written in
     * the heartbeat's transaction. Without it, doses with no events read "unknown".
     */
    onDeviceSeen,

    // -- schedules ---------------------------------------------------------------------------

    getSchedule(deviceId: string): ScheduleResponse {
      requireDevice(deviceId)
      const now = clock()
      const zone = syncZone(now)
      return {
        ok: true,
        device_id: deviceId,
        schedule: currentSchedule(deviceId, zone, now),
        time_zone: tzInfo(zone, now)
      }
    },

    /**
     * Replaces the schedule with a new version valid from now. Alarms given with an id keep their
     * identity; identical input changes nothing (no new version, so devices do not refetch).
     */
    putSchedule(
      deviceId: string,
      input: ScheduleInput,
      by: string | null = null
    ): ScheduleResponse {
      requireDevice(deviceId)
      const now = clock()
      const zone = syncZone(now)
      const { changed } = saveTx(deviceId, input, now, by)
      versionCache.delete(deviceId)
      return {
        ok: true,
        device_id: deviceId,
        schedule: currentSchedule(deviceId, zone, now),
        changed,
        time_zone: tzInfo(zone, now)
      }
    },

    versions(deviceId: string): ScheduleVersionsResponse {
      requireDevice(deviceId)
      const now = clock()
      const zone = syncZone(now)
      const rows = repo.versions(deviceId)
      const views = rows.map((v, i) =>
        scheduleView(v, rows[i + 1]?.valid_from ?? null, repo.alarmsOfVersion(v.id), zone, now)
      )
      return { ok: true, device_id: deviceId, versions: views.reverse() }
    },

    // -- outcomes and adherence --------------------------------------------------------------

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
      return new Map(repo.devices().map((d) => [d.device_id, d.name]))
    },

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
        throw new HttpError(422, 'range-too-large', 'count: too many periods', 'count')
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
        toDate = formatDate(y, m, daysInMonth(y, m))
      } else {
        toDate = query.to ?? today
        fromDate = query.from ?? addDays(toDate, -29)
      }
      // A report ends today: the rest of this month has no doses yet (a month report on the
      // 1st covers the 1st, not up to the 31st).
      if (toDate > today && fromDate <= today) toDate = today
      if (fromDate > toDate)
        throw new HttpError(422, 'validation-failed', 'from: must not be after to', 'from')
      if (daysBetween(fromDate, toDate) >= MAX_RANGE_DAYS)
        throw new HttpError(
          422,
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
    },

    // -- alerts ------------------------------------------------------------------------------

    /**
     * Scheduled doses from the last 24 h whose on-time window has passed with no alarm_triggered,
     * no alarm_ack and no dose_taken matched to them: the alarm never rang (or never told us).
     * Safe to call as often as wanted; dedupe with dedupe_key. A dose drops out of the list as
     * soon as a late-uploaded event shows it rang.
     */
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
      syncZone(now)
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
      const zone = syncZone(now)
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

    dueMissedAlarms(at: Date | number = clock()): DueMissedAlarm[] {
      const now = at instanceof Date ? at.getTime() : at
      syncZone(now)
      const zones = zoneSpans()
      const names = new Map(repo.devices().map((d) => [d.device_id, d.name]))
      const due: DueMissedAlarm[] = []
      for (const deviceId of repo.devicesWithSchedules()) {
        for (const o of outcomesOf(deviceId, now - DAY_MS, now + 1, now)) {
          if (o.source !== 'schedule' || (o.status !== 'missed' && o.status !== 'unknown')) continue
          if (o.rings > 0 || o.ack_at !== null || o.taken_at !== null) continue
          const scheduledAt = iso(o.at)
          due.push({
            device_id: deviceId,
            device_name: names.get(deviceId) ?? null,
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
