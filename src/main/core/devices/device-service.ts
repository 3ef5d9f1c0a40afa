import type { DeviceView, OtaStateView } from '../../../shared/api-schemas'
import type { CoreEventBus } from '../lib/event-bus'
import type { Clock } from '../lib/time'
import type { BatchWriter } from '../store/batch-writer'
import { takeOldest } from '../lib/take-oldest'
import type { Db } from '../store/db'
import type { CommandRepository } from './command-repository'
import type { DeviceContact, DeviceContacts } from './device-contacts'
import {
  mergeColumns,
  type CoalescedHeartbeat,
  type DeviceRepository,
  type DeviceRow,
  type HeartbeatColumns
} from './device-repository'
import type { EventRepository } from '../events/event-repository'
import { chipFamily } from './chip'
import { PresenceMemory } from './presence-memory'
import { toCommandView, toDeviceView } from './device-views'
import type { HeartbeatBody } from './schemas'

export interface DeviceServiceDeps {
  db: Db
  devices: DeviceRepository
  commands: CommandRepository
  events: EventRepository
  bus: CoreEventBus
  offlineAfterS: () => number
  /** Per-device OTA progress, shown on the device cards (owned by the firmware feature). */
  ota: { state(deviceId: string): OtaStateView | null; states(): Map<string, OtaStateView> }
  /** Writes the coalesced heartbeats in its batches; hands out commands durably. */
  writer: BatchWriter
  /** Where every contact is announced (presence, schedules, firmware subscribe there). */
  contacts: DeviceContacts
  /** True while a dashboard is watching the live stream: then every heartbeat is announced. */
  watching: () => boolean
  clock: Clock
}

export type DeviceService = ReturnType<typeof createDeviceService>

/** What a heartbeat body writes into the device row: the seed's fields and issue 11's telemetry. */
function heartbeatColumns(body: HeartbeatBody, socketIp: string | null): HeartbeatColumns {
  return {
    name: body.name,
    firmware_version: body.firmware_version,
    ip_address: body.ip_address ?? socketIp,
    status: body.status,
    chip_model: body.chip,
    chip: body.chip === undefined ? undefined : chipFamily(body.chip),
    applied_schedule_version: body.schedule_version,
    rssi: body.rssi,
    free_heap: body.free_heap,
    uptime_s: body.uptime_s,
    reset_reason: body.reset_reason
  }
}

/**
 * Heartbeats, presence, and the commands queued for devices.
 *
 * A heartbeat is soft state: it is answered from memory and held, coalesced per device, until
 * the batch writer's next soft batch (at most ~1 s). Readers see it at once (`get` merges the
 * held values; `list` writes them first). Only a heartbeat that may collect a command waits for
 * a durable batch, so a reboot is handed out exactly once and never lost.
 */
