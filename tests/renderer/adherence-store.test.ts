// @vitest-environment jsdom
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import { ApiError, setUnauthorizedHandler } from '../../src/renderer/src/api/client'
import type {
  AdherenceStats,
  DeviceAdherence,
  DoseOutcome
} from '../../src/renderer/src/api/schedules'
import {
  LIVE_DEBOUNCE_MS,
  TREND_WEEKS,
  useAdherenceStore,
  useReportStore
} from '../../src/renderer/src/stores/adherence'
import { useLiveStore } from '../../src/renderer/src/stores/live'
import { envelope, event, fakeApi, FakeEventSource, type Call } from './fakes'

beforeEach(() => {
  setActivePinia(createPinia())
  FakeEventSource.instances = []
})
afterEach(() => {
  useLiveStore().stop()
  vi.useRealTimers()
  vi.unstubAllGlobals()
  setUnauthorizedHandler(undefined)
})

function stats(onTime: number, late: number, missed: number): AdherenceStats {
  const known = onTime + late + missed
  const pct = (n: number) => (known ? Math.round((n / known) * 1000) / 10 : null)
  const taken = pct(onTime + late)
  return {
    doses: known,
    on_time: onTime,
    late,
    missed,
    unknown: 0,
    pending: 0,
    taken: onTime + late,
    known,
    taken_pct: taken,
    on_time_pct: pct(onTime),
    meets_target: taken === null ? null : taken >= 80
  }
}

function deviceAdherence(id: string, s: AdherenceStats): DeviceAdherence {
  return { device_id: id, name: null, has_schedule: true, overall: s, alarms: [], daily: [] }
}

function outcome(at: string, status: DoseOutcome['status']): DoseOutcome {
  return {
    device_id: 'AA',
    source: 'schedule',
    schedule_alarm_id: 1,
    schedule_version: 1,
    alarm_label: 'Mañana',
    scheduled_at: at,
    local_date: at.slice(0, 10),
    local_time: at.slice(11, 16),
    window_min: 60,
    compartment: null,
    pill_count: null,
    status,
    alarm_at: null,
    rings: 0,
    ack_at: null,
    taken_at: null,
    delay_s: null,
    event_ids: []
  }
}

/** A core answering the adherence endpoints; `taken` moves with each "new dose". */
function adherenceCore() {
  const state = { onTime: 3, fail: '' as '' | 'adherence' | 'calendar' }
  const handler = (call: Call) => {
    const q = call.url.searchParams
    const path = call.url.pathname
    if (path === '/api/admin/session') return { body: { ok: true, signed_in: true } }
    if (path === '/api/admin/devices') return { body: { ok: true, devices: [] } }
    if (state.fail && path.includes(state.fail))
      return { status: 500, body: envelope('internal-error', 'internal error') }
    if (path === '/api/admin/adherence') {
      const days = Number(q.get('days'))
      return {
        body: {
          ok: true,
          days,
          from: days === 7 ? '2026-11-20' : '2026-10-28',
          to: '2026-11-26',
          time_zone: 'Europe/Madrid',
          target_pct: 80,
          devices: [
            deviceAdherence(q.get('device_id')!, stats(state.onTime, 0, days === 7 ? 1 : 3))
          ]
        }
      }
    }
    if (path === '/api/admin/adherence/trend')
      return {
        body: {
          ok: true,
          period: 'week',
          time_zone: 'Europe/Madrid',
          target_pct: 80,
          devices: [
            {
              device_id: q.get('device_id'),
              name: null,
              series: [
                { period: '2026-W47', from: '2026-11-16', to: '2026-11-22', stats: stats(5, 1, 1) },
                { period: '2026-W48', from: '2026-11-23', to: '2026-11-29', stats: stats(2, 0, 0) }
              ]
            }
          ]
        }
      }
    if (path === '/api/admin/adherence/calendar') {
      const month = q.get('month') ?? '2026-11'
      return {
        body: {
          ok: true,
          device_id: q.get('device_id'),
          month,
          time_zone: 'Europe/Madrid',
          target_pct: 80,
          stats: stats(1, 0, 0),
          days: [{ date: `${month}-01`, status: 'all_taken', stats: stats(1, 0, 0) }]
        }
      }
    }
    if (path === '/api/admin/outcomes')
      return {
        body: {
          ok: true,
          from: '2026-11-19T23:00:00.000Z',
          to: '2026-11-26T23:00:00.000Z',
          from_date: q.get('from') ?? '2026-11-20',
          to_date: q.get('to') ?? '2026-11-26',
          time_zone: 'Europe/Madrid',
          outcomes: [
            outcome('2026-11-25T08:00:00.000Z', (q.get('status') as 'missed') ?? 'on_time')
          ]
        }
      }
    if (path === '/api/admin/adherence/report')
      return q.get('device_id') === 'GONE'
        ? { status: 404, body: envelope('device-not-found', 'no device with id GONE') }
        : { body: { ok: true, device: { device_id: q.get('device_id'), name: 'Abuela' } } }
    return { status: 404, body: envelope('not-found', `no route for ${call.method} ${path}`) }
  }
  return { state, handler }
}

