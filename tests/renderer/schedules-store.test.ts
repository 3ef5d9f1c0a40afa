// @vitest-environment jsdom
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import { ApiError, setUnauthorizedHandler } from '../../src/renderer/src/api/client'
import type { ScheduleAlarmView, ScheduleView } from '../../src/renderer/src/api/schedules'
import {
  draftToInput,
  newAlarmDraft,
  useSchedulesStore,
  validateDraft,
  type AlarmDraft
} from '../../src/renderer/src/stores/schedules'
import { envelope, fakeApi, type Call } from './fakes'

beforeEach(() => setActivePinia(createPinia()))
afterEach(() => {
  vi.unstubAllGlobals()
  setUnauthorizedHandler(undefined)
})

const TZ = { name: 'Europe/Madrid', posix: 'CET-1CEST,M3.5.0,M10.5.0/3', utc_offset_s: 3600 }

function alarm(id: number, fields: Partial<ScheduleAlarmView> = {}): ScheduleAlarmView {
  return {
    id,
    label: `Toma ${id}`,
    time: '09:00',
    days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
    compartment: null,
    pill_count: null,
    window_min: 60,
    medicine: null,
    dose: null,
    next_at: '2026-11-27T08:00:00.000Z',
    ...fields
  }
}

function version(
  v: number,
  alarms: ScheduleAlarmView[],
  until: string | null = null
): ScheduleView {
  return {
    version: v,
    valid_from: `2026-11-0${v}T10:00:00.000Z`,
    valid_until: until,
    created_by: null,
    alarms
  }
}

function draft(fields: Partial<AlarmDraft> = {}): AlarmDraft {
  return { ...newAlarmDraft(), label: 'Mañana', ...fields }
}

/** A core with one device whose schedule versions the test controls. */
function scheduleCore(initial: ScheduleView[] = []) {
  const versions = [...initial]
  const handler = (call: Call) => {
    const path = call.url.pathname
    if (path === '/api/admin/devices/AA/schedule/versions')
      return { body: { ok: true, device_id: 'AA', versions: [...versions].reverse() } }
    if (path === '/api/admin/devices/AA/schedule' && call.method === 'GET')
      return {
        body: { ok: true, device_id: 'AA', schedule: versions.at(-1) ?? null, time_zone: TZ }
      }
    if (path === '/api/admin/devices/AA/schedule' && call.method === 'PUT') {
      const body = call.body as {
        alarms: Array<Record<string, unknown>>
        expected_version?: number | null
      }
      const current = versions.at(-1)?.version ?? null
      if (body.expected_version !== undefined && body.expected_version !== current)
        return {
          status: 409,
          body: envelope(
            'schedule-version-conflict',
            `the schedule is at version ${current}, not ${body.expected_version}: reload and edit again`,
            'expected_version'
          )
        }
      const next = version(
        (current ?? 0) + 1,
        body.alarms.map((a, i) =>
          alarm((a.id as number | undefined) ?? 100 + i, {
            label: a.label as string,
            time: a.time as string,
            days: a.days as ScheduleAlarmView['days'],
            compartment: (a.compartment as number | null) ?? null,
            pill_count: (a.pill_count as number | null) ?? null,
            window_min: (a.window_min as number) ?? 60
          })
        )
      )
      versions.push(next)
      return { body: { ok: true, device_id: 'AA', schedule: next, changed: true, time_zone: TZ } }
    }
    return { status: 404, body: envelope('not-found', `no route for ${call.method} ${path}`) }
  }
  return { versions, handler }
}

describe('validateDraft', () => {
  test('accepts a complete alarm, and empty optional fields', () => {
    expect(validateDraft([draft()])).toEqual({})
    expect(validateDraft([draft({ compartment: 3, pill_count: 0.5, window_min: 30 })])).toEqual({})
    expect(validateDraft([])).toEqual({})
  })

  test('names each problem by the field path the server uses', () => {
    const errors = validateDraft([
      draft({ label: '  ', time: '9:00', days: [] }),
      draft({ label: 'x'.repeat(65), compartment: 0, pill_count: 25, window_min: 3 }),
      draft({ label: 'A\u0007B', compartment: 1.5, pill_count: 0, window_min: 60.5 })
    ])
    expect(Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, v.key]))).toEqual({
      'alarms.0.label': 'labelRequired',
      'alarms.0.time': 'timeInvalid',
      'alarms.0.days': 'daysRequired',
      'alarms.1.label': 'labelTooLong',
      'alarms.1.compartment': 'compartmentRange',
      'alarms.1.pill_count': 'pillCountRange',
      'alarms.1.window_min': 'windowRange',
      'alarms.2.label': 'labelControl',
      'alarms.2.compartment': 'compartmentRange',
      'alarms.2.pill_count': 'pillCountRange',
      'alarms.2.window_min': 'windowRange'
    })
    expect(errors['alarms.1.label']!.params).toEqual({ max: 64 })
  })

  test('two alarms with one label (ignoring accents and case) at one time on a shared day clash', () => {
    const clash = validateDraft([
      draft({ label: 'Mañana', time: '08:00', days: ['mon', 'tue'] }),
      draft({ label: ' manana ', time: '08:00', days: ['tue', 'wed'] })
    ])
    expect(clash['alarms.1.label']).toEqual({ key: 'duplicate', params: { n: 1 } })
    // Different days, or a different time: fine.
    expect(
      validateDraft([
        draft({ label: 'Mañana', time: '08:00', days: ['mon'] }),
        draft({ label: 'Mañana', time: '08:00', days: ['tue'] }),
        draft({ label: 'Mañana', time: '09:00', days: ['mon'] })
      ])
    ).toEqual({})
  })

  test('at most 24 alarms', () => {
    const many = Array.from({ length: 25 }, (_, i) => draft({ label: `T${i}` }))
    expect(validateDraft(many).alarms).toEqual({ key: 'tooMany', params: { max: 24 } })
  })
})