export function createDeviceService({
  db,
  devices,
  commands,
  events,
  bus,
  offlineAfterS,
  ota,
  writer,
  contacts,
  watching,
  clock
}: DeviceServiceDeps) {
  // Checked on every device request, so kept in memory; only setBlocked() changes it.
  const blocked = new Set(devices.blockedIds())
  // Every known device's last contact, and its online state as last announced (so transitions
  // are announced exactly once): the presence sweep runs on it, not on the database.
  const presence = new PresenceMemory()
  for (const { device_id, last_seen } of devices.lastSeenAll())
    presence.saw(device_id, Date.parse(last_seen))

  // Heartbeats not written yet, and the ones being written by the batch in progress.
  let held = new Map<string, CoalescedHeartbeat>()
  let writing: Map<string, CoalescedHeartbeat> | undefined

  const hold = (deviceId: string, columns: HeartbeatColumns, nowIso: string) => {
    const beat = held.get(deviceId)
    if (!beat) {
      held.set(deviceId, { device_id: deviceId, columns, first: nowIso, last: nowIso, count: 1 })
      return
    }
    mergeColumns(beat.columns, columns)
    if (nowIso > beat.last) beat.last = nowIso
    beat.count++
  }

  writer.addStage({
    held: () => held.size,
    write(max) {
      ;[writing, held] = takeOldest(held, max)
      for (const beat of writing.values()) devices.recordHeartbeats(beat)
      return writing.size
    },
    settle(committed) {
      if (!committed && writing) {
        // Rolled back: what was taken meanwhile is newer and goes on top.
        const newer = held
        held = writing
        for (const beat of newer.values()) {
          const older = held.get(beat.device_id)
          if (!older) held.set(beat.device_id, beat)
          else {
            mergeColumns(older.columns, beat.columns)
            if (beat.last > older.last) older.last = beat.last
            older.count += beat.count
          }
        }
      }
      writing = undefined
    }
  })

  /** The stored row with the held heartbeats on top: what the row will be after the batch. */
  const rowOf = (deviceId: string): DeviceRow | undefined => {
    const row = devices.get(deviceId)
    const beat = held.get(deviceId)
    if (!beat) return row
    const merged: DeviceRow = row
      ? { ...row }
      : {
          device_id: deviceId,
          name: null,
          display_name: null,
          firmware_version: null,
          ip_address: null,
          status: null,
          first_seen: beat.first,
          last_seen: beat.last,
          heartbeats: 0,
          chip: null,
          blocked: 0,
          chip_model: null,
          applied_schedule_version: null,
          rssi: null,
          free_heap: null,
          uptime_s: null,
          reset_reason: null
        }
    mergeColumns(merged as unknown as HeartbeatColumns, beat.columns)
    if (beat.last > merged.last_seen) merged.last_seen = beat.last
    merged.heartbeats += beat.count
    return merged
  }

  const view = (deviceId: string): DeviceView | undefined => {
    const row = rowOf(deviceId)
    return row
      ? toDeviceView(row, offlineAfterS(), commands.latest(deviceId), ota.state(deviceId), clock())
      : undefined
  }

  const announce = (device: DeviceView) => {
    bus.emit('device.updated', device)
    const before = presence.announced(device.device_id)
    if (before !== device.online) {
      presence.announce(device.device_id, device.online)
      // A device first seen now is "online" news too; one loaded at start is not.
      if (before !== undefined || device.online)
        bus.emit(device.online ? 'device.online' : 'device.offline', device)
    }
  }

  // Presence: the device service's own contact listener. Building a full view costs queries, so
  // it is done only when it is news (not announced online yet) or a dashboard is watching.
  const onContact = (contact: DeviceContact) => {
    const id = contact.device_id
    presence.saw(id, contact.at)
    if (presence.announced(id) === true && !watching()) return
    const device = view(id)
    if (device) announce(device)
  }
  contacts.subscribe(onContact)

  /** The rare heartbeat that may collect a command: written and handed out in one durable batch. */
  async function heartbeatWithCommand(
    deviceId: string,
    firmwareVersion: string | null,
    now: number
  ): Promise<{ command?: string }> {
    const nowIso = new Date(now).toISOString()
    const command = await writer.submit(() => {
      // The device's held heartbeats go first, so the row exists for the command's device.
      const beat = held.get(deviceId)
      if (beat) {
        devices.recordHeartbeats(beat)
        held.delete(deviceId)
      }
      return commands.claimNext(deviceId, nowIso)
    })
    contacts.contacted({
      device_id: deviceId,
      at: now,
      via: 'heartbeat',
      firmware_version: firmwareVersion
    })
    if (command) {
      const device = view(deviceId)
      if (device) announce(device)
      bus.emit('command.updated', { device_id: deviceId, command: toCommandView(command) })
    }
    return command ? { command: command.command } : {}
  }

  const NO_COMMAND: { command?: string } = Object.freeze({})

  return {
    /**
     * Takes a heartbeat. Almost always answered at once from memory; a device with a command
     * waiting gets a promise that resolves once the hand-out is on disk.
     */
    recordHeartbeat(
      body: HeartbeatBody,
      socketIp: string | null
    ): { command?: string } | Promise<{ command?: string }> {
      const now = clock()
      const id = body.device_id
      hold(id, heartbeatColumns(body, socketIp), new Date(now).toISOString())
      const firmwareVersion = body.firmware_version ?? null
      if (commands.mightHavePending(id)) return heartbeatWithCommand(id, firmwareVersion, now)
      contacts.contacted({
        device_id: id,
        at: now,
        via: 'heartbeat',
        firmware_version: firmwareVersion
      })
      return NO_COMMAND
    },
    /** Inside an event's batch job: any contact proves the device alive (creates its row). */
    touch(deviceId: string, socketIp: string | null, receivedAt: string): void {
      devices.touch(deviceId, socketIp, receivedAt)
    },
    list(): DeviceView[] {
      // The held heartbeats first, so the list (and its order by name) is the stored truth.
      writer.commitSoftNow()
      const latest = commands.latestByDevice()
      const otaStates = ota.states()
      const now = clock()
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
      if (!rowOf(deviceId)) return undefined
      writer.commitSoftNow() // the command's row refers to the device's
      const { row, created } = commands.queue(deviceId, 'reboot', new Date(clock()).toISOString())
      const command = toCommandView(row)
      if (created) bus.emit('command.updated', { device_id: deviceId, command })
      return command
    },
    rename(deviceId: string, displayName: string | null): DeviceView | undefined {
      writer.commitSoftNow()
      if (!devices.rename(deviceId, displayName)) return undefined
      const device = view(deviceId)!
      bus.emit('device.updated', device)
      return device
    },
    isBlocked(deviceId: string): boolean {
      return blocked.has(deviceId)
    },
    setBlocked(deviceId: string, value: boolean): DeviceView | undefined {
      writer.commitSoftNow()
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
      held.delete(deviceId)
      const removed = db.transaction(() => {
        if (!devices.remove(deviceId)) return false
        events.removeForDevice(deviceId)
        return true
      })()
      if (removed) {
        presence.delete(deviceId)
        bus.emit('device.removed', { device_id: deviceId })
      }
      return removed
    },
    /**
     * Re-evaluates every device's online state from memory; a timer calls it so that a device
     * that simply stops beating is announced offline without any request arriving. Only the
     * devices whose state changed cost a query.
     */
    sweepPresence(): void {
      const now = clock()
      const limitMs = offlineAfterS() * 1000
      presence.forEachSeen((id, seen, before) => {
        const online = now - seen < limitMs
        if (before === undefined) presence.announce(id, online)
        else if (before !== online) {
          const device = view(id)
          if (device) announce(device)
        }
      })
    }
  }
}