const adherenceCalls = (calls: Call[]) =>
  calls.filter(
    (c) => c.url.pathname.startsWith('/api/admin/adherence') && !c.url.pathname.endsWith('/report')
  )

describe('adherence store', () => {
  test('loads 7 and 30 days, the weekly trend, the calendar and the outcomes of one device', async () => {
    const { handler } = adherenceCore()
    const { calls } = fakeApi(handler)
    const store = useAdherenceStore()
    await store.load('AA')
    const asked = calls.map((c) => `${c.url.pathname}?${c.url.searchParams}`).sort()
    expect(asked).toEqual([
      '/api/admin/adherence/calendar?device_id=AA',
      `/api/admin/adherence/trend?device_id=AA&period=week&count=${TREND_WEEKS}`,
      '/api/admin/adherence?device_id=AA&days=30',
      '/api/admin/adherence?device_id=AA&days=7',
      '/api/admin/outcomes?device_id=AA'
    ])
    expect(store.week?.overall.taken_pct).toBe(75)
    expect(store.thirty?.overall.taken_pct).toBe(50)
    expect(store.trend.map((p) => p.period)).toEqual(['2026-W47', '2026-W48'])
    expect(store.month).toBe('2026-11')
    expect(store.calendar?.days[0]?.status).toBe('all_taken')
    expect(store.outcomes).toHaveLength(1)
    expect(store.outcomeRange).toEqual({ from: '2026-11-20', to: '2026-11-26' })
    expect(store.timeZone).toBe('Europe/Madrid')
    expect(store.today).toBe('2026-11-26')
    expect(store.loaded).toBe(true)
  })

  test('month navigation refetches only the calendar; filters only the outcomes', async () => {
    const { calls } = fakeApi(adherenceCore().handler)
    const store = useAdherenceStore()
    await store.load('AA')
    calls.length = 0
    await store.setMonth('2026-10')
    expect(calls.map((c) => `${c.url.pathname}?${c.url.searchParams}`)).toEqual([
      '/api/admin/adherence/calendar?device_id=AA&month=2026-10'
    ])
    expect(store.calendar?.month).toBe('2026-10')
    await store.setMonth('nonsense')
    expect(calls).toHaveLength(1)

    calls.length = 0
    await store.setFilters({ from: '2026-11-01', to: '2026-11-15', status: 'missed' })
    expect(calls.map((c) => `${c.url.pathname}?${c.url.searchParams}`)).toEqual([
      '/api/admin/outcomes?device_id=AA&from=2026-11-01&to=2026-11-15&status=missed'
    ])
    expect(store.outcomes[0]?.status).toBe('missed')
    expect(store.outcomeRange).toEqual({ from: '2026-11-01', to: '2026-11-15' })
  })

  test('a failed refresh keeps the figures it had and says why', async () => {
    const core = adherenceCore()
    fakeApi(core.handler)
    const store = useAdherenceStore()
    await store.load('AA')
    core.state.fail = 'adherence'
    await store.refresh()
    expect(store.error).toBeInstanceOf(ApiError)
    expect(store.error?.message).toBe('internal error')
    expect(store.week?.overall.taken_pct).toBe(75)
    core.state.fail = ''
    await store.refresh()
    expect(store.error).toBeNull()
  })

  test('live events of the device refetch once per burst, only while a view is watching', async () => {
    vi.useFakeTimers()
    const core = adherenceCore()
    const { calls } = fakeApi(core.handler)
    const store = useAdherenceStore()
    await store.load('AA')
    calls.length = 0

    store.applyEvent({ device_id: 'BB' })
    core.state.onTime = 4
    store.applyEvent({ device_id: 'AA' })
    await vi.advanceTimersByTimeAsync(LIVE_DEBOUNCE_MS - 100)
    store.applyEvent({ device_id: 'AA' })
    await vi.advanceTimersByTimeAsync(LIVE_DEBOUNCE_MS - 100)
    expect(calls).toHaveLength(0)
    await vi.advanceTimersByTimeAsync(200)
    expect(adherenceCalls(calls)).toHaveLength(4)
    expect(store.week?.overall.taken_pct).toBe(80)

    calls.length = 0
    store.leave()
    store.applyEvent({ device_id: 'AA' })
    await vi.advanceTimersByTimeAsync(LIVE_DEBOUNCE_MS * 2)
    expect(calls).toHaveLength(0)
  })

  test('the one live stream feeds it: event.created for the device triggers the refetch', async () => {
    vi.useFakeTimers()
    const { calls } = fakeApi(adherenceCore().handler)
    const store = useAdherenceStore()
    await store.load('AA')
    const live = useLiveStore()
    live.start(FakeEventSource.create)
    FakeEventSource.last.open()
    await vi.advanceTimersByTimeAsync(1)
    calls.length = 0
    FakeEventSource.last.emit(
      'event.created',
      event(9, '2026-11-26T10:00:00.000Z', { device_id: 'AA' })
    )
    await vi.advanceTimersByTimeAsync(LIVE_DEBOUNCE_MS + 10)
    expect(adherenceCalls(calls).length).toBe(4)
  })

  test('the CSV export asks the server for format=csv with the same filters', async () => {
    const fetch = vi.fn(async (input: string) => {
      const url = new URL(input, 'http://dashboard.test')
      if (url.searchParams.get('status') === 'late')
        return new Response(JSON.stringify(envelope('not-signed-in', 'sign in')), { status: 401 })
      return new Response('\uFEFFdevice_id,status\r\nAA,missed\r\n', {
        status: 200,
        headers: {
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition':
            'attachment; filename="pastillero-outcomes-AA-2026-11-01-2026-11-15.csv"'
        }
      })
    })
    vi.stubGlobal('fetch', fetch)
    const lost = vi.fn()
    setUnauthorizedHandler(lost)
    const store = useAdherenceStore()
    store.deviceId = 'AA'
    store.filters = { from: '2026-11-01', to: '2026-11-15', status: 'missed' }
    const file = await store.exportCsv()
    const url = new URL(fetch.mock.calls[0]![0], 'http://dashboard.test')
    expect(url.pathname).toBe('/api/admin/outcomes')
    expect(Object.fromEntries(url.searchParams)).toEqual({
      device_id: 'AA',
      from: '2026-11-01',
      to: '2026-11-15',
      status: 'missed',
      format: 'csv',
      lang: 'es'
    })
    expect(file.fileName).toBe('pastillero-outcomes-AA-2026-11-01-2026-11-15.csv')
    expect(await file.blob.text()).toContain('AA,missed')

    store.filters = { from: '', to: '', status: 'late' }
    await expect(store.exportCsv()).rejects.toMatchObject({ status: 401, code: 'not-signed-in' })
    expect(lost).toHaveBeenCalledTimes(1)
  })

  test('switching devices starts over; reset forgets everything', async () => {
    fakeApi(adherenceCore().handler)
    const store = useAdherenceStore()
    await store.load('AA')
    await store.setFilters({ from: '2026-11-01', to: '', status: '' })
    await store.load('BB')
    expect(store.filters).toEqual({ from: '', to: '', status: '' })
    expect(store.week?.device_id).toBe('BB')
    store.reset()
    expect(store.deviceId).toBe('')
    expect(store.week).toBeNull()
    expect(store.loaded).toBe(false)
  })
})

describe('report store', () => {
  test('loads one report; an error replaces it', async () => {
    const { calls } = fakeApi(adherenceCore().handler)
    const report = useReportStore()
    await report.load({ device_id: 'AA', month: '2026-11' })
    expect(calls[0]!.url.search).toBe('?device_id=AA&month=2026-11')
    expect(report.report?.device.name).toBe('Abuela')
    await report.load({ device_id: 'GONE', from: '2026-11-01', to: '2026-11-10' })
    expect(report.report).toBeNull()
    expect(report.error?.code).toBe('device-not-found')
  })
})
