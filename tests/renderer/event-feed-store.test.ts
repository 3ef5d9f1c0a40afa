import { zonedIso } from '../../src/renderer/src/lib/time'
// @vitest-environment jsdom
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest'
import type { EventView } from '../../src/renderer/src/api/types'
import { setLocale } from '../../src/renderer/src/i18n'
import {
  EMPTY_FILTERS,
  matchesFilters,
  toApiQuery,
  useHistoryStore
} from '../../src/renderer/src/stores/event-feed'
import { deferred, envelope, event, fakeApi, type Call } from './fakes'

// Local days are turned into instants in the browser's zone; pin one with a DST change.
beforeAll(() => {
  process.env.TZ = 'Europe/Madrid'
})
beforeEach(() => setActivePinia(createPinia()))
afterEach(() => vi.unstubAllGlobals())

/** A fake /api/admin/events over a list, newest first, with the core's cursor semantics. */
function eventsServer(all: EventView[]) {
  const sorted = [...all].sort(
    (a, b) => Date.parse(b.occurred_at) - Date.parse(a.occurred_at) || b.id - a.id
  )
  return (call: Call) => {
    const q = call.url.searchParams
    let list = sorted.filter(
      (e) =>
        (!q.get('device_id') || e.device_id === q.get('device_id')) &&
        (!q.get('type') || e.type === q.get('type'))
    )
    const cursor = q.get('cursor')
    if (cursor) list = list.slice(list.findIndex((e) => String(e.id) === cursor) + 1)
    const limit = Number(q.get('limit') ?? 50)
    const page = list.slice(0, limit)
    const next = list.length > limit ? String(page.at(-1)!.id) : null
    return { body: { ok: true, events: page, next_cursor: next } }
  }
}

const minute = (n: number) => new Date(Date.UTC(2026, 0, 10, 12, 0) - n * 60_000).toISOString()
const many = (n: number, fields: Partial<EventView> = {}) =>
  Array.from({ length: n }, (_, i) => event(i + 1, minute(n - i), fields))

describe('filters', () => {
  test('local calendar days become UTC instants; "to" is inclusive, so until is the next day', () => {
    expect(toApiQuery({ ...EMPTY_FILTERS, from: '2026-03-28', to: '2026-03-29' })).toEqual({
      since: '2026-03-27T23:00:00.000Z', // CET
      until: '2026-03-29T22:00:00.000Z' // midnight after the 29th is already CEST
    })
    expect(toApiQuery({ device_id: 'AA', type: 'dose_taken', from: '', to: '' })).toEqual({
      device_id: 'AA',
      type: 'dose_taken'
    })
    expect(toApiQuery({ ...EMPTY_FILTERS, from: 'not-a-day' })).toEqual({})
  })

  test('matchesFilters follows the same rules as the server', () => {
    const e = event(1, '2026-01-10T12:00:00.000Z', { device_id: 'AA', type: 'alarm_ack' })
    expect(matchesFilters(e, EMPTY_FILTERS)).toBe(true)
    expect(matchesFilters(e, { ...EMPTY_FILTERS, device_id: 'BB' })).toBe(false)
    expect(matchesFilters(e, { ...EMPTY_FILTERS, type: 'dose_taken' })).toBe(false)
    expect(matchesFilters(e, { ...EMPTY_FILTERS, from: '2026-01-10', to: '2026-01-10' })).toBe(true)
    expect(matchesFilters(e, { ...EMPTY_FILTERS, from: '2026-01-11' })).toBe(false)
    expect(matchesFilters(e, { ...EMPTY_FILTERS, to: '2026-01-09' })).toBe(false)
  })
})

