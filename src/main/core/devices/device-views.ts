import type { CommandView, DeviceView, OtaStateView } from '../../../shared/api-schemas'
import type { CommandRow } from './command-repository'
import type { DeviceRow } from './device-repository'

export function toCommandView(row: CommandRow): CommandView {
  return {
    id: row.id,
    command: row.command,
    status: row.status,
    requested_at: row.requested_at,
    delivered_at: row.delivered_at
  }
}

export function isOnline(lastSeen: string, offlineAfterS: number, now = Date.now()): boolean {
  return now - Date.parse(lastSeen) < offlineAfterS * 1000
}

export function toDeviceView(
  row: DeviceRow,
  offlineAfterS: number,
  lastCommand: CommandRow | undefined,
  ota: OtaStateView | null,
  now = Date.now()
): DeviceView {
  return {
    device_id: row.device_id,
    name: row.display_name ?? row.name,
    reported_name: row.name,
    firmware_version: row.firmware_version,
    ip_address: row.ip_address,
    status: row.status,
    online: isOnline(row.last_seen, offlineAfterS, now),
    first_seen: row.first_seen,
    last_seen: row.last_seen,
    heartbeats: row.heartbeats,
    last_command: lastCommand ? toCommandView(lastCommand) : null,
    chip: row.chip,
    blocked: row.blocked === 1,
    ota,
    chip_model: row.chip_model,
    applied_schedule_version: row.applied_schedule_version,
    rssi: row.rssi,
    free_heap: row.free_heap,
    uptime_s: row.uptime_s,
    reset_reason: row.reset_reason
  }
}
