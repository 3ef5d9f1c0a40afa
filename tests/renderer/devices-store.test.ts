// @vitest-environment jsdom
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import { ApiError, setUnauthorizedHandler } from '../../src/renderer/src/api/client'
import {
  displayName,
  newerCommand,
  REBOOT_NEWS_MS,
  rebootPhase,
  useDevicesStore
} from '../../src/renderer/src/stores/devices'
import { command, deferred, device, envelope, fakeApi } from './fakes'

beforeEach(() => setActivePinia(createPinia()))
afterEach(() => {
  vi.unstubAllGlobals()
  setUnauthorizedHandler(undefined)
})

describe('devices store', () => {
  test('fetchAll loads the snapshot, sorted by display name, and counts who is online', async () => {
    const { calls } = fakeApi(() => ({
      body: {
        ok: true,
        devices: [
          device('B', { name: 'Salón', online: false }),
          device('A', { name: 'Cocina' }),
          device('C', { name: null })
        ]
      }
    }))
    const store = useDevicesStore()
    await store.fetchAll()
    expect(calls.map((c) => `${c.method} ${c.url.pathname}`)).toEqual(['GET /api/admin/devices'])
    expect(store.list.map((d) => d.device_id)).toEqual(['C', 'A', 'B'])
    expect(store.onlineCount).toBe(2)
    expect(store.loaded).toBe(true)
    expect(store.nameOf('C')).toBe('C') // no name: the id stands in
  })

  test('stream messages upsert, remove and update commands', async () => {
    fakeApi(() => ({ body: { ok: true, devices: [device('A')] } }))
    const store = useDevicesStore()
    await store.fetchAll()

    store.apply({ name: 'device.online', data: device('B', { name: 'Nuevo' }) })
    expect(store.get('B')?.name).toBe('Nuevo')
    store.apply({ name: 'device.offline', data: device('A', { online: false }) })
    expect(store.get('A')?.online).toBe(false)

    store.apply({ name: 'command.updated', data: { device_id: 'A', command: command(5) } })
    expect(store.get('A')?.last_command?.status).toBe('pending')
    // A device.updated built before the command was queued must not erase it.
    store.apply({ name: 'device.updated', data: device('A', { last_command: null }) })
    expect(store.get('A')?.last_command?.id).toBe(5)

    store.apply({ name: 'device.removed', data: { device_id: 'B' } })
    expect(store.get('B')).toBeUndefined()
    expect(store.removedIds.has('B')).toBe(true)
    // Commands for unknown devices are ignored rather than inventing a device.
    store.apply({ name: 'command.updated', data: { device_id: 'Z', command: command(1) } })
    expect(store.get('Z')).toBeUndefined()
  })

  test('newerCommand: higher id wins, and delivered never goes back to pending', () => {
    const pending = command(3)
    const delivered = command(3, { status: 'delivered', delivered_at: '2026-01-01T10:01:00Z' })
    expect(newerCommand(null, pending)).toBe(pending)
    expect(newerCommand(pending, null)).toBe(pending)
    expect(newerCommand(pending, delivered)).toBe(delivered)
    expect(newerCommand(delivered, pending)).toBe(delivered)
    expect(newerCommand(command(4), delivered)?.id).toBe(4)
  })

  test('messages that arrive during a fetch are replayed on top of the snapshot', async () => {
    const reply = deferred<{ body: unknown }>()
    fakeApi(() => reply.promise)
    const store = useDevicesStore()
    const loading = store.fetchAll()
    // The snapshot was taken before these happened; they must win over it.
    store.apply({ name: 'device.updated', data: device('A', { name: 'Renamed', heartbeats: 2 }) })
    store.apply({ name: 'device.removed', data: { device_id: 'B' } })
    expect(store.list).toEqual([])
    reply.resolve({ body: { ok: true, devices: [device('A', { name: 'Old' }), device('B')] } })
    await loading
    expect(store.get('A')?.name).toBe('Renamed')
    expect(store.get('B')).toBeUndefined()
  })

  test('a failed fetch keeps what was shown and exposes the server message', async () => {
    let fail = false
    fakeApi(() =>
      fail
        ? { status: 500, body: envelope('internal-error', 'internal error') }
        : { body: { ok: true, devices: [device('A')] } }
    )
    const store = useDevicesStore()
    await store.fetchAll()
    fail = true
    await store.fetchAll()
    expect(store.get('A')).toBeDefined()
    expect(store.loadError).toBeInstanceOf(ApiError)
    expect(store.loadError?.message).toBe('internal error')
    expect(store.loading).toBe(false)
  })

  test('a network failure becomes a network-error ApiError', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => {
        throw new TypeError('Failed to fetch')
      })
    )
    const store = useDevicesStore()
    await store.fetchAll()
    expect(store.loadError?.code).toBe('network-error')
    expect(store.loadError?.status).toBe(0)
  })

  test('rename, reboot and forget call the API and update the list; errors carry the envelope', async () => {
    const { calls } = fakeApi((call) => {
      if (call.method === 'GET') return { body: { ok: true, devices: [device('A:1')] } }
      if (call.method === 'PATCH') {
        const name = (call.body as { name: string }).name
        return name.length > 100
          ? {
              status: 422,
              body: envelope('validation-failed', 'name: must be at most 100 characters', 'name')
            }
          : { body: { ok: true, device: device('A:1', { name }) } }
      }
      if (call.method === 'POST') return { status: 202, body: { ok: true, command: command(9) } }
      return { body: { ok: true } }
    })
    const store = useDevicesStore()
    await store.fetchAll()

    const error = await store.rename('A:1', 'x'.repeat(101)).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ApiError)
    expect(error).toMatchObject({
      status: 422,
      code: 'validation-failed',
      field: 'name',
      message: 'name: must be at most 100 characters'
    })
    expect(store.get('A:1')?.name).toBe('Pastillero A:1')

    await store.rename('A:1', 'Cocina')
    expect(store.get('A:1')?.name).toBe('Cocina')
    await store.reboot('A:1')
    expect(store.get('A:1')?.last_command).toMatchObject({ id: 9, status: 'pending' })
    await store.forget('A:1')
    expect(store.get('A:1')).toBeUndefined()

    // Ids are path-encoded: a MAC address has colons.
    expect(calls.map((c) => `${c.method} ${c.url.pathname}`)).toEqual([
      'GET /api/admin/devices',
      'PATCH /api/admin/devices/A%3A1',
      'PATCH /api/admin/devices/A%3A1',
      'POST /api/admin/devices/A%3A1/reboot',
      'DELETE /api/admin/devices/A%3A1'
    ])
    expect(calls[2]!.body).toEqual({ name: 'Cocina' })
  })

  test('a 401 from any call reports the lost session', async () => {
    const lost = vi.fn()
    setUnauthorizedHandler(lost)
    fakeApi(() => ({
      status: 401,
      body: envelope('not-signed-in', 'sign in to use the admin API')
    }))
    const store = useDevicesStore()
    await store.fetchAll()
    expect(lost).toHaveBeenCalledTimes(1)
    expect(store.loadError?.code).toBe('not-signed-in')
  })

  test('displayName falls back to the id for empty names', () => {
    expect(displayName({ device_id: 'X', name: '  ' })).toBe('X')
    expect(displayName({ device_id: 'X', name: 'Cocina' })).toBe('Cocina')
  })
})

