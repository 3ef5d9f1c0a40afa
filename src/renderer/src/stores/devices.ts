import { defineStore } from 'pinia'
import { computed, ref, shallowRef, triggerRef } from 'vue'
import { adminApi } from '../api/admin'
import type { ApiError } from '../api/client'
import type { CommandView, DeviceView, StreamMessage } from '../api/types'
import { useLoadState } from './load-state'

/** The newer of two views of a device's latest command: higher id wins, delivered beats pending. */
export function newerCommand(a: CommandView | null, b: CommandView | null): CommandView | null {
  if (!a) return b
  if (!b) return a
  if (b.id !== a.id) return b.id > a.id ? b : a
  return a.status === 'delivered' && b.status === 'pending' ? a : b
}

export type RebootPhase = 'pending' | 'delivered' | 'back-online'

/** How long after delivery the card keeps saying how the reboot went. */
export const REBOOT_NEWS_MS = 10 * 60 * 1000

/**
 * Where a requested reboot stands: pending until a heartbeat takes it, delivered until the device
 * beats again, then back online. Old news (or no reboot) is null.
 */
export function rebootPhase(device: DeviceView, nowMs: number): RebootPhase | null {
  const command = device.last_command
  if (!command || command.command !== 'reboot') return null
  if (command.status === 'pending') return 'pending'
  const deliveredAt = command.delivered_at ? Date.parse(command.delivered_at) : NaN
  if (Number.isNaN(deliveredAt) || nowMs - deliveredAt > REBOOT_NEWS_MS) return null
  // The delivering heartbeat itself sets last_seen = delivered_at; a later one means it is back.
  return device.online && Date.parse(device.last_seen) > deliveredAt ? 'back-online' : 'delivered'
}

export function displayName(device: Pick<DeviceView, 'name' | 'device_id'>): string {
  return device.name?.trim() || device.device_id
}

export const useDevicesStore = defineStore('devices', () => {
  // A shallow ref over a Map, replaced or triggered on change: cheap with many devices.
  const byId = shallowRef(new Map<string, DeviceView>())
  const { loaded, loading, loadError, track, reset: resetLoad } = useLoadState()
  /** Ids forgotten while the dashboard was open, so a detail page can say so. */
  const removedIds = ref(new Set<string>())

  // While a snapshot is in flight, stream messages wait and are replayed on top of it, so a
  // change that happens during the fetch is never overwritten by the older snapshot.
  let inFlight = 0
  let queued: StreamMessage[] = []

  const list = computed(() =>
    [...byId.value.values()].sort(
      (a, b) =>
        displayName(a).localeCompare(displayName(b)) || a.device_id.localeCompare(b.device_id)
    )
  )
  const onlineCount = computed(() => list.value.filter((d) => d.online).length)

  function get(id: string): DeviceView | undefined {
    return byId.value.get(id)
  }

  function nameOf(id: string): string | null {
    const device = byId.value.get(id)
    return device ? displayName(device) : null
  }

  function upsert(device: DeviceView): void {
    const existing = byId.value.get(device.device_id)
    const merged = existing
      ? { ...device, last_command: newerCommand(existing.last_command, device.last_command) }
      : device
    byId.value.set(device.device_id, merged)
    removedIds.value.delete(device.device_id)
    triggerRef(byId)
  }

  function remove(id: string): void {
    if (byId.value.delete(id)) triggerRef(byId)
    removedIds.value.add(id)
  }

  function setCommand(id: string, command: CommandView): void {
    const device = byId.value.get(id)
    if (!device) return
    const next = newerCommand(device.last_command, command)
    if (next === device.last_command) return
    byId.value.set(id, { ...device, last_command: next })
    triggerRef(byId)
  }

  function applyNow(message: StreamMessage): void {
    switch (message.name) {
      case 'device.updated':
      case 'device.online':
      case 'device.offline':
        upsert(message.data)
        break
      case 'device.removed':
        remove(message.data.device_id)
        break
      case 'command.updated':
        setCommand(message.data.device_id, message.data.command)
        break
      case 'event.created':
        break // the event feeds handle these; presence arrives as device.updated
    }
  }

  /** Applies one live-stream message (or holds it until the running snapshot lands). */
  function apply(message: StreamMessage): void {
    if (inFlight > 0) queued.push(message)
    else applyNow(message)
  }

  /** Replaces everything with a fresh snapshot; on failure keeps what it had and sets loadError. */
  async function fetchAll(): Promise<void> {
    inFlight++
    try {
      await track(
        () => adminApi.listDevices(),
        ({ devices }) => (byId.value = new Map(devices.map((d) => [d.device_id, d]))),
        { supersede: true }
      )
    } finally {
      inFlight--
      if (inFlight === 0) {
        const replay = queued
        queued = []
        for (const message of replay) applyNow(message)
      }
    }
  }

  /** Loads one device (e.g. a detail page opened directly); returns undefined when unknown. */
  async function fetchOne(id: string): Promise<DeviceView | undefined> {
    try {
      const { device } = await adminApi.getDevice(id)
      upsert(device)
      return device
    } catch (err) {
      if ((err as ApiError).code === 'device-not-found') {
        if (byId.value.delete(id)) triggerRef(byId)
        return undefined
      }
      throw err
    }
  }

  async function rename(id: string, name: string | null): Promise<DeviceView> {
    const { device } = await adminApi.renameDevice(id, name)
    // The rename response carries no command; keep the one we know.
    upsert(device)
    return byId.value.get(id) ?? device
  }

  async function forget(id: string): Promise<void> {
    await adminApi.forgetDevice(id)
    remove(id)
  }

  async function reboot(id: string): Promise<CommandView> {
    const { command } = await adminApi.rebootDevice(id)
    setCommand(id, command)
    return command
  }

  function reset(): void {
    resetLoad()
    byId.value = new Map()
    removedIds.value = new Set()
    queued = []
  }

  return {
    byId,
    list,
    onlineCount,
    loaded,
    loading,
    loadError,
    removedIds,
    get,
    nameOf,
    apply,
    fetchAll,
    fetchOne,
    rename,
    forget,
    reboot,
    reset
  }
})