describe('history store', () => {
  test('asks for one page of 50, then follows next_cursor, never more', async () => {
    const { calls } = fakeApi(eventsServer(many(120)))
    const store = useHistoryStore()
    await store.load({ ...EMPTY_FILTERS, device_id: 'AA', from: '2026-01-10' })
    expect(store.items).toHaveLength(50)
    expect(store.hasMore).toBe(true)
    const first = calls[0]!.url.searchParams
    expect(Object.fromEntries(first)).toEqual({
      device_id: 'AA',
      since: '2026-01-09T23:00:00.000Z',
      limit: '50'
    })

    await store.loadMore()
    await store.loadMore()
    expect(store.items).toHaveLength(120)
    expect(store.hasMore).toBe(false)
    expect(calls.map((c) => c.url.searchParams.get('cursor'))).toEqual([null, '71', '21'])
    expect(new Set(store.items.map((e) => e.id)).size).toBe(120)

    await store.loadMore() // nothing left: no request
    expect(calls).toHaveLength(3)
  })

  test('an answer for old filters is dropped when the filters changed meanwhile', async () => {
    const slow = deferred<{ body: unknown }>()
    fakeApi((call) =>
      call.url.searchParams.get('type') === 'dose_taken'
        ? slow.promise
        : {
            body: {
              ok: true,
              events: [event(2, minute(1), { type: 'alarm_ack' })],
              next_cursor: null
            }
          }
    )
    const store = useHistoryStore()
    const first = store.load({ ...EMPTY_FILTERS, type: 'dose_taken' })
    await store.load({ ...EMPTY_FILTERS, type: 'alarm_ack' })
    slow.resolve({ body: { ok: true, events: [event(1, minute(2))], next_cursor: 'x' } })
    await first
    expect(store.items.map((e) => e.id)).toEqual([2])
    expect(store.hasMore).toBe(false)
    expect(store.filters.type).toBe('alarm_ack')
  })

  test('a backwards date range asks nothing and shows nothing', async () => {
    const { calls } = fakeApi(eventsServer(many(3)))
    const store = useHistoryStore()
    await store.load({ ...EMPTY_FILTERS, from: '2026-02-01', to: '2026-01-01' })
    expect(calls).toHaveLength(0)
    expect(store.items).toEqual([])
    expect(store.loaded).toBe(true)
  })

  test('API errors land in error with the server message, and loading ends', async () => {
    fakeApi(() => ({
      status: 422,
      body: envelope('invalid-cursor', 'cursor is not one this server handed out', 'cursor')
    }))
    const store = useHistoryStore()
    await store.load(EMPTY_FILTERS)
    expect(store.error?.message).toBe('cursor is not one this server handed out')
    expect(store.loading).toBe(false)
  })

  test('live events: inserted in order when they match and fall inside the loaded pages', async () => {
    fakeApi(eventsServer(many(60, { device_id: 'AA' })))
    const store = useHistoryStore()
    await store.load({ ...EMPTY_FILTERS, device_id: 'AA' })
    const oldestShown = store.items.at(-1)!

    store.applyCreated(event(1000, minute(0), { device_id: 'AA' }))
    expect(store.items[0]!.id).toBe(1000)
    store.applyCreated(event(1001, minute(0), { device_id: 'BB' }))
    expect(store.items.some((e) => e.id === 1001)).toBe(false)
    store.applyCreated(event(1000, minute(0), { device_id: 'AA' }))
    expect(store.items.filter((e) => e.id === 1000)).toHaveLength(1)
    // A late event older than the loaded rows waits for "load more".
    store.applyCreated(
      event(1002, new Date(Date.parse(oldestShown.occurred_at) - 3600_000).toISOString(), {
        device_id: 'AA'
      })
    )
    expect(store.items.some((e) => e.id === 1002)).toBe(false)
    // One that falls between loaded rows goes in its place.
    const middle = store.items[10]!
    store.applyCreated(
      event(1003, new Date(Date.parse(middle.occurred_at) + 1).toISOString(), { device_id: 'AA' })
    )
    expect(store.items.findIndex((e) => e.id === 1003)).toBe(10)
  })

  test('a forgotten device leaves the list', async () => {
    fakeApi(eventsServer([...many(3, { device_id: 'AA' })]))
    const store = useHistoryStore()
    await store.load(EMPTY_FILTERS)
    store.removeDevice('AA')
    expect(store.items).toEqual([])
  })

  test('refreshHead merges what was missed while disconnected, or starts over after a wide gap', async () => {
    const all = many(10)
    fakeApi(eventsServer(all))
    const store = useHistoryStore()
    await store.load(EMPTY_FILTERS)
    expect(store.items).toHaveLength(10)

    all.push(event(11, minute(0)), event(12, minute(0)))
    fakeApi(eventsServer(all))
    await store.refreshHead()
    expect(store.items.slice(0, 2).map((e) => e.id)).toEqual([12, 11])
    expect(store.items).toHaveLength(12)

    // More than a page missed: no overlap, so reload from the top.
    const flood = [...all, ...Array.from({ length: 80 }, (_, i) => event(100 + i, minute(-1 - i)))]
    const { calls } = fakeApi(eventsServer(flood))
    await store.refreshHead()
    expect(calls).toHaveLength(2)
    expect(store.items).toHaveLength(50)
    expect(store.items[0]!.id).toBe(179)
    expect(store.hasMore).toBe(true)
  })

  test('CSV export walks every page with limit=1000 and the current filters', async () => {
    const all = [
      ...many(2500, { device_id: 'AA' }),
      event(9999, minute(0), { device_id: 'BB', type: 'reboot' })
    ]
    const { calls } = fakeApi(eventsServer(all))
    const store = useHistoryStore()
    await store.load({ ...EMPTY_FILTERS, device_id: 'AA' })
    calls.length = 0
    const progress: number[] = []
    const { csv, rows } = await store.exportCsv({
      deviceName: (id) => (id === 'AA' ? 'Cocina, planta baja' : null),
      onProgress: (n) => progress.push(n)
    })
    expect(rows).toBe(2500)
    expect(progress).toEqual([1000, 2000, 2500])
    expect(
      calls.map((c) => [c.url.searchParams.get('limit'), c.url.searchParams.get('cursor')])
    ).toEqual([
      ['1000', null],
      ['1000', '1501'],
      ['1000', '501']
    ])
    expect(calls.every((c) => c.url.searchParams.get('device_id') === 'AA')).toBe(true)
    // The dashboard is in Spanish: Spanish headers and words, ';' separators.
    const lines = csv.slice(1).split('\r\n')
    expect(csv.startsWith('\uFEFF')).toBe(true)
    // The dashboard is in Spanish: Spanish headers and `;`.
    expect(lines[0]).toBe(
      'Fecha y hora;Recibido;ID del dispensador;Dispensador;Evento;Etiqueta;Detalle;ID del evento'
    )
    expect(lines).toHaveLength(2502) // header, rows, and the empty string after the last CRLF
    expect(lines[1]).toBe(
      `${zonedIso(minute(1))};${zonedIso(minute(1))};AA;Cocina, planta baja;Dosis tomada;Mañana;;`
    )

    // In English: the machine column names, commas, and the JSON payload.
    setLocale('en')
    try {
      const english = (await store.exportCsv({ deviceName: () => 'Cocina, planta baja' })).csv
      const en = english.slice(1).split('\r\n')
      expect(en[0]).toBe(
        'occurred_at,received_at,device_id,device_name,type,alarm_label,payload,event_id'
      )
      expect(en[1]).toBe(
        `${zonedIso(minute(1))},${zonedIso(minute(1))},AA,"Cocina, planta baja",dose_taken,Mañana,"{""alarm_label"":""Mañana""}",`
      )
    } finally {
      setLocale('es')
    }
  })

  test('a cancelled export stops asking for pages', async () => {
    const controller = new AbortController()
    const { calls } = fakeApi(eventsServer(many(3000)))
    const store = useHistoryStore()
    const result = store.exportCsv({
      deviceName: () => null,
      signal: controller.signal,
      onProgress: () => controller.abort()
    })
    await expect(result).rejects.toThrow(/abort/i)
    expect(calls).toHaveLength(2)
  })
})
