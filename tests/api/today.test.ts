import { afterEach, beforeEach, expect, it } from 'vitest'
import { heartbeatBody, request } from '../helpers/http'
import { startTestCore, type TestCore } from '../helpers/test-core'

/** GET /api/admin/today: the "Hoy" page in one request. */
const MIN = 60_000
const EVERY_DAY = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']
let t: TestCore
let cookie: string
let shift = 0

beforeEach(async () => {
  t = await startTestCore({ clock: () => Date.now() - shift })
  cookie = await t.login()
})
afterEach(() => t.dispose())

const admin = (path: string, method = 'GET', body?: unknown) =>
  request(`${t.url}/api/admin${path}`, { method, headers: { cookie }, body })
const device = (path: string, body: unknown) =>
  request(`${t.url}/api/${path}`, { headers: { 'X-API-Key': t.deviceKey }, body })
const at = (msAgo: number) => new Date(Date.now() - msAgo).toISOString()

it('lists taken (with the time), pending (with the deadline), missed and upcoming doses', async () => {
  // A zone where it is mid-afternoon now, so doses 2 h ago and 2 h ahead are both today.
  const offsetH = (15 - new Date().getUTCHours() + 24) % 24
  const zone =
    offsetH === 0
      ? 'UTC'
      : `Etc/GMT${offsetH > 12 ? '+' : '-'}${offsetH > 12 ? 24 - offsetH : offsetH}`
  const local = (msAgo: number) =>
    new Intl.DateTimeFormat('en-GB', {
      timeZone: zone,
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23'
    }).format(new Date(Date.now() - msAgo))
  await device('devices/heartbeat', heartbeatBody('abuela', { name: 'Abuela' }))
  // Zone and schedule both in force since 4 hours ago (the schedules' clock runs behind).
  shift = 4 * 3600_000
  expect((await admin('/settings', 'PATCH', { time_zone: zone })).status).toBe(200)
  const saved = await admin('/devices/abuela/schedule', 'PUT', {
    alarms: [
      {
        label: 'Desayuno',
        time: local(120 * MIN),
        days: EVERY_DAY,
        medicine: 'Sintrom',
        dose: '1/2 comprimido'
      },
      { label: 'Comida', time: local(90 * MIN), days: EVERY_DAY },
      { label: 'Merienda', time: local(10 * MIN), days: EVERY_DAY },
      { label: 'Cena', time: local(-120 * MIN), days: EVERY_DAY }
    ]
  })
  expect(saved.status).toBe(200)
  shift = 0
  await device('events/', {
    device_id: 'abuela',
    type: 'alarm_triggered',
    timestamp: at(120 * MIN),
    payload: { alarm_label: 'Desayuno' }
  })
  await device('events/', {
    device_id: 'abuela',
    type: 'dose_taken',
    timestamp: at(115 * MIN),
    payload: { alarm_label: 'Desayuno' }
  })
  await device('events/', {
    device_id: 'abuela',
    type: 'alarm_triggered',
    timestamp: at(90 * MIN),
    payload: { alarm_label: 'Comida' }
  })
  await device('events/', {
    device_id: 'abuela',
    type: 'alarm_triggered',
    timestamp: at(10 * MIN),
    payload: { alarm_label: 'Merienda' }
  })

  const res = await admin('/today')
  expect(res.status).toBe(200)
  expect(res.body.time_zone).toBe(zone)
  const [abuela] = res.body.devices
  expect(abuela).toMatchObject({ device_id: 'abuela', name: 'Abuela', health: 'ok', online: true })
  const byLabel = Object.fromEntries(abuela.doses.map((d: any) => [d.alarm_label, d]))
  expect(byLabel.Desayuno).toMatchObject({
    status: 'on_time',
    medicine: 'Sintrom',
    dose: '1/2 comprimido',
    taken_local_time: local(115 * MIN)
  })
  expect(byLabel.Comida).toMatchObject({ status: 'missed', taken_at: null })
  expect(byLabel.Merienda.status).toBe('pending')
  expect(Date.parse(byLabel.Merienda.due_by) - Date.now()).toBeGreaterThan(45 * MIN)
  expect(byLabel.Cena).toMatchObject({ status: 'upcoming', local_time: local(-120 * MIN) })
  expect(abuela.next_dose).toMatchObject({ alarm_label: 'Cena', local_time: local(-120 * MIN) })
})

it('shows health in one word and the open alerts of each dispenser', async () => {
  await device('devices/heartbeat', heartbeatBody('sala', { name: 'Sala' }))
  await device('devices/heartbeat', heartbeatBody('cocina', { name: 'Cocina' }))
  await device('events/', { device_id: 'sala', type: 'ota_fail', payload: { version: '2.0.0' } })
  await admin('/devices/cocina', 'PATCH', { blocked: true })
  const res = await admin('/today')
  const health = Object.fromEntries(res.body.devices.map((d: any) => [d.device_id, d.health]))
  expect(health).toEqual({ sala: 'attention', cocina: 'blocked' })
  const sala = res.body.devices.find((d: any) => d.device_id === 'sala')
  expect(sala.open_alerts.map((a: any) => a.kind)).toEqual(['ota_failed'])
  expect(sala.next_dose).toBeNull()
})
