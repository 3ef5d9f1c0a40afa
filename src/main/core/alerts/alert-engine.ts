import type { DeviceView, EventView } from '../../../shared/api-schemas'
import type { EventRepository, EventRow } from '../events/event-repository'
import type { CoreEventBus } from '../lib/event-bus'
import type { Logger } from '../lib/logger'
import type { SettingsService } from '../settings/settings-service'
import type { AlertService } from './alert-service'

const REBOOT_LOOP_COUNT = 3
const REBOOT_LOOP_WINDOW_MS = 10 * 60 * 1000
// Alarms older than this are history, not news: a server that was off for a week does not
// flood the family with week-old "missed" messages when it comes back.
const MISSED_LOOKBACK_MS = 24 * 3600 * 1000
// A dispenser back from an outage uploads its buffered events in order: alarm, then dose. An
// alarm is judged only once it has been here this long, so the dose has time to arrive too.
const UPLOAD_GRACE_MS = 3000
// A dose taken this long after its missed-dose alert still closes it (the outcomes' late limit).
const FOLLOW_UP_WINDOW_MS = 12 * 3600 * 1000
// dueMissedAlarms judges the last day; a margin keeps alerts at its edge out of the comparison.
const SCHEDULE_MISSED_LOOKBACK_MS = 23 * 3600 * 1000
// A reboot this soon after a reboot command reached the device is that command's.
const REQUESTED_REBOOT_MS = 10 * 60 * 1000
// A device's clock may run a little behind ours.
const CLOCK_SKEW_MS = 60 * 1000

/** A scheduled dose whose alarm never rang (provided by the schedules feature). */
export interface MissedScheduledAlarm {
  device_id: string
  alarm_label: string
  scheduled_at: string
  dedupe_key: string
}

function label(payload: string | Record<string, unknown> | null): string | undefined {
  const p = typeof payload === 'string' ? (JSON.parse(payload) as Record<string, unknown>) : payload
  const value = p?.alarm_label
  return typeof value === 'string' && value ? value : undefined
}

function payloadOf(payload: string | Record<string, unknown> | null): Record<string, unknown> {
  const p = typeof payload === 'string' ? (JSON.parse(payload) as unknown) : payload
  return p && typeof p === 'object' ? (p as Record<string, unknown>) : {}
}

/** What the dose an alarm rang for came to, as the schedules feature computes it. */
export interface AlarmOutcome {
  status: 'on_time' | 'late' | 'missed' | 'unknown' | 'pending'
  source: 'schedule' | 'alarm' | 'unscheduled'
}

/** A dose matches an alarm when labels agree, or when either side did not say. */
function sameDose(a: string | undefined, b: string | undefined): boolean {
  return a === undefined || b === undefined || a === b
}

/**
 * Watches what devices do and raises alerts: missed doses, silent dispensers (and their return),
 * failed updates and reboot loops.
 *
 * One model for doses: a missed-dose alert is raised when the dose's outcome becomes "missed",
 * i.e. at the end of its on-time window (the schedule alarm's window, or missed_dose_after_s for
 * an alarm that fits no schedule). A dose taken on time therefore never raised an alert, and a
 * dose taken after its alert closes that alert (resolved, every message edited).
 * Detectors that depend on time passing run on a timer and are idempotent through dedupe keys,
 * so restarts neither lose nor repeat alerts.
 */
