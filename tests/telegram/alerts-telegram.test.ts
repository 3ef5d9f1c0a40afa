import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { FakeTelegram } from '../helpers/fake-telegram'
import { heartbeatBody, request } from '../helpers/http'
import { startTestCore, type TestCore } from '../helpers/test-core'
import { waitFor } from '../helpers/wait'

const CHAT = 5550001
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString()

describe('alerts over Telegram', () => {
  let tg: FakeTelegram
  let t: TestCore | undefined
  let cookie: string
  const key = () => ({ 'X-API-Key': t!.deviceKey })
  const event = (device: string, type: string, extra: Record<string, unknown> = {}) =>
    request(`${t!.url}/api/events/`, {
      headers: key(),
      body: { device_id: device, type, ...extra }
    })

  async function start(env: Record<string, string | undefined> = {}, dataDir?: string) {
    t = await startTestCore({
      dataDir,
      alertTickMs: 100,
      presenceSweepMs: 200,
      telegram: { pollTimeoutS: 1, senderIntervalMs: 100 },
      env: {
        TELEGRAM_BOT_TOKEN: tg.token,
        TELEGRAM_API_URL: tg.url,
        TELEGRAM_CHAT_ID: String(CHAT),
        ...env
      }
    })
    cookie = await t.login()
    return t
  }

  beforeEach(async () => {
    tg = await new FakeTelegram().start()
  })
  afterEach(async () => {
    await t?.dispose()
    t = undefined
    await tg.stop()
  })

  it('events from simulated devices reach Telegram as the right messages', async () => {
    await start()
    await request(`${t!.url}/api/devices/heartbeat`, {
      headers: key(),
      body: heartbeatBody('cocina', { name: 'Pastillero Cocina' })
    })
    // An alarm that rang 70 minutes ago (buffered by the device) with no dose since: its on-time
    // window (60 min by default) has passed, so the dose is missed.
    await event('cocina', 'alarm_triggered', {
      timestamp: minutesAgo(70),
      payload: { alarm_label: 'Medicamento mañana' }
    })
    const missed = await tg.waitFor(() =>
      tg.messagesTo(CHAT).find((m) => m.text.includes('no se tomó'))
    )
    expect(missed.text).toMatch(
      /^Pastillero Cocina: no se tomó «Medicamento mañana» \(alarma \d\d:\d\d\)$/
    )
    expect(missed.reply_markup?.inline_keyboard[0]?.[0]).toMatchObject({
      text: 'Visto ✅',
      callback_data: expect.stringMatching(/^ack:\d+$/)
    })

    // Taken after the alert: the same message is edited to say when, and loses its button.
    await event('cocina', 'dose_taken', { payload: { alarm_label: 'Medicamento mañana' } })
    const late = await tg.waitFor(() => tg.edits.find((e) => e.message_id === missed.message_id))
    expect(late.text).toMatch(
      /^Pastillero Cocina: no se tomó «Medicamento mañana» \(alarma \d\d:\d\d\)\n✅ Tomada a las \d\d:\d\d$/
    )
    expect(late.reply_markup).toEqual({ inline_keyboard: [] })

    // A dose taken in time raises nothing.
    await event('cocina', 'alarm_triggered', {
      timestamp: minutesAgo(20),
      payload: { alarm_label: 'Noche' }
    })
    await event('cocina', 'dose_taken', {
      timestamp: minutesAgo(18),
      payload: { alarm_label: 'Noche' }
    })

    await event('cocina', 'ota_fail', { payload: { version: '1.2.0', error: 'MD5 mismatch' } })
    await tg.waitFor(() =>
      tg
        .messagesTo(CHAT)
        .find((m) => m.text === 'Pastillero Cocina: falló la actualización a 1.2.0 (MD5 mismatch)')
    )

    for (let i = 0; i < 3; i++) await event('cocina', 'reboot')
    await tg.waitFor(() =>
      tg
        .messagesTo(CHAT)
        .find((m) => m.text === 'Pastillero Cocina: se reinició 3 veces en 10 minutos')
    )
    await event('cocina', 'reboot') // a fourth reboot in the window is the same loop, not a new alert

    await new Promise((r) => setTimeout(r, 600))
    const texts = tg.messagesTo(CHAT).map((m) => m.text)
    expect(texts.filter((x) => x.includes('Noche'))).toEqual([])
    expect(texts.filter((x) => x.includes('se reinició'))).toHaveLength(1)
    expect(texts).toHaveLength(3)

    const alerts = await request(`${t!.url}/api/admin/alerts`, { headers: { cookie } })
    expect(alerts.body.alerts.map((a: { kind: string }) => a.kind)).toEqual([
      'reboot_loop',
      'ota_failed',
      'missed_dose'
    ])
    expect(alerts.body.alerts[2]).toMatchObject({
      resolved_at: expect.any(String),
      acknowledged_at: null,
      params: { taken_at: expect.any(String) },
      text: expect.stringMatching(/✅ Tomada a las \d\d:\d\d$/)
    })
    expect(alerts.body.alerts[2].deliveries).toEqual([
      expect.objectContaining({ chat_id: String(CHAT), status: 'sent', silent: false })
    ])
    // The missed alert closed itself: two alerts remain open.
    expect(alerts.body.open_by_device).toEqual({ cocina: 2 })
  })

  it('announces a dispenser going silent and coming back', async () => {
    await start({ PASTILLERO_OFFLINE_AFTER_S: '30' })
    await request(`${t!.url}/api/devices/heartbeat`, {
      headers: key(),
      body: heartbeatBody('sala', { name: 'Sala' })
    })
    const offline = await tg.waitFor(
      () => tg.messagesTo(CHAT).find((m) => m.text.startsWith('Sala: sin conexión desde las')),
      40_000
    )
    expect(offline.reply_markup?.inline_keyboard[0]?.[0]?.text).toBe('Visto ✅')
    await request(`${t!.url}/api/devices/heartbeat`, {
      headers: key(),
      body: heartbeatBody('sala', { name: 'Sala' })
    })
    await tg.waitFor(() =>
      tg.messagesTo(CHAT).find((m) => m.text === 'Sala: vuelve a estar en línea')
    )
  })

  it('links a chat with /start CODE and refuses a wrong code', async () => {
    await start({ TELEGRAM_CHAT_ID: undefined })
    const status = await request(`${t!.url}/api/admin/telegram`, { headers: { cookie } })
    expect(status.body).toMatchObject({
      state: 'ok',
      bot_username: 'pastillero_test_bot',
      recipients: []
    })
    const code: string = status.body.link_code
    expect(code).toMatch(/^[A-Z2-9]{8}$/)

    tg.userSays(777, '/start WRONGCODE', 'Intruso')
    await tg.waitFor(() => tg.messagesTo(777).find((m) => m.text.startsWith('Código incorrecto')))
    tg.userSays(777, '/estado', 'Intruso')
    await tg.waitFor(() =>
      tg.messagesTo(777).find((m) => m.text.startsWith('Este chat no está vinculado'))
    )
    expect(
      (await request(`${t!.url}/api/admin/telegram`, { headers: { cookie } })).body.recipients
    ).toEqual([])

    tg.userSays(888, `/start ${code.toLowerCase()}`, 'Lucía')
    await tg.waitFor(() => tg.messagesTo(888).find((m) => m.text.startsWith('Listo')))
    const linked = await request(`${t!.url}/api/admin/telegram`, { headers: { cookie } })
    expect(linked.body.recipients).toEqual([
      expect.objectContaining({ chat_id: '888', name: 'Lucía', source: 'linked' })
    ])

    // Only linked chats get alerts.
    await event('x', 'ota_fail', { payload: { version: '2.0.0' } })
    await tg.waitFor(() =>
      tg.messagesTo(888).find((m) => m.text.includes('falló la actualización'))
    )
    expect(tg.messagesTo(777).some((m) => m.text.includes('falló'))).toBe(false)

    const removed = await request(`${t!.url}/api/admin/telegram/recipients/888`, {
      method: 'DELETE',
      headers: { cookie }
    })
    expect(removed.body.recipients).toEqual([])
  })

  it('answers /estado, /hoy and /silencio', async () => {
    await start()
    await request(`${t!.url}/api/devices/heartbeat`, {
      headers: key(),
      body: heartbeatBody('c1', { name: 'Cocina' })
    })
    await event('c1', 'alarm_triggered', { payload: { alarm_label: 'Mañana' } })
    await event('c1', 'dose_taken', { payload: { alarm_label: 'Mañana' } })

    tg.userSays(CHAT, '/estado')
    const estado = await tg.waitFor(() =>
      tg.messagesTo(CHAT).find((m) => m.text.includes('Cocina —'))
    )
    expect(estado.text).toBe('🟢 Cocina — en línea · 1 toma hoy')

    tg.userSays(CHAT, '/hoy')
    const hoy = await tg.waitFor(() => tg.messagesTo(CHAT).find((m) => m.text.startsWith('Hoy:')))
    expect(hoy.text).toMatch(
      /^Hoy:\n\d\d:\d\d Cocina — ⏰ alarma «Mañana»\n\d\d:\d\d Cocina — ✅ tomada «Mañana»$/
    )

    tg.userSays(CHAT, '/silencio 2h')
    const muted = await tg.waitFor(() =>
      tg.messagesTo(CHAT).find((m) => m.text.startsWith('Silenciado hasta'))
    )
    expect(muted.text).toMatch(/las alertas llegarán sin sonido/)
    const status = await request(`${t!.url}/api/admin/telegram`, { headers: { cookie } })
    expect(Date.parse(status.body.muted_until) - Date.now()).toBeGreaterThan(7_000_000)
    await event('c1', 'ota_fail', { payload: { version: '3.0.0' } })
    const silent = await tg.waitFor(() => tg.messagesTo(CHAT).find((m) => m.text.includes('3.0.0')))
    expect(silent.disable_notification).toBe(true)

    tg.userSays(CHAT, '/status') // English aliases work too
    await tg.waitFor(
      () => tg.messagesTo(CHAT).filter((m) => m.text.includes('Cocina —')).length === 2
    )
    tg.userSays(CHAT, '/silencio nunca')
    await tg.waitFor(() => tg.messagesTo(CHAT).find((m) => m.text.startsWith('Uso: /silencio')))
  })

  it('acknowledges from the inline button: answers the callback, edits the message, shows who', async () => {
    await start()
    await event('d1', 'ota_fail', { payload: { version: '1.0.1' } })
    const msg = await tg.waitFor(() => tg.messagesTo(CHAT).find((m) => m.text.includes('falló')))
    const data = msg.reply_markup!.inline_keyboard[0]![0]!.callback_data!
    tg.userTaps(CHAT, msg, data, 'Marta')
    await tg.waitFor(() => tg.callbackAnswers.find((a) => a.text === 'Marcado como visto'))
    const edit = await tg.waitFor(() => tg.edits.find((e) => e.message_id === msg.message_id))
    expect(edit.text).toMatch(/\n✅ Visto por Marta \(\d\d:\d\d\)$/)
    expect(edit.reply_markup).toEqual({ inline_keyboard: [] })
    const alerts = await request(`${t!.url}/api/admin/alerts`, { headers: { cookie } })
    expect(alerts.body.alerts[0]).toMatchObject({
      acknowledged_by: 'Marta',
      acknowledged_at: expect.any(String)
    })
    // A second tap is answered, but changes nothing.
    tg.userTaps(CHAT, msg, data, 'Pedro')
    await tg.waitFor(() => tg.callbackAnswers.find((a) => a.text === 'Ya lo vio Marta'))
    expect(tg.edits).toHaveLength(1)
  })

  it('acknowledging in the dashboard edits the Telegram messages too', async () => {
    await start()
    await event('d2', 'ota_fail', { payload: { version: '1.0.2' } })
    const msg = await tg.waitFor(() => tg.messagesTo(CHAT).find((m) => m.text.includes('falló')))
    const alerts = await request(`${t!.url}/api/admin/alerts?open=true`, { headers: { cookie } })
    const id = alerts.body.alerts[0].id
    const tooLong = await request(`${t!.url}/api/admin/alerts/${id}/ack`, {
      headers: { cookie },
      body: { by: 'x'.repeat(61) }
    })
    expect(tooLong.status).toBe(422)
    const ack = await request(`${t!.url}/api/admin/alerts/${id}/ack`, {
      headers: { cookie },
      body: { by: 'Lucía' }
    })
    // The signed-in account acknowledges, whatever name the body claims.
    expect(ack.body.alert.acknowledged_by).toBe('admin')
    const edit = await tg.waitFor(() => tg.edits.find((e) => e.message_id === msg.message_id))
    expect(edit.text).toContain('✅ Visto por admin')
    expect(
      (await request(`${t!.url}/api/admin/alerts?open=true`, { headers: { cookie } })).body.alerts
    ).toEqual([])
  })

  it('a restart in the middle of an outage delivers every alert exactly once', async () => {
    tg.down = true
    const first = await start()
    for (const v of ['1.0.0', '1.0.1', '1.0.2'])
      await event('outage', 'ota_fail', { payload: { version: v } })
    // The sender tries and fails during the outage.
    const pending = await waitFor('a failed delivery attempt', async () => {
      const res = await request(`${first.url}/api/admin/alerts`, { headers: { cookie } })
      return res.body.alerts.some((a: any) => a.deliveries[0].attempts > 0) && res
    })
    expect(tg.sent).toHaveLength(0)
    expect(pending.body.alerts).toHaveLength(3)
    expect(pending.body.alerts.every((a: any) => a.deliveries[0].status === 'pending')).toBe(true)
    await first.stop()

    await start({}, first.dataDir) // same data dir, Telegram still down
    await new Promise((r) => setTimeout(r, 300))
    tg.down = false
    // Backoff after a few failures is seconds long; everything arrives after recovery.
    await tg.waitFor(() => tg.messagesTo(CHAT).length >= 3, 20_000)
    await new Promise((r) => setTimeout(r, 1500))
    const texts = tg
      .messagesTo(CHAT)
      .map((m) => m.text)
      .sort()
    expect(texts).toEqual([
      'outage: falló la actualización a 1.0.0',
      'outage: falló la actualización a 1.0.1',
      'outage: falló la actualización a 1.0.2'
    ])
  })

  it('honours 429 retry_after and retries 5xx, delivering once', async () => {
    await start()
    tg.failNext('sendMessage', 429, 'Too Many Requests: retry after 1', 1, 1)
    const started = Date.now()
    await event('r1', 'ota_fail', { payload: { version: '9.0.0' } })
    await tg.waitFor(() => tg.messagesTo(CHAT).find((m) => m.text.includes('9.0.0')))
    expect(Date.now() - started).toBeGreaterThanOrEqual(900)
    tg.failNext('sendMessage', 500, 'Internal Server Error', 1)
    await event('r1', 'ota_fail', { payload: { version: '9.0.1' } })
    await tg.waitFor(() => tg.messagesTo(CHAT).find((m) => m.text.includes('9.0.1')))
    await new Promise((r) => setTimeout(r, 500))
    expect(tg.messagesTo(CHAT)).toHaveLength(2)
  })

  it('quiet hours send silently rather than drop', async () => {
    await start()
    const now = new Date()
    const tz = 'UTC'
    const hhmm = (d: Date) => d.toISOString().slice(11, 16)
    await request(`${t!.url}/api/admin/settings`, {
      method: 'PATCH',
      headers: { cookie },
      body: {
        time_zone: tz,
        quiet_hours: {
          start: hhmm(new Date(now.getTime() - 3600_000)),
          end: hhmm(new Date(now.getTime() + 3600_000))
        }
      }
    })
    await event('q1', 'ota_fail', { payload: { version: '4.0.0' } })
    const quiet = await tg.waitFor(() => tg.messagesTo(CHAT).find((m) => m.text.includes('4.0.0')))
    expect(quiet.disable_notification).toBe(true)

    await request(`${t!.url}/api/admin/settings`, {
      method: 'PATCH',
      headers: { cookie },
      body: { quiet_hours: null }
    })
    await event('q1', 'ota_fail', { payload: { version: '4.0.1' } })
    const loud = await tg.waitFor(() => tg.messagesTo(CHAT).find((m) => m.text.includes('4.0.1')))
    expect(loud.disable_notification).toBe(false)
  })

  it('shows a 409 conflict as a status instead of a crash loop', async () => {
    tg.conflict = true
    await start()
    const res = await waitFor('the conflict status', async () => {
      const r = await request(`${t!.url}/api/admin/telegram`, { headers: { cookie } })
      return r.body.state === 'conflict' && r
    })
    expect(res.body.message).toMatch(/another program is polling/)
    // It does not hammer Telegram while in conflict.
    const polls = tg.calls.filter((c) => c === 'getUpdates').length
    await new Promise((r) => setTimeout(r, 1000))
    expect(tg.calls.filter((c) => c === 'getUpdates').length).toBe(polls)
    // Alerts still go out: sending does not need polling.
    await event('c9', 'ota_fail', { payload: { version: '5.0.0' } })
    await tg.waitFor(() => tg.messagesTo(CHAT).find((m) => m.text.includes('5.0.0')))
  })

  it('the dashboard can set the bot token and send a test message', async () => {
    await start({ TELEGRAM_BOT_TOKEN: undefined })
    let status = await request(`${t!.url}/api/admin/telegram`, { headers: { cookie } })
    expect(status.body).toMatchObject({ state: 'disabled', token_source: 'none' })
    expect(
      (await request(`${t!.url}/api/admin/telegram/test`, { method: 'POST', headers: { cookie } }))
        .status
    ).toBe(409)
    const bad = await request(`${t!.url}/api/admin/telegram`, {
      method: 'PATCH',
      headers: { cookie },
      body: { bot_token: 'nope' }
    })
    expect(bad.status).toBe(422)
    status = await request(`${t!.url}/api/admin/telegram`, {
      method: 'PATCH',
      headers: { cookie },
      body: { bot_token: tg.token }
    })
    expect(status.body.token_source).toBe('setting')
    const test = await request(`${t!.url}/api/admin/telegram/test`, {
      method: 'POST',
      headers: { cookie }
    })
    expect(test.body).toEqual({ ok: true, results: [{ chat_id: String(CHAT), ok: true }] })
    expect(tg.messagesTo(CHAT)[0]!.text).toMatch(/Mensaje de prueba/)
  })
})