describe('rebootPhase', () => {
  const delivered = '2026-01-01T10:00:00.000Z'
  const t0 = Date.parse(delivered)

  test('pending, then delivered until a later heartbeat, then back online', () => {
    expect(rebootPhase(device('A'), t0)).toBeNull()
    expect(rebootPhase(device('A', { last_command: command(1) }), t0)).toBe('pending')

    const deliveredCommand = command(1, { status: 'delivered', delivered_at: delivered })
    // The delivering heartbeat sets last_seen to the delivery time itself.
    const justDelivered = device('A', { last_seen: delivered, last_command: deliveredCommand })
    expect(rebootPhase(justDelivered, t0 + 1000)).toBe('delivered')
    const offline = { ...justDelivered, online: false }
    expect(rebootPhase(offline, t0 + 60_000)).toBe('delivered')

    const back = { ...justDelivered, last_seen: '2026-01-01T10:00:05.000Z' }
    expect(rebootPhase(back, t0 + 6000)).toBe('back-online')
    expect(rebootPhase(back, t0 + REBOOT_NEWS_MS + 1)).toBeNull()
  })

  test('other commands are not reboots', () => {
    const other = device('A', { last_command: command(1, { command: 'ota' }) })
    expect(rebootPhase(other, Date.now())).toBeNull()
  })
})
