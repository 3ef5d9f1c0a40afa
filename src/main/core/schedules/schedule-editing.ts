import { DEFAULT_WINDOW_MIN, normalizeLabel } from '../../../shared/alarm-rules'
import type {
  ScheduleInput,
  ScheduleResponse,
  ScheduleVersionsResponse
} from '../../../shared/schedule-schemas'
import { Conflict, Invalid } from '../lib/domain-errors'
import { daysToMask, iso, type ScheduleContext } from './schedule-context'
import type { NewAlarm } from './schedule-repository'
import { tzInfo } from './posix-tz'

/**
 * Editing schedules: each save is a new version valid from now, so earlier doses keep the
 * alarms they had. Part of the schedules service (schedule-service.ts).
 */
export function createScheduleEditing(ctx: ScheduleContext) {
  const { repo, clock, syncZone, requireDevice, currentSchedule, scheduleView } = ctx
  const { db } = ctx.deps

  const saveTx = db.transaction(
    (
      deviceId: string,
      input: ScheduleInput,
      now: number,
      by: string | null
    ): { changed: boolean } => {
      const current = repo.latestVersion(deviceId)
      if (input.expected_version !== undefined && input.expected_version !== (current?.id ?? null))
        throw new Conflict(
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
          throw new Invalid(
            'unknown-alarm',
            `alarms.${i}.id: the current schedule has no alarm ${a.id}`,
            `alarms.${i}.id`
          )
        if (seenIds.has(a.id))
          throw new Invalid(
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
          throw new Invalid(
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

  return {
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
      ctx.forgetVersion(deviceId)
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
    }
  }
}
