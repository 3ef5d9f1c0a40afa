import type { AlertView, DeviceView } from '../../../shared/api-schemas'
import type { AlertService } from '../alerts/alert-service'
import type { DeviceService } from '../devices/device-service'
import type { ScheduleService } from '../schedules/schedule-service'
import { localDateOf, localTimeOf } from '../../../shared/time-zone'
import type { SettingsService } from '../settings/settings-service'
import type { Health, TodayDevice, TodayResponse } from './schemas'

// Alerts about the dispenser itself (not about a dose): while one is open, health reads
// "attention".
const DEVICE_TROUBLE = new Set(['reboot_loop', 'ota_failed', 'schedule_missed'])

export function healthOf(device: DeviceView, openAlerts: readonly AlertView[]): Health {
  if (device.blocked) return 'blocked'
  if (!device.online) return 'offline'
  if (device.ota?.state === 'failed' || openAlerts.some((a) => DEVICE_TROUBLE.has(a.kind)))
    return 'attention'
  return 'ok'
}

export type TodayService = ReturnType<typeof createTodayService>

/**
 * The caregiver's question, answered in one request: has each person taken today's doses?
 * Reads only today's events (indexed by device and time) plus the open alerts.
 */
export function createTodayService(deps: {
  devices: DeviceService
  schedules: ScheduleService
  alerts: AlertService
  settings: SettingsService
  now?: () => number
}) {
  return {
    today(): TodayResponse {
      const now = deps.now?.() ?? Date.now()
      const zone = deps.settings.current().time_zone
      const open = new Map<string, AlertView[]>()
      for (const alert of deps.alerts.list({ open: true, limit: 500 })) {
        const list = open.get(alert.device_id) ?? []
        list.push(alert)
        open.set(alert.device_id, list)
      }
      const devices = deps.devices.list().map((device): TodayDevice => {
        const alerts = open.get(device.device_id) ?? []
        const doses = deps.schedules.dosesToday(device.device_id, now)
        const upcoming = doses.find((d) => d.status === 'upcoming' && d.alarm_label !== null)
        let next: TodayDevice['next_dose'] = null
        if (upcoming) {
          next = {
            alarm_label: upcoming.alarm_label!,
            medicine: upcoming.medicine,
            dose: upcoming.dose,
            at: upcoming.scheduled_at,
            local_time: upcoming.local_time,
            local_date: localDateOf(zone, Date.parse(upcoming.scheduled_at))
          }
        } else {
          // Nothing more today: the soonest alarm of the schedule in force (tomorrow or later).
          const alarms = deps.schedules.getSchedule(device.device_id).schedule?.alarms ?? []
          const soonest = alarms
            .filter((a) => a.next_at !== null)
            .sort((a, b) => a.next_at!.localeCompare(b.next_at!))[0]
          if (soonest) {
            const at = Date.parse(soonest.next_at!)
            next = {
              alarm_label: soonest.label,
              medicine: soonest.medicine,
              dose: soonest.dose,
              at: soonest.next_at!,
              local_time: localTimeOf(zone, at),
              local_date: localDateOf(zone, at)
            }
          }
        }
        return {
          device_id: device.device_id,
          name: device.name,
          online: device.online,
          last_seen: device.last_seen,
          health: healthOf(device, alerts),
          doses,
          next_dose: next,
          open_alerts: alerts
        }
      })
      return {
        ok: true,
        time_zone: zone,
        local_date: localDateOf(zone, now),
        now: new Date(now).toISOString(),
        devices
      }
    }
  }
}