export function createAlertEngine(deps: {
  alerts: AlertService
  events: EventRepository
  settings: SettingsService
  bus: CoreEventBus
  log: Logger
  tickMs?: number
  missedScheduledAlarms?: (now: Date) => MissedScheduledAlarm[]
  /** The outcomes of the doses these alarm events rang for, by event id (schedules feature). */
  alarmOutcomes?: (
    deviceId: string,
    alarms: ReadonlyArray<{ id: number; at: number }>,
    now: Date
  ) => Map<number, AlarmOutcome>
  /** When reboot commands the family sent reached this device in [from, to] (ISO, oldest first). */
  rebootsRequested?: (deviceId: string, from: string, to: string) => string[]
}) {
  const { alerts, events, settings, bus, log } = deps
  let timer: NodeJS.Timeout | undefined

  const onEvent = (event: EventView) => {
    if (event.type === 'ota_fail') {
      alerts.raise('ota_failed', event.device_id, `ota_failed:${event.id}`, {
        version: typeof event.payload?.version === 'string' ? event.payload.version : undefined,
        error:
          typeof event.payload?.error === 'string' ? event.payload.error.slice(0, 120) : undefined
      })
    } else if (event.type === 'reboot') {
      const since = new Date(Date.parse(event.occurred_at) - REBOOT_LOOP_WINDOW_MS).toISOString()
      const reboots = unrequestedReboots(event.device_id, since, event.occurred_at)
      // Reboots the family asked for (the dashboard's "Reiniciar") are not a loop.
      if (!reboots.some((r) => r.id === event.id)) return
      if (
        reboots.length >= REBOOT_LOOP_COUNT &&
        !alerts.latestOfKind(event.device_id, 'reboot_loop', since)
      ) {
        alerts.raise('reboot_loop', event.device_id, `reboot_loop:${event.id}`, {
          count: reboots.length
        })
      }
    } else if (event.type === 'dose_taken') {
      followUpLateDose(event)
      followUpScheduleMissed(event)
    } else if (event.type === 'alarm_triggered' || event.type === 'alarm_ack') {
      followUpScheduleMissed(event)
    }
  }

  /**
   * A "did not ring" alert whose alarm event arrives later (the dispenser buffered it while
   * offline) closes by itself, everywhere: once its dose has a ring, an acknowledgement or a
   * dose, the schedules no longer list it as missed. Cheap when nothing is open (the usual case);
   * only alerts inside the schedules' look-back (one day) are judged, older ones stay as they are.
   */
  const followUpScheduleMissed = (event: EventView) => {
    if (!deps.missedScheduledAlarms) return
    const now = new Date()
    const lookBack = new Date(now.getTime() - SCHEDULE_MISSED_LOOKBACK_MS).toISOString()
    const open = alerts
      .unresolvedOfKind(event.device_id, 'schedule_missed', lookBack)
      .filter((a) => {
        const at = (JSON.parse(a.params) as { alarm_at?: string }).alarm_at
        return at !== undefined && at > lookBack
      })
    if (open.length === 0) return
    const still = new Set(
      deps.missedScheduledAlarms(now).map((m) => `schedule_missed:${m.dedupe_key}`)
    )
    for (const a of open)
      if (!still.has(a.dedupe_key))
        alerts.resolveTaken(a.id, event.occurred_at, event.type === 'dose_taken' ? 'taken' : 'rang')
  }

  /**
   * The reboots in [since, until] nobody asked for. A reboot is the family's when the device says
   * so (payload reason "remote", as the simulator and newer firmware send) or when it is the first
   * reboot after a reboot command reached the device (within REQUESTED_REBOOT_MS); each command
   * explains one reboot, so a device that keeps restarting after a requested reboot still loops.
   */
  const unrequestedReboots = (deviceId: string, since: string, until: string): EventRow[] => {
    const reboots = events.forDeviceOfTypeBetween(deviceId, 'reboot', since, until)
    const commands =
      deps.rebootsRequested?.(
        deviceId,
        new Date(Date.parse(since) - REQUESTED_REBOOT_MS).toISOString(),
        until
      ) ?? []
    const explained = new Set<number>()
    for (const deliveredAt of commands) {
      const from = Date.parse(deliveredAt) - CLOCK_SKEW_MS
      const first = reboots.find((r) => {
        const at = Date.parse(r.occurred_at)
        return !explained.has(r.id) && at >= from && at <= from + REQUESTED_REBOOT_MS
      })
      if (first) explained.add(first.id)
    }
    return reboots.filter((r) => !explained.has(r.id) && payloadOf(r.payload).reason !== 'remote')
  }

  /** A dose that arrives after its missed-dose alert closes that alert, everywhere. */
  const followUpLateDose = (dose: EventView) => {
    const since = new Date(Date.parse(dose.occurred_at) - FOLLOW_UP_WINDOW_MS).toISOString()
    const missed = alerts.unresolvedOfKind(dose.device_id, 'missed_dose', since).find((a) => {
      const params = JSON.parse(a.params) as { alarm_label?: string; alarm_at?: string }
      return (
        sameDose(params.alarm_label, label(dose.payload)) &&
        !(params.alarm_at && params.alarm_at > dose.occurred_at)
      )
    })
    if (missed) alerts.resolveTaken(missed.id, dose.occurred_at)
  }

  const onOffline = (device: DeviceView) => {
    alerts.raise(
      'device_offline',
      device.device_id,
      `offline:${device.device_id}:${device.last_seen}`,
      {
        since: device.last_seen
      }
    )
  }

  const onOnline = (device: DeviceView) => {
    const offline = alerts.latestOfKind(device.device_id, 'device_offline', '0000')
    if (offline) alerts.raise('device_online', device.device_id, `online:${offline.id}`, {})
  }

  /** Alarms that rang, whose dose is now "missed" (its on-time window passed, nothing taken). */
  const checkMissedDoses = (now: Date) => {
    const from = new Date(now.getTime() - MISSED_LOOKBACK_MS).toISOString()
    const settled = new Date(now.getTime() - UPLOAD_GRACE_MS).toISOString()
    // Cheap filter first: alarms not yet alerted with no matching dose since. Only those need
    // their outcome computed, once per device per tick.
    // The window's doses are read once per tick, grouped by device: one query per alarm made a
    // tick cost alarms × doses, which froze the server for seconds under a burst of events.
    const nowIso = now.toISOString()
    const dosesOf = new Map<string, Array<{ at: string; label: string | undefined }>>()
    for (const dose of events.ofTypeBetween('dose_taken', from, nowIso)) {
      const list = dosesOf.get(dose.device_id) ?? []
      list.push({ at: dose.occurred_at, label: label(dose.payload) })
      dosesOf.set(dose.device_id, list)
    }
    const candidates = new Map<string, EventRow[]>()
    for (const alarm of events.ofTypeBetween('alarm_triggered', from, nowIso)) {
      if (alarm.received_at > settled || alerts.hasKey(`missed:${alarm.id}`)) continue
      const alarmLabel = label(alarm.payload)
      // A dose at or after the alarm (up to now) answers it, as the per-alarm query did.
      const doses = dosesOf.get(alarm.device_id)
      if (doses?.some((d) => d.at >= alarm.occurred_at && sameDose(alarmLabel, d.label))) continue
      const list = candidates.get(alarm.device_id) ?? []
      list.push(alarm)
      candidates.set(alarm.device_id, list)
    }
    const fallbackWindowMs = settings.current().missed_dose_after_s * 1000
    for (const [deviceId, alarms] of candidates) {
      const outcomes = deps.alarmOutcomes?.(
        deviceId,
        alarms.map((a) => ({ id: a.id, at: Date.parse(a.occurred_at) })),
        now
      )
      for (const alarm of alarms) {
        let unscheduled = false
        if (outcomes) {
          // A re-ring of a dose already judged belongs to that dose: no outcome of its own.
          const outcome = outcomes.get(alarm.id)
          if (!outcome || outcome.status !== 'missed') continue
          unscheduled = outcome.source === 'unscheduled'
        } else if (Date.parse(alarm.occurred_at) > now.getTime() - fallbackWindowMs) continue
        alerts.raise('missed_dose', alarm.device_id, `missed:${alarm.id}`, {
          alarm_label: label(alarm.payload),
          alarm_at: alarm.occurred_at,
          ...(unscheduled ? { unscheduled: true } : {})
        })
      }
    }
    for (const missed of deps.missedScheduledAlarms?.(now) ?? []) {
      alerts.raise('schedule_missed', missed.device_id, `schedule_missed:${missed.dedupe_key}`, {
        alarm_label: missed.alarm_label,
        alarm_at: missed.scheduled_at
      })
    }
  }

  const tick = () => {
    try {
      checkMissedDoses(new Date())
    } catch (err) {
      log.error('alert check failed', { err: String(err) })
    }
  }

  const guarded =
    <A extends unknown[]>(fn: (...args: A) => void) =>
    (...args: A) => {
      try {
        fn(...args)
      } catch (err) {
        log.error('alert detector failed', { err: String(err) })
      }
    }
  const listeners = {
    event: guarded(onEvent),
    offline: guarded(onOffline),
    online: guarded(onOnline)
  }

  return {
    start() {
      bus.on('event.created', listeners.event)
      bus.on('device.offline', listeners.offline)
      bus.on('device.online', listeners.online)
      tick()
      timer = setInterval(tick, deps.tickMs ?? 5000)
      timer.unref()
    },
    stop() {
      if (timer) clearInterval(timer)
      bus.off('event.created', listeners.event)
      bus.off('device.offline', listeners.offline)
      bus.off('device.online', listeners.online)
    },
    /** For tests and the scheduler: run the time-based checks now. */
    tick: checkMissedDoses
  }
}
