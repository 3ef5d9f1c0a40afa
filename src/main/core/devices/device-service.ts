import type { DeviceView, OtaStateView } from '../../../shared/api-schemas'
import type { CoreEventBus } from '../lib/event-bus'
import { isoMillis } from '../lib/time'
import type { Db } from '../store/db'
import type { CommandRepository, CommandRow } from './command-repository'
import type { DeviceRepository, DeviceRow } from './device-repository'
import type { EventRepository } from '../events/event-repository'
import { isOnline, toCommandView, toDeviceView } from './device-views'
import type { HeartbeatBody } from './schemas'
import { chipFamily } from './chip'
import type { HeartbeatTelemetry } from './device-repository'

/** The issue-11 fields of a heartbeat, as the repository stores them. */
function telemetryOf(body: HeartbeatBody): HeartbeatTelemetry {
  return {
    chip_model: body.chip,
    chip: body.chip === undefined ? undefined : chipFamily(body.chip),
    schedule_version: body.schedule_version,
    rssi: body.rssi,
    free_heap: body.free_heap,
    uptime_s: body.uptime_s,
    reset_reason: body.reset_reason
  }
}

export interface DeviceServiceDeps {
  db: Db
  devices: DeviceRepository
  commands: CommandRepository
  events: EventRepository
  bus: CoreEventBus
  offlineAfterS: () => number
  /** Per-device OTA progress, shown on the device cards (owned by the firmware feature). */
  ota: { state(deviceId: string): OtaStateView | null; states(): Map<string, OtaStateView> }
  /**
   * Runs inside the write's transaction whenever a device is heard from (presence history for
   * the schedules): in the same commit, so a heartbeat costs one disk flush, not two.
   */
  onSeen?: (deviceId: string, receivedAt?: string) => void
}

export type DeviceService = ReturnType<typeof createDeviceService>

/** Heartbeats, presence, and the commands queued for devices. */
export function createDeviceService({
  db,
  devices,
  commands,
  events,
  bus,
  offlineAfterS,
  ota,
  onSeen = () => {}
}: DeviceServiceDeps) {
  // Checked on every device request, so kept in memory; only setBlocked() changes it.
  const blocked = new Set(devices.blockedIds())
  // Online state as last announced, so transitions are announced exactly once.
  const announcedOnline = new Map<string, boolean>()

  const view = (deviceId: string): DeviceView | undefined => {
    const row = devices.get(deviceId)
    return row
      ? toDeviceView(row, offlineAfterS(), commands.latest(deviceId), ota.state(deviceId))
      : undefined
  }

  const announce = (device: DeviceView) => {
    bus.emit('device.updated', device)
    const before = announcedOnline.get(device.device_id)
    if (before !== device.online) {
      announcedOnline.set(device.device_id, device.online)
      // A device first seen now is "online" news too; one loaded at start is not.
      if (before !== undefined || device.online)
        bus.emit(device.online ? 'device.online' : 'device.offline', device)
    }
  }

  /**
   * Announces a device after a write. Building its full view costs two more queries, so it is
   * skipped on the hot path when nothing listens (no dashboard open) and its online state did not
   * change — the common case for a heartbeat.
   */
  const announceRow = (row: DeviceRow, command?: CommandRow) => {
    const online = isOnline(row.last_seen, offlineAfterS())
    if (announcedOnline.get(row.device_id) === online && bus.listenerCount('device.updated') === 0)
      return
    const lastCommand = command ?? commands.latest(row.device_id)
    announce(toDeviceView(row, offlineAfterS(), lastCommand, ota.state(row.device_id)))
  }

  // Upsert and command hand-out in one transaction: a reboot is delivered exactly once even when
  // two heartbeats from the same device race.
  const heartbeatTx = db.transaction(
    (body: HeartbeatBody, socketIp: string | null, now: string) => {
      devices.recordHeartbeat({
        device_id: body.device_id,
        name: body.name,
        firmware_version: body.firmware_version,
        ip_address: body.ip_address ?? socketIp,
        status: body.status,
        now,
        telemetry: telemetryOf(body)
      })
      const command = commands.claimNext(body.device_id, now)
      onSeen(body.device_id)
      return command
    }
  )

  return {
    recordHeartbeat(body: HeartbeatBody, socketIp: string | null): { command?: string } {
      const command = heartbeatTx(body, socketIp, isoMillis())
      // A device that beats is online; its full row is read back only when someone needs it:
      // it was not announced online yet, a dashboard is listening, or a command went out.
      if (
        command ||
        announcedOnline.get(body.device_id) !== true ||
        bus.listenerCount('device.updated') > 0
      ) {
        announceRow(devices.get(body.device_id)!, command)
      }
      if (command)
        bus.emit('command.updated', { device_id: body.device_id, command: toCommandView(command) })
      // Without a firmware_version the version cannot have changed, so there is nothing to confirm.
      bus.emit('device.heartbeat', {
        device_id: body.device_id,
        firmware_version: body.firmware_version ?? null
      })
      return command ? { command: command.command } : {}
    },
    /** Called when any request proves the device alive (events). */
    touch(deviceId: string, socketIp: string | null, receivedAt = isoMillis()): void {
      const row = devices.touch(deviceId, socketIp, receivedAt)
      onSeen(deviceId, receivedAt)
      announceRow(row)
    },
    list(): DeviceView[] {
      const latest = commands.latestByDevice()
      const otaStates = ota.states()
      const now = Date.now()
      return devices
        .list()
        .map((row) =>
          toDeviceView(
            row,
            offlineAfterS(),
            latest.get(row.device_id),
            otaStates.get(row.device_id) ?? null,
            now
          )
        )
    },
    get: view,
    queueReboot(deviceId: string): ReturnType<typeof toCommandView> | undefined {
      if (!devices.get(deviceId)) return undefined
      const { row, created } = commands.queue(deviceId, 'reboot', isoMillis())
      const command = toCommandView(row)
      if (created) bus.emit('command.updated', { device_id: deviceId, command })
      return command
    },
    rename(deviceId: string, displayName: string | null): DeviceView | undefined {
      if (!devices.rename(deviceId, displayName)) return undefined
      const device = view(deviceId)!
      bus.emit('device.updated', device)
      return device
    },
    isBlocked(deviceId: string): boolean {
      return blocked.has(deviceId)
    },
    setBlocked(deviceId: string, value: boolean): DeviceView | undefined {
      if (!devices.setBlocked(deviceId, value)) return undefined
      if (value) blocked.add(deviceId)
      else blocked.delete(deviceId)
      const device = view(deviceId)!
      bus.emit('device.updated', device)
      return device
    },
    /** Re-announces a device whose derived state (e.g. OTA progress) changed elsewhere. */
    announceChanged(deviceId: string): void {
      const device = view(deviceId)
      if (device) bus.emit('device.updated', device)
    },
    /** Forgets a device and its history. A device that beats again comes back as new. */
    remove(deviceId: string): boolean {
      const removed = db.transaction(() => {
        if (!devices.remove(deviceId)) return false
        events.removeForDevice(deviceId)
        return true
      })()
      if (removed) {
        announcedOnline.delete(deviceId)
        bus.emit('device.removed', { device_id: deviceId })
      }
      return removed
    },
    /**
     * Re-evaluates every device's online state; a timer calls it so that a device that simply
     * stops beating is announced offline without any request arriving.
     */
    sweepPresence(): void {
      for (const device of this.list()) {
        const before = announcedOnline.get(device.device_id)
        if (before === undefined) announcedOnline.set(device.device_id, device.online)
        else if (before !== device.online) announce(device)
      }
    }
  }
}
