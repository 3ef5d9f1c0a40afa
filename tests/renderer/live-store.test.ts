// @vitest-environment jsdom
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import { setUnauthorizedHandler } from '../../src/renderer/src/api/client'
import { useAlertsStore } from '../../src/renderer/src/stores/alerts'
import { useDevicesStore } from '../../src/renderer/src/stores/devices'
import {
  EMPTY_FILTERS,
  useHistoryStore,
  useTimelineStore
} from '../../src/renderer/src/stores/event-feed'
import { useFirmwareStore } from '../../src/renderer/src/stores/firmware'
import { useLiveStore } from '../../src/renderer/src/stores/live'
import { useTelegramStore } from '../../src/renderer/src/stores/telegram'
import { alert, firmware, telegramStatus } from './admin-fixtures'
import {
  command,
  device,
  envelope,
  event,
  fakeApi,
  FakeEventSource,
  flush,
  type Call
} from './fakes'

let signedIn = true
let serverDevices = [device('A')]
let serverEvents = [event(1, '2026-01-10T10:00:00.000Z')]
let serverOpenAlerts: Record<string, number> = {}
let serverFirmware = [firmware(1, '1.0.0')]
let serverTelegram = telegramStatus()

function core(call: Call) {
  const path = call.url.pathname
  if (path === '/api/admin/session') return { body: { ok: true, signed_in: signedIn } }
  if (!signedIn)
    return { status: 401, body: envelope('not-signed-in', 'sign in to use the admin API') }
  if (path === '/api/admin/devices') return { body: { ok: true, devices: serverDevices } }
  if (path === '/api/admin/alerts')
    return { body: { ok: true, alerts: [], open_by_device: serverOpenAlerts } }
  if (path === '/api/admin/firmware') return { body: { ok: true, firmware: serverFirmware } }
  if (path === '/api/admin/telegram') return { body: serverTelegram }
  if (path === '/api/admin/events') {
    const id = call.url.searchParams.get('device_id')
    const events = serverEvents.filter((e) => !id || e.device_id === id)
    return { body: { ok: true, events, next_cursor: null } }
  }
  return { status: 404, body: envelope('not-found', `no route for ${call.method} ${path}`) }
}

beforeEach(() => {
  setActivePinia(createPinia())
  FakeEventSource.instances = []
  signedIn = true
  serverDevices = [device('A')]
  serverEvents = [event(1, '2026-01-10T10:00:00.000Z')]
  serverOpenAlerts = {}
  serverFirmware = [firmware(1, '1.0.0')]
  serverTelegram = telegramStatus()
})
afterEach(() => {
  useLiveStore().stop()
  vi.useRealTimers()
  vi.unstubAllGlobals()
  setUnauthorizedHandler(undefined)
})