describe('draftToInput', () => {
  test('numbers from the inputs, empty as null, default window, days in order, ids kept, medicine and dose', () => {
    expect(
      draftToInput([
        draft({
          id: 7,
          label: '  Mañana ',
          days: ['sun', 'mon'],
          compartment: '2',
          pill_count: '0,5',
          window_min: '',
          medicine: ' Sintrom ',
          dose: '1/2 comprimido'
        }),
        draft({ label: 'Noche', compartment: '', pill_count: 1, window_min: 45 })
      ])
    ).toEqual([
      {
        id: 7,
        label: 'Mañana',
        time: '09:00',
        days: ['mon', 'sun'],
        compartment: 2,
        pill_count: 0.5,
        window_min: 60,
        medicine: 'Sintrom',
        dose: '1/2 comprimido'
      },
      {
        label: 'Noche',
        time: '09:00',
        days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
        compartment: null,
        pill_count: 1,
        window_min: 45,
        // Always sent, so a save from the dashboard never drops what the API set.
        medicine: null,
        dose: null
      }
    ])
  })
})

describe('schedules store', () => {
  test('loads a schedule into the form and its versions; edits make it dirty until reset', async () => {
    const { handler } = scheduleCore([
      version(1, [alarm(1)], '2026-11-02T10:00:00.000Z'),
      version(2, [alarm(1, { time: '08:30', days: ['sun', 'mon'] }), alarm(2, { compartment: 3 })])
    ])
    const { calls } = fakeApi(handler)
    const store = useSchedulesStore()
    await store.load('AA')
    expect(calls.map((c) => `${c.method} ${c.url.pathname}`).sort()).toEqual([
      'GET /api/admin/devices/AA/schedule',
      'GET /api/admin/devices/AA/schedule/versions'
    ])
    expect(store.schedule?.version).toBe(2)
    expect(store.timeZone?.name).toBe('Europe/Madrid')
    expect(store.versions.map((v) => v.version)).toEqual([2, 1])
    expect(store.draft.map((a) => [a.id, a.time, a.days, a.compartment])).toEqual([
      [1, '08:30', ['mon', 'sun'], ''],
      [2, '09:00', ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], 3]
    ])
    expect(store.dirty).toBe(false)

    store.draft[0]!.label = 'Otra cosa'
    expect(store.dirty).toBe(true)
    store.resetDraft()
    expect(store.dirty).toBe(false)
    const added = store.addAlarm()
    expect(store.dirty).toBe(true)
    store.setDays(added.key, ['sun', 'wed'])
    expect(store.draft.at(-1)!.days).toEqual(['wed', 'sun'])
    store.removeAlarm(added.key)
    expect(store.dirty).toBe(false)
  })

  test('save sends the form with expected_version and takes the new version', async () => {
    const core = scheduleCore()
    const { calls } = fakeApi(core.handler)
    const store = useSchedulesStore()
    await store.load('AA')
    expect(store.schedule).toBeNull()
    const a = store.addAlarm()
    a.label = 'Mañana'
    a.time = '08:00'
    a.compartment = 2
    expect(await store.save()).toBe('saved')
    const put = calls.find((c) => c.method === 'PUT')!
    expect(put.body).toEqual({
      expected_version: null,
      alarms: [
        {
          label: 'Mañana',
          time: '08:00',
          days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
          compartment: 2,
          pill_count: null,
          window_min: 60,
          medicine: null,
          dose: null
        }
      ]
    })
    expect(store.schedule?.version).toBe(1)
    expect(store.versions.map((v) => v.version)).toEqual([1])
    expect(store.dirty).toBe(false)
    expect(store.draft[0]!.id).toBe(100)

    // The next save is based on version 1 and keeps the alarm's id.
    store.draft[0]!.time = '08:15'
    expect(await store.save()).toBe('saved')
    expect(calls.filter((c) => c.method === 'PUT')[1]!.body).toMatchObject({
      expected_version: 1,
      alarms: [{ id: 100, time: '08:15' }]
    })
  })

  test('an invalid form is not sent', async () => {
    const { calls } = fakeApi(scheduleCore().handler)
    const store = useSchedulesStore()
    await store.load('AA')
    store.addAlarm()
    expect(await store.save()).toBe('invalid')
    expect(store.errors['alarms.0.label']).toEqual({ key: 'labelRequired' })
    expect(store.fieldError('alarms.0.label')).toEqual({ key: 'labelRequired' })
    expect(calls.some((c) => c.method === 'PUT')).toBe(false)
    // Removing the alarm checks again, so no error is left on the wrong row.
    store.removeAlarm(store.draft[0]!.key)
    expect(store.errors).toEqual({})
  })

  test('"unchanged" when the server already had exactly this', async () => {
    fakeApi((call) =>
      call.method === 'PUT'
        ? {
            body: {
              ok: true,
              device_id: 'AA',
              schedule: version(1, [alarm(1)]),
              changed: false,
              time_zone: TZ
            }
          }
        : call.url.pathname.endsWith('/versions')
          ? { body: { ok: true, device_id: 'AA', versions: [version(1, [alarm(1)])] } }
          : {
              body: { ok: true, device_id: 'AA', schedule: version(1, [alarm(1)]), time_zone: TZ }
            }
    )
    const store = useSchedulesStore()
    await store.load('AA')
    expect(await store.save()).toBe('unchanged')
  })

  test('409: reloads the newer version, keeps the lost edits, and can put them back', async () => {
    const core = scheduleCore([version(1, [alarm(1), alarm(2)])])
    fakeApi(core.handler)
    const store = useSchedulesStore()
    await store.load('AA')
    store.draft[0]!.label = 'Mi cambio'
    store.draft[1]!.label = 'Otro cambio'
    // Someone else saves version 2 meanwhile, dropping alarm 2.
    core.versions.push(version(2, [alarm(1, { time: '10:00' })]))

    const error = await store.save().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ApiError)
    expect((error as ApiError).status).toBe(409)
    expect(store.schedule?.version).toBe(2)
    expect(store.draft.map((a) => [a.id, a.time])).toEqual([[1, '10:00']])
    expect(store.conflict?.version).toBe(2)
    expect(store.conflict?.mine.map((a) => a.label)).toEqual(['Mi cambio', 'Otro cambio'])
    expect(store.saveError).toBeNull()

    store.restoreMine()
    expect(store.conflict).toBeNull()
    // Alarm 2 is gone from the current version: it comes back as a new alarm.
    expect(store.draft.map((a) => [a.id, a.label])).toEqual([
      [1, 'Mi cambio'],
      [undefined, 'Otro cambio']
    ])
    expect(await store.save()).toBe('saved')
    expect(store.schedule?.version).toBe(3)
  })

  test('a refusal naming a field is shown at that field; a 401 goes to sign-in', async () => {
    const lost = vi.fn()
    setUnauthorizedHandler(lost)
    let reply: 'refuse' | 'signed-out' = 'refuse'
    fakeApi((call) => {
      if (call.method === 'GET')
        return call.url.pathname.endsWith('/versions')
          ? { body: { ok: true, device_id: 'AA', versions: [] } }
          : { body: { ok: true, device_id: 'AA', schedule: null, time_zone: TZ } }
      return reply === 'refuse'
        ? {
            status: 422,
            body: envelope(
              'validation-failed',
              'alarms.0.time: must be a time like 09:00',
              'alarms.0.time'
            )
          }
        : { status: 401, body: envelope('not-signed-in', 'sign in to use the admin API') }
    })
    const store = useSchedulesStore()
    await store.load('AA')
    store.addAlarm().label = 'Mañana'
    await expect(store.save()).rejects.toMatchObject({ status: 422 })
    expect((store.fieldError('alarms.0.time') as ApiError).message).toBe(
      'alarms.0.time: must be a time like 09:00'
    )
    expect(store.fieldError('alarms.0.label')).toBeUndefined()
    expect(lost).not.toHaveBeenCalled()

    reply = 'signed-out'
    await expect(store.save()).rejects.toMatchObject({ status: 401 })
    expect(lost).toHaveBeenCalledTimes(1)
  })

  test('a failed load is kept; switching devices drops the previous one', async () => {
    let fail = true
    fakeApi((call) => {
      if (fail) return { status: 404, body: envelope('device-not-found', 'no device with id BB') }
      return call.url.pathname.endsWith('/versions')
        ? { body: { ok: true, device_id: 'AA', versions: [version(1, [alarm(1)])] } }
        : { body: { ok: true, device_id: 'AA', schedule: version(1, [alarm(1)]), time_zone: TZ } }
    })
    const store = useSchedulesStore()
    await store.load('BB')
    expect(store.loadError?.code).toBe('device-not-found')
    expect(store.loaded).toBe(false)
    fail = false
    await store.load('AA')
    expect(store.loadError).toBeNull()
    expect(store.draft).toHaveLength(1)
    await store.load('')
    expect(store.schedule).toBeNull()
    expect(store.draft).toEqual([])
  })
})
