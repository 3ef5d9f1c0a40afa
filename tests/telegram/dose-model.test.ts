import { afterEach, beforeEach, expect, it } from 'vitest'
import { FakeTelegram } from '../helpers/fake-telegram'
import { heartbeatBody, request } from '../helpers/http'
import { startTestCore, type TestCore } from '../helpers/test-core'

/**
 * One model for doses: the alert engine and the adherence figures judge a dose by the same rule
 * (its on-time window). Real HTTP to a real core, alerts delivered to the Bot API stand-in.
 */
const CHAT = 5550002
const MIN = 60_000
let tg: FakeTelegram
let t: TestCore
let cookie: string
// The schedules' clock runs behind while a schedule is saved, so the schedule is in force for
// doses that are already due (a schedule is otherwise valid from the moment it is saved).
let clockShift = 0

beforeEach(async () => {
  tg = await new FakeTelegram().start()
  t = await startTestCore({
    alertTickMs: 100,
    clock: () => Date.now() - clockShift,
    telegram: { pollTimeoutS: 1, senderIntervalMs: 100 },
    env: { TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_URL: tg.url, TELEGRAM_CHAT_ID: String(CHAT) }
  })
  cookie = await t.login()
  await admin('/settings', 'PATCH', { time_zone: 'UTC' })
})
afterEach(async () => {
  await t.dispose()
  await tg.stop()
})

const admin = (path: string, method = 'GET', body?: unknown) =>
  request(`${t.url}/api/admin${path}`, { method, headers: { cookie }, body })
const device = (path: string, body: unknown) =>
  request(`${t.url}/api/${path}`, { headers: { 'X-API-Key': t.deviceKey }, body })
const at = (msAgo: number) => new Date(Date.now() - msAgo).toISOString()
const hhmm = (msAgo: number) => at(msAgo).slice(11, 16)
const ticks = (n = 8) => new Promise((r) => setTimeout(r, n * 100 + 300))
async function alerts() {
  return (await admin('/alerts')).body as {
    alerts: Array<{ kind: string; params: any; resolved_at: string | null; text: string }>
    open_by_device: Record<string, number>
  }
}

it('a dose taken within its window never raised a missed alert; a late one closes its alert', async () => {
  await device('devices/heartbeat', heartbeatBody('abuela', { name: 'Abuela' }))
  // Mediodía: rang 25 min ago, taken 5 min ago (+20 min): on time, and no alert — the old
  // 15-minute alert would have fired here while adherence said "a tiempo".
  await device('events/', {
    device_id: 'abuela',
    type: 'alarm_triggered',
    timestamp: at(25 * MIN),
    payload: { alarm_label: 'Mediodía' }
  })
  await device('events/', {
    device_id: 'abuela',
    type: 'dose_taken',
    timestamp: at(5 * MIN),
    payload: { alarm_label: 'Mediodía' }
  })
  // Mañana: rang 90 min ago, nothing taken: its window closed 30 min ago, so it is missed.
  await device('events/', {
    device_id: 'abuela',
    type: 'alarm_triggered',
    timestamp: at(90 * MIN),
    payload: { alarm_label: 'Mañana' }
  })
  // The dispenser uploads what it buffered, then the family's schedule is saved: two daily
  // alarms: one 25 min ago, one 90 min ago, each with the default 60-minute window.
  clockShift = 3 * 3600_000
  const saved = await admin('/devices/abuela/schedule', 'PUT', {
    alarms: [
      {
        label: 'Mañana',
        time: hhmm(90 * MIN),
        days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']
      },
      {
        label: 'Mediodía',
        time: hhmm(25 * MIN),
        days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']
      }
    ]
  })
  expect(saved.status).toBe(200)
  clockShift = 0
  await device('devices/heartbeat', heartbeatBody('abuela', { name: 'Abuela' }))

  const missed = await tg.waitFor(() =>
    tg.messagesTo(CHAT).find((m) => m.text.includes('no se tomó'))
  )
  expect(missed.text).toMatch(/^Abuela: no se tomó «Mañana» \(alarma \d\d:\d\d\)$/)
  await ticks()
  let list = await alerts()
  expect(list.alerts.filter((a) => a.kind === 'missed_dose')).toHaveLength(1)

  // Adherence agrees with the alerts: one on time, one missed.
  let adherence = await admin('/adherence?device_id=abuela&days=2')
  expect(adherence.body.devices[0].overall).toMatchObject({ on_time: 1, late: 0, missed: 1 })

  // The dose arrives late: the alert closes itself, the Telegram message is edited.
  await device('events/', {
    device_id: 'abuela',
    type: 'dose_taken',
    payload: { alarm_label: 'Mañana' }
  })
  const edit = await tg.waitFor(() => tg.edits.find((e) => e.message_id === missed.message_id))
  expect(edit.text).toMatch(/\n✅ Tomada a las \d\d:\d\d$/)
  expect(edit.text.slice(-5)).toBe(new Date().toISOString().slice(11, 16))
  list = await alerts()
  expect(list.alerts[0]).toMatchObject({ kind: 'missed_dose', resolved_at: expect.any(String) })
  expect(list.open_by_device).toEqual({})
  adherence = await admin('/adherence?device_id=abuela&days=2')
  expect(adherence.body.devices[0].overall).toMatchObject({ on_time: 1, late: 1, missed: 0 })
  expect((await admin('/alerts?open=true')).body.alerts).toEqual([])
})

