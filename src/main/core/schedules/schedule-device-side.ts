import type {
  DeviceScheduleResponse,
  HeartbeatScheduleFields,
  TzInfo
} from '../../../shared/schedule-schemas'
import { daysToMask, iso, type ScheduleContext } from './schedule-context'
import { parseClockTime } from '../../../shared/time-zone'
import { tzInfo } from './posix-tz'
import { takeOldest } from '../lib/take-oldest'

/**
 * The dispensers' side of schedules: the fields a heartbeat answer carries, the schedule a
 * dispenser fetches, and presence (every contact is a sighting: a dose with no events is
 * "missed" when the device was reachable, "unknown" when not). Part of the schedules service.
 */
export function createScheduleDeviceSide(ctx: ScheduleContext) {
  const { deps, repo, clock, syncZone, currentSchedule, cachedVersion } = ctx

  function onDeviceSeen(deviceId: string, at: Date | string | number = clock()): void {
    const ms = at instanceof Date ? at.getTime() : typeof at === 'string' ? Date.parse(at) : at
    if (Number.isNaN(ms)) return
    repo.recordSighting(deviceId, iso(ms), deps.offlineAfterS() * 1000)
  }

  // Sightings from the device path, per device: the first and the last since the last batch
  // (the first may open a new interval, the last stretches it).
  let sightings = new Map<string, { first: number; last: number }>()
  let writing: typeof sightings | undefined
  function noteSighting(deviceId: string, at: number): void {
    if (!deps.writer) return onDeviceSeen(deviceId, at)
    const seen = sightings.get(deviceId)
    if (!seen) sightings.set(deviceId, { first: at, last: at })
    else if (at > seen.last) seen.last = at
    else if (at < seen.first) seen.first = at
  }
  deps.writer?.addStage({
    held: () => sightings.size,
    write(max) {
      ;[writing, sightings] = takeOldest(sightings, max)
      for (const [deviceId, { first, last }] of writing) {
        onDeviceSeen(deviceId, first)
        if (last !== first) onDeviceSeen(deviceId, last)
      }
      return writing.size
    },
    settle(committed) {
      // Rolled back: keep them (and any taken since) for the next batch.
      if (!committed && writing)
        for (const [id, s] of writing) {
          const now = sightings.get(id)
          sightings.set(id, now ? { first: s.first, last: Math.max(s.last, now.last) } : s)
        }
      writing = undefined
    }
  })

  return {
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
      noteSighting(deviceId, now)
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

    /** Records a sighting at once (tests use it to lay down presence history). */
    onDeviceSeen,

    /**
     * The device-contact listener (core.ts subscribes it): every heartbeat and stored event is
     * a sighting, written with the writer's next batch. Without it, doses with no events read
     * "unknown".
     */
    onContact(contact: { device_id: string; at: number }): void {
      noteSighting(contact.device_id, contact.at)
    }
  }
}
