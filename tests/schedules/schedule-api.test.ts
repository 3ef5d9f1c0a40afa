import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  adherenceResponseSchema,
  calendarResponseSchema,
  deviceScheduleResponseSchema,
  heartbeatScheduleFieldsSchema,
  outcomesResponseSchema,
  reportResponseSchema,
  scheduleResponseSchema,
  trendResponseSchema
} from '../../src/shared/schedule-schemas'
import { heartbeatBody, request } from '../helpers/http'
import { startTestCore, type TestCore } from '../helpers/test-core'
import { startScheduleApp, testClock, type ScheduleApp } from './schedule-app'

const H = 3_600_000
const EVERY_DAY = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']

describe('schedules and outcomes over HTTP (Europe/Madrid, across the March DST change)', () => {
  let t: TestCore
  let s: ScheduleApp
  const key = () => ({ 'X-API-Key': t.deviceKey })
  const device = 'AA:BB:CC:00:00:01'
  let eventNo = 0

  /** Posts an event to the real core, with the device's own timestamp, as a dispenser would. */
  async function event(type: string, time: string, label: string | null) {
    const res = await request(`${t.url}/api/events`, {
      headers: key(),
      body: {
        device_id: device,
        type,
        timestamp: time,
        event_id: `e${++eventNo}`,
        ...(label === null ? {} : { payload: { alarm_label: label } })
      }
    })
    expect(res.status).toBe(200)
  }

  /** The device beats every 30 min (on the service's clock) from `from` to `to`. */
  function online(from: string, to: string) {
    for (let at = Date.parse(from); at <= Date.parse(to); at += H / 2)
      s.service.onDeviceSeen(device, at)
  }

  const admin = (path: string) => request(`${s.url}/api/admin${path}`)
  const put = (body: unknown, id = device) =>
    request(`${s.url}/api/admin/devices/${encodeURIComponent(id)}/schedule`, {
      method: 'PUT',
      body
    })
  const outcomes = async (query: string) => {
    const res = await admin(`/outcomes?device_id=${encodeURIComponent(device)}&${query}`)
    expect(res.status).toBe(200)
    return outcomesResponseSchema.parse(res.body).outcomes
  }

  beforeAll(async () => {
    const clock = testClock('2025-03-27T10:00:00Z')
    t = await startTestCore({ clock: () => clock.now })
    t.core.services.settings.update({ time_zone: 'Europe/Madrid', offline_after_s: 3600 })
    s = await startScheduleApp(t, clock)
    const hb = await request(`${t.url}/api/devices/heartbeat`, {
      headers: key(),
      body: heartbeatBody(device)
    })
    expect(hb.status).toBe(200)
  })
  afterAll(async () => {
    await s.close()
    await t.dispose()
  })

  let v1: number
  let morningId: number

  it('a device starts with no schedule; PUT creates version 1 with stable alarm ids', async () => {
    const empty = await admin(`/devices/${device}/schedule`)
    expect(empty.status).toBe(200)
    expect(empty.body).toMatchObject({
      ok: true,
      schedule: null,
      time_zone: { name: 'Europe/Madrid' }
    })

    const res = await put({
      expected_version: null,
      alarms: [
        { label: 'Medicamento noche', time: '21:00', days: EVERY_DAY, window_min: 30 },
        {
          label: 'Medicamento mañana',
          time: '09:00',
          days: EVERY_DAY,
          compartment: 1,
          pill_count: 1
        }
      ]
    })
    expect(res.status).toBe(200)
    const body = scheduleResponseSchema.parse(res.body)
    expect(body.changed).toBe(true)
    expect(body.schedule!.valid_from).toBe('2025-03-27T10:00:00.000Z')
    expect(body.schedule!.alarms).toEqual([
      {
        id: expect.any(Number),
        label: 'Medicamento mañana',
        time: '09:00',
        days: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'],
        compartment: 1,
        pill_count: 1,
        window_min: 60,
        medicine: null,
        dose: null,
        next_at: '2025-03-28T08:00:00.000Z'
      },
      expect.objectContaining({
        label: 'Medicamento noche',
        window_min: 30,
        next_at: '2025-03-27T20:00:00.000Z'
      })
    ])
    v1 = body.schedule!.version
    morningId = body.schedule!.alarms[0]!.id
  })

  it('the same schedule again changes nothing (devices are not made to refetch)', async () => {
    const current = (await admin(`/devices/${device}/schedule`)).body.schedule
    // Sent back exactly as read (next_at, which is computed, is ignored).
    const res = await put({ alarms: current.alarms })
    expect(res.status).toBe(200)
    expect(res.body.changed).toBe(false)
    expect(res.body.schedule.version).toBe(v1)
  })

  it('bad schedules get one clear error and change nothing', async () => {
    const cases: Array<[unknown, number, string, string?]> = [
      [
        { alarms: [{ label: 'X', time: '25:00', days: ['mon'] }] },
        422,
        'validation-failed',
        'alarms.0.time'
      ],
      [
        { alarms: [{ label: 'X', time: '09:00', days: [] }] },
        422,
        'validation-failed',
        'alarms.0.days'
      ],
      [
        { alarms: [{ label: ' ', time: '09:00', days: ['mon'] }] },
        422,
        'validation-failed',
        'alarms.0.label'
      ],
      [
        { alarms: [{ label: 'X', time: '09:00', days: ['lun'] }] },
        422,
        'validation-failed',
        'alarms.0.days.0'
      ],
      [
        { alarms: [{ label: 'X', time: '09:00', days: ['mon'], window_min: 0 }] },
        422,
        'validation-failed',
        'alarms.0.window_min'
      ],
      [
        { alarms: [{ label: 'X', time: '09:00', days: ['mon'], colour: 'red' }] },
        422,
        'validation-failed'
      ],
      [
        { alarms: [{ id: 999_999, label: 'X', time: '09:00', days: ['mon'] }] },
        422,
        'unknown-alarm',
        'alarms.0.id'
      ],
      [
        {
          alarms: [
            { label: 'Pastilla', time: '09:00', days: ['mon', 'tue'] },
            { label: 'pastilla ', time: '09:00', days: ['tue'] }
          ]
        },
        422,
        'duplicate-alarm',
        'alarms.1'
      ],
      [
        { expected_version: v1 + 100, alarms: [] },
        409,
        'schedule-version-conflict',
        'expected_version'
      ],
      [{}, 422, 'validation-failed', 'alarms']
    ]
    for (const [body, status, code, field] of cases) {
      const res = await put(body)
      expect({ body, status: res.status, code: res.body.error?.code }).toEqual({
        body,
        status,
        code
      })
      expect(res.body.ok).toBe(false)
      if (field) expect(res.body.error.field).toBe(field)
    }
    const notJson = await request(`${s.url}/api/admin/devices/${device}/schedule`, {
      method: 'PUT',
      headers: { 'content-type': 'text/plain' },
      raw: '{"alarms":[]}'
    })
    expect(notJson.status).toBe(422)
    const unknown = await put({ alarms: [] }, 'no-such-device')
    expect(unknown.status).toBe(404)
    expect(unknown.body.error).toEqual({
      code: 'device-not-found',
      message: 'no device with id no-such-device',
      field: 'device_id'
    })
    expect((await admin(`/devices/${device}/schedule`)).body.schedule.version).toBe(v1)
  })

  it('the device fetches its alarms with its key; the heartbeat fields name the version and zone', async () => {
    const res = await request(`${s.url}/api/devices/${device}/schedule`, { headers: key() })
    expect(res.status).toBe(200)
    const body = deviceScheduleResponseSchema.parse(res.body)
    expect(body).toMatchObject({
      schedule_version: v1,
      server_time: '2025-03-27T10:00:00Z',
      tz: { name: 'Europe/Madrid', posix: 'CET-1CEST,M3.5.0,M10.5.0/3', utc_offset_s: 3600 }
    })
    expect(body.alarms[0]).toMatchObject({ time: '09:00', hour: 9, minute: 0, days_mask: 127 })

    const noKey = await request(`${s.url}/api/devices/${device}/schedule`)
    expect(noKey.status).toBe(401)
    expect(noKey.body.error.code).toBe('missing-api-key')

    // A device that never had a schedule: version null, no alarms (and no error).
    const other = await request(`${s.url}/api/devices/never-seen/schedule`, { headers: key() })
    expect(other.body).toMatchObject({ ok: true, schedule_version: null, alarms: [] })

    const fields = heartbeatScheduleFieldsSchema.parse(s.service.heartbeatFields(device))
    expect(fields).toEqual({
      schedule_version: v1,
      tz: { name: 'Europe/Madrid', posix: 'CET-1CEST,M3.5.0,M10.5.0/3', utc_offset_s: 3600 }
    })
    expect(s.service.heartbeatFields('never-seen').schedule_version).toBeNull()
  })

  it('seed-format heartbeats are still accepted unchanged, and the added fields only add keys', async () => {
    // Byte for byte what the seed README documents.
    const res = await request(`${t.url}/api/devices/heartbeat`, {
      headers: key(),
      raw: JSON.stringify({
        device_id: device,
        firmware_version: '1.0.0',
        ip_address: '192.168.1.50',
        status: 'online'
      })
    })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ ok: true, server_time: expect.any(String) })
    // What the heartbeat route will answer once wired: the seed's keys keep their meaning.
    const fields = s.service.heartbeatFields(device)
    const wired = { ...res.body, ...fields }
    for (const k of Object.keys(res.body)) expect(wired[k]).toEqual(res.body[k])
    expect(Object.keys(fields).sort()).toEqual(['schedule_version', 'tz'])
  })

  it('outcomes: on time, late, missed (rang), missed (never rang), unknown — across the DST change', async () => {
    online('2025-03-27T10:00:00Z', '2025-03-30T12:00:00Z')
    // 28 March (CET, UTC+1): 09:00 = 08:00Z, 21:00 = 20:00Z.
    await event('alarm_triggered', '2025-03-28T08:00:04Z', 'Medicamento mañana')
    await event('alarm_ack', '2025-03-28T08:06:00Z', 'Medicamento mañana')
    await event('dose_taken', '2025-03-28T08:06:30Z', 'Medicamento mañana')
    await event('alarm_triggered', '2025-03-28T20:00:02Z', 'Medicamento noche')
    await event('dose_taken', '2025-03-28T20:45:00Z', 'Medicamento noche') // window is 30 min
    // 29 March: the morning alarm rings and nobody takes it; the evening alarm never rings.
    await event('alarm_triggered', '2025-03-29T08:00:03Z', 'Medicamento mañana')
    await event('alarm_triggered', '2025-03-29T08:05:03Z', 'Medicamento mañana')
    // 30 March, the clocks went forward at 02:00: 09:00 CEST = 07:00Z. A firmware that
    // strips accents still matches.
    await event('alarm_triggered', '2025-03-30T07:00:01Z', 'MEDICAMENTO MANANA')
    await event('dose_taken', '2025-03-30T07:05:00Z', 'medicamento manana')
    // From 12:00Z on the 30th the dispenser is unplugged until 12:00Z on the 31st.
    online('2025-03-31T12:00:00Z', '2025-04-01T12:00:00Z')

    s.clock.now = Date.parse('2025-03-31T12:00:00Z')
    const list = await outcomes('from=2025-03-28&to=2025-03-31')
    expect(
      list.map((o) => [o.local_date, o.local_time, o.scheduled_at, o.alarm_label, o.status])
    ).toEqual([
      ['2025-03-28', '09:00', '2025-03-28T08:00:00.000Z', 'Medicamento mañana', 'on_time'],
      ['2025-03-28', '21:00', '2025-03-28T20:00:00.000Z', 'Medicamento noche', 'late'],
      ['2025-03-29', '09:00', '2025-03-29T08:00:00.000Z', 'Medicamento mañana', 'missed'],
      ['2025-03-29', '21:00', '2025-03-29T20:00:00.000Z', 'Medicamento noche', 'missed'],
      ['2025-03-30', '09:00', '2025-03-30T07:00:00.000Z', 'Medicamento mañana', 'on_time'],
      ['2025-03-30', '21:00', '2025-03-30T19:00:00.000Z', 'Medicamento noche', 'unknown'],
      ['2025-03-31', '09:00', '2025-03-31T07:00:00.000Z', 'Medicamento mañana', 'unknown']
    ])
    expect(list[0]).toMatchObject({
      source: 'schedule',
      schedule_version: v1,
      schedule_alarm_id: morningId,
      rings: 1,
      alarm_at: '2025-03-28T08:00:04.000Z',
      ack_at: '2025-03-28T08:06:00.000Z',
      taken_at: '2025-03-28T08:06:30.000Z',
      delay_s: 390,
      compartment: 1,
      pill_count: 1
    })
    expect(list[1]!.delay_s).toBe(45 * 60)
    expect(list[2]).toMatchObject({ rings: 2, taken_at: null })
    expect(list[3]).toMatchObject({ rings: 0, alarm_at: null })
    expect(list[4]).toMatchObject({ local_time: '09:00', delay_s: 300 })
  })

  it('missed alarms for the alert engine: windows passed with no alarm at all, within 24 h', () => {
    // The evening of the 29th never rang while the device was online.
    const due = s.service.dueMissedAlarms(Date.parse('2025-03-30T08:00:00Z'))
    expect(due).toEqual([
      {
        device_id: device,
        device_name: 'Pastillero Cocina',
        alarm_label: 'Medicamento noche',
        schedule_alarm_id: expect.any(Number),
        schedule_version: v1,
        scheduled_at: '2025-03-29T20:00:00.000Z',
        local_date: '2025-03-29',
        local_time: '21:00',
        window_min: 30,
        device_reachable: true,
        dedupe_key: `${device}:${due[0]!.schedule_alarm_id}:2025-03-29T20:00:00.000Z`
      }
    ])
    // Within the window it is not due yet; 24 h on it has dropped out.
    expect(s.service.dueMissedAlarms(Date.parse('2025-03-29T20:20:00Z'))).toEqual([])
    expect(
      s.service.dueMissedAlarms(Date.parse('2025-03-30T20:31:00Z')).map((d) => d.scheduled_at)
    ).toEqual(['2025-03-30T19:00:00.000Z'])
    // While unplugged: both doses are due, flagged as "device not reachable".
    const offline = s.service.dueMissedAlarms(Date.parse('2025-03-31T08:30:00Z'))
    expect(offline.map((d) => [d.scheduled_at, d.device_reachable])).toEqual([
      ['2025-03-30T19:00:00.000Z', false],
      ['2025-03-31T07:00:00.000Z', false]
    ])
  })

  it('late-arriving events (a buffer uploaded after the outage) correct history', async () => {
    await event('alarm_triggered', '2025-03-31T07:00:00Z', 'Medicamento mañana')
    await event('dose_taken', '2025-03-31T07:20:00Z', 'Medicamento mañana')
    const list = await outcomes('from=2025-03-31&to=2025-03-31')
    expect(list[0]).toMatchObject({ local_time: '09:00', status: 'on_time', delay_s: 1200 })
    // …and the alert engine no longer sees the dose as missed.
    const due = s.service.dueMissedAlarms(Date.parse('2025-03-31T08:30:00Z'))
    expect(due.map((d) => d.scheduled_at)).toEqual(['2025-03-30T19:00:00.000Z'])
  })

  let v2: number
  it('editing the schedule makes a new version; past outcomes keep the schedule that was in force', async () => {
    s.clock.now = Date.parse('2025-03-31T12:00:00Z')
    const current = (await admin(`/devices/${device}/schedule`)).body.schedule
    const alarms = current.alarms.map(({ next_at: _, ...a }: any) =>
      a.id === morningId ? { ...a, time: '10:00' } : a
    )
    const res = await put({ expected_version: v1, alarms })
    expect(res.status).toBe(200)
    v2 = res.body.schedule.version
    expect(v2).toBeGreaterThan(v1)
    expect(res.body.schedule.alarms[0]).toMatchObject({ id: morningId, time: '10:00' })
    // A stale editor (still on v1) is refused.
    expect((await put({ expected_version: v1, alarms })).status).toBe(409)

    const versions = await admin(`/devices/${device}/schedule/versions`)
    expect(
      versions.body.versions.map((v: any) => [v.version, v.valid_from, v.valid_until])
    ).toEqual([
      [v2, '2025-03-31T12:00:00.000Z', null],
      [v1, '2025-03-27T10:00:00.000Z', '2025-03-31T12:00:00.000Z']
    ])

    s.clock.now = Date.parse('2025-04-01T12:00:00Z')
    await event('alarm_triggered', '2025-04-01T08:00:00Z', 'Medicamento mañana')
    await event('dose_taken', '2025-04-01T08:30:00Z', 'Medicamento mañana')
    const list = await outcomes('from=2025-03-30&to=2025-04-01')
    expect(
      list.map((o) => [
        o.local_date,
        o.local_time,
        o.schedule_version,
        o.schedule_alarm_id === morningId,
        o.status
      ])
    ).toEqual([
      ['2025-03-30', '09:00', v1, true, 'on_time'],
      ['2025-03-30', '21:00', v1, false, 'unknown'],
      ['2025-03-31', '09:00', v1, true, 'on_time'],
      ['2025-03-31', '21:00', v2, false, 'missed'],
      ['2025-04-01', '10:00', v2, true, 'on_time']
    ])
    expect(s.service.heartbeatFields(device)).toMatchObject({
      schedule_version: v2,
      tz: { utc_offset_s: 7200 }
    })
  })

  it('adherence over 7 days, per alarm and per day, against the 80 % line', async () => {
    const res = await admin(`/adherence?device_id=${device}&days=7`)
    expect(res.status).toBe(200)
    const body = adherenceResponseSchema.parse(res.body)
    expect(body).toMatchObject({ days: 7, from: '2025-03-26', to: '2025-04-01', target_pct: 80 })
    const [d] = body.devices
    // 27th 21:00 missed (online, never rang); 28th on time + late; 29th missed ×2;
    // 30th on time + unknown; 31st on time + missed; 1st on time (10:00) and 21:00 not yet.
    expect(d!.overall).toEqual({
      doses: 10,
      on_time: 4,
      late: 1,
      missed: 4,
      unknown: 1,
      pending: 0,
      taken: 5,
      known: 9,
      taken_pct: 55.6,
      on_time_pct: 44.4,
      meets_target: false
    })
    expect(d!.has_schedule).toBe(true)
    expect(d!.alarms.map((a) => [a.alarm_label, a.time, a.stats.taken, a.stats.known])).toEqual([
      ['Medicamento mañana', '10:00', 4, 5],
      ['Medicamento noche', '21:00', 1, 4]
    ])
    expect(d!.daily.map((x) => [x.date, x.stats.doses])).toEqual([
      ['2025-03-26', 0],
      ['2025-03-27', 1],
      ['2025-03-28', 2],
      ['2025-03-29', 2],
      ['2025-03-30', 2],
      ['2025-03-31', 2],
      ['2025-04-01', 1]
    ])
    const all = await admin('/adherence?days=30')
    expect(all.status).toBe(200)
    expect(all.body.devices.map((x: any) => x.device_id)).toContain(device)
  })

  it('month calendar, weekly trend and the printable report', async () => {
    const cal = await admin(`/adherence/calendar?device_id=${device}&month=2025-03`)
    expect(cal.status).toBe(200)
    const days = calendarResponseSchema.parse(cal.body).days
    expect(days).toHaveLength(31)
    expect(days.slice(25).map((x) => [x.date, x.status])).toEqual([
      ['2025-03-26', 'no_doses'],
      ['2025-03-27', 'some_missed'],
      ['2025-03-28', 'all_taken'],
      ['2025-03-29', 'some_missed'],
      ['2025-03-30', 'unknown'],
      ['2025-03-31', 'some_missed']
    ])
    const april = await admin(`/adherence/calendar?device_id=${device}`)
    expect(april.body.month).toBe('2025-04')
    expect(april.body.days[0]).toMatchObject({ date: '2025-04-01', status: 'pending' })
    expect(april.body.days[1]).toMatchObject({ status: 'future' })

    const trend = await admin(`/adherence/trend?device_id=${device}&period=week&count=2`)
    expect(trend.status).toBe(200)
    const series = trendResponseSchema.parse(trend.body).devices[0]!.series
    expect(series.map((p) => [p.period, p.from, p.to, p.stats.doses])).toEqual([
      ['2025-W13', '2025-03-24', '2025-03-30', 7],
      ['2025-W14', '2025-03-31', '2025-04-06', 3]
    ])
    const months = await admin(`/adherence/trend?period=month&count=3`)
    expect(months.body.devices[0].series.map((p: any) => p.period)).toEqual([
      '2025-02',
      '2025-03',
      '2025-04'
    ])

    const report = await admin(
      `/adherence/report?device_id=${device}&from=2025-03-27&to=2025-04-01`
    )
    expect(report.status).toBe(200)
    const r = reportResponseSchema.parse(report.body)
    expect(r.device).toEqual({ device_id: device, name: 'Pastillero Cocina' })
    expect(r.schedules.map((v) => v.version)).toEqual([v1, v2])
    expect(r.outcomes).toHaveLength(10)
    expect(r.weeks.map((w) => w.period)).toEqual(['2025-W13', '2025-W14'])
    expect(r.days).toHaveLength(6)
  })

  it('exports outcomes as CSV', async () => {
    const res = await fetch(
      `${s.url}/api/admin/outcomes?device_id=${encodeURIComponent(device)}&from=2025-03-28&to=2025-03-29&format=csv`
    )
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    expect(res.headers.get('content-disposition')).toBe(
      'attachment; filename=pastillero-outcomes-AA-BB-CC-00-00-01-2025-03-28-2025-03-29.csv'
    )
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await res.arrayBuffer())
    expect(text.startsWith('\uFEFF')).toBe(true)
    const lines = text.slice(1).trimEnd().split('\r\n')
    expect(lines[0]).toBe(
      'device_id,device_name,local_date,local_time,scheduled_at,alarm_label,schedule_alarm_id,schedule_version,source,status,alarm_at,rings,ack_at,taken_at,delay_min,window_min,compartment,pill_count'
    )
    expect(lines).toHaveLength(5)
    expect(lines[1]).toMatch(
      new RegExp(
        `^${device},Pastillero Cocina,2025-03-28,09:00,2025-03-28T08:00:00.000Z,Medicamento mañana,\\d+,${v1},schedule,on_time,`
      )
    )
    expect(lines[2]).toContain(',late,')

    // lang=es (what the Spanish dashboard asks for): Spanish headers and words, ';', BOM.
    const es = await fetch(
      `${s.url}/api/admin/outcomes?device_id=${encodeURIComponent(device)}&from=2025-03-28&to=2025-03-29&format=csv&lang=es`
    )
    const esText = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await es.arrayBuffer())
    expect(esText.startsWith('\uFEFF')).toBe(true)
    const esLines = esText.slice(1).trimEnd().split('\r\n')
    expect(esLines[0]!.split(';').slice(0, 4)).toEqual([
      'ID del dispensador',
      'Dispensador',
      'Fecha',
      'Hora'
    ])
    expect(esLines[0]).not.toContain(',')
    expect(esLines[1]).toMatch(
      new RegExp(`^${device};Pastillero Cocina;2025-03-28;09:00;.*;horario;a tiempo;`)
    )
    expect(esLines[2]).toContain(';tarde;')
  })

  it('filters and refuses bad queries with the error envelope', async () => {
    const late = await outcomes('from=2025-03-27&to=2025-04-01&status=late')
    expect(late.map((o) => o.local_date)).toEqual(['2025-03-28'])
    const byAlarm = await outcomes(`from=2025-03-27&to=2025-04-01&alarm_id=${morningId}`)
    expect(byAlarm).toHaveLength(5)
    const instants = await outcomes('from=2025-03-30T00:00:00Z&to=2025-03-30T12:00:00Z')
    expect(instants.map((o) => o.scheduled_at)).toEqual(['2025-03-30T07:00:00.000Z'])

    for (const [path, field] of [
      [`/adherence?days=abc`, 'days'],
      [`/adherence?days=0`, 'days'],
      [`/outcomes?from=2025-04-02&to=2025-04-01`, 'from'],
      [`/outcomes?from=2023-01-01&to=2025-04-01`, 'from'],
      [`/outcomes?from=2025-02-30`, 'from'],
      [`/outcomes?status=maybe`, 'status'],
      [`/adherence/calendar`, 'device_id'],
      [`/adherence/calendar?device_id=${device}&month=2025-13`, 'month'],
      [`/adherence/trend?period=day`, 'period']
    ]) {
      const res = await admin(path!)
      expect({ path, status: res.status, field: res.body.error?.field }).toEqual({
        path,
        status: 422,
        field
      })
    }
    const missing = await admin('/adherence/report?device_id=nobody')
    expect(missing.status).toBe(404)
  })

  it('heartbeats and events reaching the core are recorded as presence (the device-contact hook)', async () => {
    const id = 'presence-1'
    s.clock.now = Date.parse('2025-04-01T12:00:00Z')
    await request(`${t.url}/api/devices/heartbeat`, { headers: key(), body: heartbeatBody(id) })
    // Presence is written with the writer's next batch (at most ~1 s later).
    await t.core.writer.flush()
    const rows = t.core.db
      .prepare('SELECT start_at, end_at FROM device_presence WHERE device_id = ?')
      .all(id)
    expect(rows).toEqual([
      { start_at: '2025-04-01T12:00:00.000Z', end_at: '2025-04-01T12:00:00.000Z' }
    ])
  })

  it('a family that moves to Santiago keeps its past doses in Madrid time', async () => {
    s.clock.now = Date.parse('2025-04-02T12:00:00Z')
    t.core.services.settings.update({ time_zone: 'America/Santiago' })
    expect(s.service.heartbeatFields(device).tz).toEqual({
      name: 'America/Santiago',
      posix: '<-04>4<-03>,M9.1.6/24,M4.1.6/24',
      utc_offset_s: -3 * 3600
    })
    s.clock.now = Date.parse('2025-04-04T00:00:00Z')
    const list = await outcomes('from=2025-04-01T00:00:00Z&to=2025-04-04T00:00:00Z')
    expect(list.map((o) => [o.scheduled_at, o.local_date, o.local_time])).toEqual([
      ['2025-04-01T08:00:00.000Z', '2025-04-01', '10:00'], // Madrid
      ['2025-04-01T19:00:00.000Z', '2025-04-01', '21:00'],
      ['2025-04-02T08:00:00.000Z', '2025-04-02', '10:00'],
      // The move at 12:00Z (09:00 in Santiago): 10:00 Santiago comes round once more that day.
      ['2025-04-02T13:00:00.000Z', '2025-04-02', '10:00'],
      ['2025-04-03T00:00:00.000Z', '2025-04-02', '21:00'],
      ['2025-04-03T13:00:00.000Z', '2025-04-03', '10:00']
    ])
  })

  it('removing a device removes its schedules', async () => {
    const cookie = await t.login()
    const del = await request(`${t.url}/api/admin/devices/${device}`, {
      method: 'DELETE',
      headers: { cookie }
    })
    expect(del.status).toBe(200)
    const left = t.core.db
      .prepare('SELECT COUNT(*) AS n FROM schedule_versions WHERE device_id = ?')
      .get(device)
    expect(left).toEqual({ n: 0 })
  })
})
