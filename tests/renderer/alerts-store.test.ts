// @vitest-environment jsdom
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import type { AlertView } from '../../src/renderer/src/api/types'
import {
  ALERT_PAGE_SIZE,
  ALL_ALERTS,
  COUNTS_SYNC_MS,
  useAlertsStore
} from '../../src/renderer/src/stores/alerts'
import { acknowledged, alert } from './admin-fixtures'
import { envelope, fakeApi, flush, type Call } from './fakes'

/** A tiny alerts API over an in-memory list, newest first, like the core's. */
let server: AlertView[] = []
function openCounts(): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const a of server)
    if (!a.acknowledged_at) counts[a.device_id] = (counts[a.device_id] ?? 0) + 1
  return counts
}
function core(call: Call) {
  const path = call.url.pathname
  const ack = /^\/api\/admin\/alerts\/(\d+)\/ack$/.exec(path)
  if (ack && call.method === 'POST') {
    const id = Number(ack[1])
    const at = server.findIndex((a) => a.id === id)
    if (at === -1)
      return { status: 404, body: envelope('alert-not-found', `no alert with id ${id}`) }
    if (!server[at]!.acknowledged_at) server[at] = acknowledged(server[at]!)
    return { body: { ok: true, alert: server[at] } }
  }
  if (path === '/api/admin/alerts') {
    const q = call.url.searchParams
    const before = q.get('before_id')
    const list = [...server]
      .sort((a, b) => b.id - a.id)
      .filter((a) => q.get('open') !== 'true' || !a.acknowledged_at)
      .filter((a) => !q.get('device_id') || a.device_id === q.get('device_id'))
      .filter((a) => !before || a.id < Number(before))
      .slice(0, Number(q.get('limit') ?? 50))
    return { body: { ok: true, alerts: list, open_by_device: openCounts() } }
  }
  return { status: 404, body: envelope('not-found', `no route for ${call.method} ${path}`) }
}

beforeEach(() => {
  setActivePinia(createPinia())
  server = []
})
afterEach(() => {
  vi.useRealTimers()
  vi.unstubAllGlobals()
})

