import type { ScheduleAlarmView, ScheduleView, Weekday } from '../../../shared/schedule-schemas'
import { WEEKDAYS } from '../../../shared/schedule-schemas'
import { NotFound, type DomainError } from '../lib/domain-errors'
import type { BatchWriter } from '../store/batch-writer'
import type { Db } from '../store/db'
import { nextOccurrence, type AlarmDef, type VersionSpan, type ZoneSpan } from './doses'
import type { OutcomeReadModel } from './outcome-read-model'
import type { AlarmRow, ScheduleRepository, VersionRow } from './schedule-repository'
import { isTimeZone } from '../../../shared/time-zone'

// What every part of the schedules service shares (editing, outcomes, reports, the device
// side): the clock, the family's zone and its history, the versions as spans, the views of a
// version, and the device rows it names. schedule-service.ts composes the parts.

export const DAY_MS = 86_400_000
/** Longest span one request may compute (a year of doses and a little more). */
export const MAX_RANGE_DAYS = 400
export const EPOCH = new Date(0).toISOString()

export interface ScheduleServiceDeps {
  db: Db
  /** The schedules feature's own tables. */
  repo: ScheduleRepository
  /** What it reads of the devices' and events' tables (outcomes are computed on read). */
  reads: OutcomeReadModel
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
  /**
   * Where sightings from the device path are written: held in memory and written with the
   * writer's next batch (presence needs minute precision). Without it, they are written at once.
   */
  writer?: Pick<BatchWriter, 'addStage' | 'commitSoftNow'>
}

export const iso = (ms: number) => new Date(ms).toISOString()
export const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms))

export function daysToMask(days: readonly Weekday[]): number {
  return days.reduce((mask, d) => mask | (1 << WEEKDAYS.indexOf(d)), 0)
}

export function maskToDays(mask: number): Weekday[] {
  return WEEKDAYS.filter((_, i) => mask & (1 << i))
}

export function alarmDef(row: AlarmRow): AlarmDef {
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

export function unknownDevice(deviceId: string): DomainError {
  return new NotFound('device-not-found', `no device with id ${deviceId}`, 'device_id')
}

export type ScheduleContext = ReturnType<typeof createScheduleContext>

export function createScheduleContext(deps: ScheduleServiceDeps) {
  const { repo, reads } = deps
  const clock = deps.now ?? Date.now

  const currentZone = (): string => {
    const zone = deps.timeZone()
    return isTimeZone(zone) ? zone : 'UTC'
  }

  // Callers that pass their own instant (the alert engine's timer) still record a zone change on
  // this service's clock, so zone and schedule history share one clock.
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
    const device = deviceRow(deviceId)
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

  // Device rows are read with SQL here: what the device path holds in memory (the last second of
  // heartbeats: a new device, a new name) is written first.
  function deviceRow(deviceId: string) {
    deps.writer?.commitSoftNow()
    return reads.device(deviceId)
  }
  function deviceRows() {
    deps.writer?.commitSoftNow()
    return reads.devices()
  }

  // The version each device's heartbeat answer carries: asked on every heartbeat, changed only
  // by a save (or the device's removal, whose versions go with it). Every device that has a
  // schedule is held (the family's dispensers: few), read once; a device without one answers
  // null without a query, however large the fleet.
  const latestVersions = new Map(repo.latestVersions())

  function cachedVersion(deviceId: string): number | null {
    return latestVersions.get(deviceId) ?? null
  }

  /** Reads a device's latest version again (after a save or its removal). */
  function forgetVersion(deviceId: string): void {
    const latest = repo.latestVersion(deviceId)
    if (latest) latestVersions.set(deviceId, latest.id)
    else latestVersions.delete(deviceId)
  }

  return {
    deps,
    repo,
    reads,
    clock,
    syncZone,
    zoneSpans,
    versionSpans,
    scheduleView,
    requireDevice,
    currentSchedule,
    hasAlarms,
    deviceRow,
    deviceRows,
    cachedVersion,
    forgetVersion
  }
}
