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
// A dose taken this long after its missed-dose alert still gets a "taken at" follow-up.
const FOLLOW_UP_WINDOW_MS = 12 * 3600 * 1000

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

/** A dose matches an alarm when labels agree, or when either side did not say. */
function sameDose(a: string | undefined, b: string | undefined): boolean {
  return a === undefined || b === undefined || a === b
}

/**
 * Watches what devices do and raises alerts: missed doses (an alarm with no dose_taken within
 * missed_dose_after_s), silent dispensers (and their return), failed updates and reboot loops.
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
      const reboots = events.forDeviceOfTypeBetween(
        event.device_id,
        'reboot',
        since,
        event.occurred_at
      )
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
    }
  }

  const followUpLateDose = (dose: EventView) => {
    const since = new Date(Date.parse(dose.occurred_at) - FOLLOW_UP_WINDOW_MS).toISOString()
    const missed = alerts.latestOfKind(dose.device_id, 'missed_dose', since)
    if (!missed) return
    const params = JSON.parse(missed.params) as { alarm_label?: string; alarm_at?: string }
    if (!sameDose(params.alarm_label, label(dose.payload))) return
    if (params.alarm_at && params.alarm_at > dose.occurred_at) return
    alerts.raise('dose_taken_late', dose.device_id, `taken_late:${missed.id}`, {
      alarm_label: params.alarm_label,
      alarm_at: params.alarm_at,
      taken_at: dose.occurred_at
    })
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

  /** Alarms that rang, whose window passed with no dose taken. */
  const checkMissedDoses = (now: Date) => {
    const windowMs = settings.current().missed_dose_after_s * 1000
    const from = new Date(now.getTime() - MISSED_LOOKBACK_MS).toISOString()
    const to = new Date(now.getTime() - windowMs).toISOString()
    const settled = new Date(now.getTime() - UPLOAD_GRACE_MS).toISOString()
    for (const alarm of events.ofTypeBetween('alarm_triggered', from, to)) {
      const key = `missed:${alarm.id}`
      if (alarm.received_at > settled || alerts.hasKey(key)) continue
      const alarmLabel = label(alarm.payload)
      // Any matching dose since the alarm (even a late one) means it was taken: no alarm needed.
      const doses = events.forDeviceOfTypeBetween(
        alarm.device_id,
        'dose_taken',
        alarm.occurred_at,
        now.toISOString()
      )
      if (doses.some((d: EventRow) => sameDose(alarmLabel, label(d.payload)))) continue
      alerts.raise('missed_dose', alarm.device_id, key, {
        alarm_label: alarmLabel,
        alarm_at: alarm.occurred_at
      })
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