it('an alarm outside the schedule is alerted as such and does not change adherence', async () => {
  await device('devices/heartbeat', heartbeatBody('tio', { name: 'Tío' }))
  clockShift = 3 * 3600_000
  // The only scheduled dose is 12 hours away from the stray alarm.
  await admin('/devices/tio/schedule', 'PUT', {
    alarms: [
      {
        label: 'Noche',
        time: hhmm(-11 * 3600_000),
        days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']
      }
    ]
  })
  clockShift = 0
  await device('events/', {
    device_id: 'tio',
    type: 'alarm_triggered',
    timestamp: at(70 * MIN),
    payload: { alarm_label: 'Prueba' }
  })
  const msg = await tg.waitFor(() => tg.messagesTo(CHAT).find((m) => m.text.includes('no se tomó')))
  expect(msg.text).toMatch(/^Tío: no se tomó «Prueba» \(alarma fuera de horario, \d\d:\d\d\)$/)
  const list = await alerts()
  expect(list.alerts[0]!.params).toMatchObject({ unscheduled: true })
  const adherence = await admin('/adherence?device_id=tio&days=2')
  expect(adherence.body.devices[0].overall).toMatchObject({ on_time: 0, late: 0, missed: 0 })
  const outcomes = await admin('/outcomes?device_id=tio')
  expect(outcomes.body.outcomes.map((o: any) => [o.source, o.status])).toContainEqual([
    'unscheduled',
    'missed'
  ])
})

it('reboots the family asked for do not count toward a reboot loop', async () => {
  await device('devices/heartbeat', heartbeatBody('sala', { name: 'Sala' }))
  // The dashboard's reboot: queued, delivered with the next heartbeat, then the device restarts.
  for (let i = 0; i < 3; i++) {
    const queued = await admin('/devices/sala/reboot', 'POST')
    expect(queued.status).toBeLessThan(300)
    const hb = await device('devices/heartbeat', heartbeatBody('sala', { name: 'Sala' }))
    expect(hb.body.command).toBe('reboot')
    await device('events/', { device_id: 'sala', type: 'reboot' })
  }
  // Firmware that says why it restarted: reason "remote".
  await device('events/', { device_id: 'sala', type: 'reboot', payload: { reason: 'remote' } })
  await ticks()
  expect((await alerts()).alerts.filter((a) => a.kind === 'reboot_loop')).toEqual([])

  // Three reboots nobody asked for are still a loop.
  for (let i = 0; i < 3; i++)
    await device('events/', { device_id: 'sala', type: 'reboot', payload: { reason: 'panic' } })
  await tg.waitFor(() => tg.messagesTo(CHAT).find((m) => m.text.includes('se reinició 3 veces')))
})

it('a "did not ring" alert closes itself when the buffered alarm event arrives later', async () => {
  await device('devices/heartbeat', heartbeatBody('prima', { name: 'Prima' }))
  clockShift = 3 * 3600_000
  await admin('/devices/prima/schedule', 'PUT', {
    alarms: [
      {
        label: 'Mañana',
        time: hhmm(90 * MIN),
        days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']
      }
    ]
  })
  clockShift = 0
  // Nothing arrived for the 90-min-ago dose: its alarm did not ring, as far as the server knows.
  const missed = await tg.waitFor(() => tg.messagesTo(CHAT).find((m) => m.text.includes('no sonó')))
  expect(missed.text).toMatch(/^Prima: la alarma «Mañana» de las \d\d:\d\d no sonó$/)

  // The dispenser was offline and uploads what it buffered: the alarm did ring, on time.
  const rang = at(90 * MIN)
  await device('events/', {
    device_id: 'prima',
    type: 'alarm_triggered',
    timestamp: rang,
    payload: { alarm_label: 'Mañana' }
  })
  const edit = await tg.waitFor(() => tg.edits.find((e) => e.message_id === missed.message_id))
  expect(edit.text).toBe(`${missed.text}\n🔔 Sí sonó, a las ${rang.slice(11, 16)}`)
  const list = await alerts()
  const closed = list.alerts.find((a) => a.kind === 'schedule_missed')
  expect(closed).toMatchObject({ resolved_at: expect.any(String) })
  expect(closed!.params.rang_at).toBe(rang)
  expect(list.open_by_device).toEqual({})
})