describe('live store', () => {
  test('subscribes, loads the devices, and feeds stream messages to every store', async () => {
    const { calls } = fakeApi(core)
    const live = useLiveStore()
    const devices = useDevicesStore()
    const history = useHistoryStore()
    const timeline = useTimelineStore()
    live.start(FakeEventSource.create)
    expect(FakeEventSource.last.url).toBe('/api/admin/stream')
    expect(live.state).toBe('connecting')
    FakeEventSource.last.open()
    expect(live.state).toBe('open')
    await flush()
    expect(devices.get('A')).toBeDefined()
    await history.load(EMPTY_FILTERS)
    await timeline.load({ ...EMPTY_FILTERS, device_id: 'B' })

    const source = FakeEventSource.last
    source.emit('device.online', device('B', { name: 'Salón' }))
    source.emit('command.updated', { device_id: 'B', command: command(7) })
    source.emit('event.created', event(2, '2026-01-10T11:00:00.000Z', { device_id: 'B' }))
    source.emit('device.updated', 'not json')
    expect(devices.get('B')?.last_command?.id).toBe(7)
    expect(history.items.map((e) => e.id)).toEqual([2, 1])
    expect(timeline.items.map((e) => e.id)).toEqual([2])

    source.emit('device.removed', { device_id: 'B' })
    expect(devices.get('B')).toBeUndefined()
    expect(timeline.items).toEqual([])
    expect(calls.filter((c) => c.url.pathname === '/api/admin/devices')).toHaveLength(2)
  })

  test('alerts, firmware and Telegram messages reach their stores', async () => {
    serverOpenAlerts = { A: 2 }
    const { calls } = fakeApi(core)
    const live = useLiveStore()
    live.start(FakeEventSource.create)
    FakeEventSource.last.open()
    await flush()
    // The navigation badge's counts come with every (re)connection.
    const alerts = useAlertsStore()
    expect(alerts.openTotal).toBe(2)

    const source = FakeEventSource.last
    source.emit('alert.created', alert(7, { device_id: 'B' }))
    expect(alerts.openFor('B')).toBe(1)

    // Nobody has opened Firmware or Settings: nothing is fetched for them.
    source.emit('firmware.updated', {})
    source.emit('telegram.updated', {})
    await flush()
    const paths = () => calls.map((c) => c.url.pathname)
    expect(paths()).not.toContain('/api/admin/firmware')
    expect(paths()).not.toContain('/api/admin/telegram')

    const firmwareStore = useFirmwareStore()
    const telegram = useTelegramStore()
    await firmwareStore.load()
    await telegram.load()
    serverFirmware = [firmware(2, '1.1.0'), ...serverFirmware]
    serverTelegram = telegramStatus({ link_code: 'ZZZZ9999' })
    source.emit('firmware.updated', {})
    source.emit('telegram.updated', {})
    await flush()
    expect(firmwareStore.list.map((f) => f.version)).toEqual(['1.1.0', '1.0.0'])
    expect(telegram.status?.link_code).toBe('ZZZZ9999')
  })

  test('after a dropped connection reopens, it refetches what it may have missed', async () => {
    const { calls } = fakeApi(core)
    const live = useLiveStore()
    const history = useHistoryStore()
    live.start(FakeEventSource.create)
    FakeEventSource.last.open()
    await flush()
    await history.load(EMPTY_FILTERS)

    // The browser retries by itself (CONNECTING); meanwhile things happen on the server.
    FakeEventSource.last.fail(0)
    expect(live.state).toBe('reconnecting')
    serverDevices = [device('A', { name: 'Renamed while away' })]
    serverEvents = [event(3, '2026-01-10T12:00:00.000Z'), ...serverEvents]
    const before = calls.length
    FakeEventSource.last.open()
    await flush()
    expect(live.state).toBe('open')
    expect(useDevicesStore().get('A')?.name).toBe('Renamed while away')
    expect(history.items.map((e) => e.id)).toEqual([3, 1])
    expect(
      calls
        .slice(before)
        .map((c) => c.url.pathname)
        .sort()
    ).toEqual(['/api/admin/alerts', '/api/admin/devices', '/api/admin/events'])
  })

  test('when the server closes the stream for good it checks the session and reconnects', async () => {
    vi.useFakeTimers()
    fakeApi(core)
    const live = useLiveStore()
    live.start(FakeEventSource.create)
    FakeEventSource.last.open()
    FakeEventSource.last.fail(2)
    expect(FakeEventSource.last.closed).toBe(true)
    expect(live.state).toBe('reconnecting')
    await vi.advanceTimersByTimeAsync(1000)
    expect(FakeEventSource.instances).toHaveLength(2)
    expect(FakeEventSource.last.closed).toBe(false)
  })

  test('a stream closed because the session ended sends the app to login and stops', async () => {
    vi.useFakeTimers()
    fakeApi(core)
    const lost = vi.fn()
    setUnauthorizedHandler(lost)
    const live = useLiveStore()
    live.start(FakeEventSource.create)
    FakeEventSource.last.open()
    signedIn = false
    FakeEventSource.last.fail(2)
    await vi.advanceTimersByTimeAsync(1000)
    expect(lost).toHaveBeenCalled()
    expect(FakeEventSource.instances).toHaveLength(1)
    expect(live.state).toBe('idle')
  })

  test('stop closes the stream and ignores anything it still delivers', async () => {
    fakeApi(core)
    const live = useLiveStore()
    live.start(FakeEventSource.create)
    const source = FakeEventSource.last
    source.open()
    await flush()
    live.stop()
    expect(source.closed).toBe(true)
    source.emit('device.online', device('Z'))
    expect(useDevicesStore().get('Z')).toBeUndefined()
  })
})