describe('alerts store', () => {
  test('loads newest first with the open counts, and pages back by id', async () => {
    server = Array.from({ length: ALERT_PAGE_SIZE + 5 }, (_, i) =>
      alert(i + 1, { device_id: i % 2 ? 'A' : 'B' })
    )
    server[0] = acknowledged(server[0]!)
    const { calls } = fakeApi(core)
    const alerts = useAlertsStore()
    await alerts.load(ALL_ALERTS)
    expect(alerts.items).toHaveLength(ALERT_PAGE_SIZE)
    expect(alerts.items[0]!.id).toBe(ALERT_PAGE_SIZE + 5)
    expect(alerts.hasMore).toBe(true)
    expect(alerts.openTotal).toBe(ALERT_PAGE_SIZE + 4)
    expect(alerts.openFor('A')).toBe(27)

    await alerts.loadMore()
    expect(alerts.items).toHaveLength(ALERT_PAGE_SIZE + 5)
    expect(alerts.items.at(-1)!.id).toBe(1)
    expect(alerts.hasMore).toBe(false)
    expect(calls.at(-1)!.url.searchParams.get('before_id')).toBe('6')

    await alerts.load({ open: true, device_id: 'B' })
    expect(calls.at(-1)!.url.search).toBe('?open=true&device_id=B&limit=50')
    expect(alerts.items.every((a) => a.device_id === 'B' && !a.acknowledged_at)).toBe(true)
  })

  test('live: a new alert is inserted and counted, then the counts are re-read', async () => {
    vi.useFakeTimers()
    server = [alert(1)]
    const { calls } = fakeApi(core)
    const alerts = useAlertsStore()
    await alerts.load({ open: false, device_id: 'A' })
    expect(alerts.openTotal).toBe(1)

    const fresh = alert(2)
    server.push(fresh, alert(3, { device_id: 'B' }))
    alerts.apply({ name: 'alert.created', data: fresh })
    // Another device's alert is counted but not listed under this device filter.
    alerts.apply({ name: 'alert.created', data: server[2]! })
    expect(alerts.items.map((a) => a.id)).toEqual([2, 1])
    expect(alerts.openFor('A')).toBe(2)
    expect(alerts.openFor('B')).toBe(1)
    // The same alert twice (a refetch raced the stream) is not counted twice.
    alerts.apply({ name: 'alert.created', data: fresh })
    expect(alerts.openFor('A')).toBe(2)

    const before = calls.length
    await vi.advanceTimersByTimeAsync(COUNTS_SYNC_MS)
    // One batched counts request for the three messages.
    expect(calls.slice(before).map((c) => c.url.search)).toEqual(['?open=true&limit=1'])
    expect(alerts.openByDevice).toEqual({ A: 2, B: 1 })
  })

  test('acknowledging: the alert says who saw it and the count drops at once', async () => {
    server = [alert(1), alert(2)]
    fakeApi(core)
    const alerts = useAlertsStore()
    await alerts.load({ open: true, device_id: '' })
    const seen = await alerts.acknowledge(2)
    expect(seen.acknowledged_by).toBe('Pastillero')
    expect(alerts.openTotal).toBe(1)
    // Still listed under "open only": it was acted on here; the next load drops it.
    expect(alerts.items.find((a) => a.id === 2)?.acknowledged_by).toBe('Pastillero')

    // Acknowledged from Telegram: an update for a listed open alert.
    alerts.apply({ name: 'alert.updated', data: acknowledged(server[0]!, 'Ana') })
    expect(alerts.items.find((a) => a.id === 1)?.acknowledged_by).toBe('Ana')
    expect(alerts.openTotal).toBe(0)
    // A delivery update for an already acknowledged alert changes nothing.
    alerts.apply({ name: 'alert.updated', data: acknowledged(server[0]!, 'Ana') })
    expect(alerts.openTotal).toBe(0)
  })

  test('an alert older than the loaded pages waits for "load more"; a forgotten device goes', async () => {
    server = Array.from({ length: ALERT_PAGE_SIZE + 1 }, (_, i) => alert(i + 10))
    fakeApi(core)
    const alerts = useAlertsStore()
    await alerts.load(ALL_ALERTS)
    alerts.apply({ name: 'alert.created', data: alert(3) })
    expect(alerts.items.some((a) => a.id === 3)).toBe(false)

    alerts.apply({ name: 'device.removed', data: { device_id: 'A' } })
    expect(alerts.items).toEqual([])
    expect(alerts.openFor('A')).toBe(0)
  })

  test('refresh after a reconnection: counts only until the list is shown, then the list', async () => {
    server = [alert(1)]
    const { calls } = fakeApi(core)
    const alerts = useAlertsStore()
    await alerts.refresh()
    expect(calls.at(-1)!.url.search).toBe('?open=true&limit=1')
    expect(alerts.openTotal).toBe(1)
    expect(alerts.loaded).toBe(false)

    await alerts.load(ALL_ALERTS)
    server.push(alert(2))
    await alerts.refresh()
    expect(alerts.items.map((a) => a.id)).toEqual([2, 1])
    expect(alerts.openTotal).toBe(2)
  })

  test('errors are kept for the view; acknowledging an unknown alert rejects', async () => {
    fakeApi(() => ({ status: 500, body: envelope('internal-error', 'internal error') }))
    const alerts = useAlertsStore()
    await alerts.load(ALL_ALERTS)
    expect(alerts.error?.message).toBe('internal error')
    await flush()
    vi.unstubAllGlobals()
    fakeApi(core)
    await expect(alerts.acknowledge(99)).rejects.toMatchObject({ code: 'alert-not-found' })
  })
})
