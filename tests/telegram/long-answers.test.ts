import { afterEach, beforeEach, expect, it } from 'vitest'
import { FakeTelegram } from '../helpers/fake-telegram'
import { heartbeatBody, request } from '../helpers/http'
import { startTestCore, type TestCore } from '../helpers/test-core'

/** Telegram refuses messages over 4,096 characters: a home with many dispensers still gets answers. */
const CHAT = 5550003
let tg: FakeTelegram
let t: TestCore

beforeEach(async () => {
  tg = await new FakeTelegram().start()
  t = await startTestCore({
    telegram: { pollTimeoutS: 1, senderIntervalMs: 100 },
    env: { TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_URL: tg.url, TELEGRAM_CHAT_ID: String(CHAT) }
  })
})
afterEach(async () => {
  await t.dispose()
  await tg.stop()
})

it('the stand-in refuses a message over 4,096 characters, as Telegram does', async () => {
  const send = (text: string) =>
    request(`${tg.url}/bot${tg.token}/sendMessage`, { body: { chat_id: CHAT, text } })
  const refused = await send('x'.repeat(4097))
  expect(refused.status).toBe(400)
  expect(refused.body).toMatchObject({
    ok: false,
    error_code: 400,
    description: 'Bad Request: message is too long'
  })
  expect((await send('x'.repeat(4096))).status).toBe(200)
})

it('/estado and /hoy for 150 dispensers arrive in parts of at most 4,096 characters', async () => {
  const key = { 'X-API-Key': t.deviceKey }
  const names: string[] = []
  for (let i = 0; i < 150; i++) {
    const id = `disp-${String(i).padStart(3, '0')}`
    const name = `Pastillero de la habitación ${String(i).padStart(3, '0')}, planta ${i % 4}`
    names.push(name)
    await request(`${t.url}/api/devices/heartbeat`, {
      headers: key,
      body: heartbeatBody(id, { name })
    })
    for (const type of ['alarm_triggered', 'dose_taken'])
      await request(`${t.url}/api/events/`, {
        headers: key,
        body: { device_id: id, type, payload: { alarm_label: 'Mañana' } }
      })
  }

  tg.userSays(CHAT, '/estado')
  // Every dispenser is named once, across several messages, in the order they were sent.
  const estado = await tg.waitFor(() => {
    const parts = tg.messagesTo(CHAT).filter((m) => m.text.startsWith('🟢'))
    return parts
      .map((m) => m.text)
      .join('\n')
      .split('\n').length === 150
      ? parts
      : undefined
  }, 20_000)
  expect(estado.length).toBeGreaterThan(1)
  for (const m of estado) expect(m.text.length).toBeLessThanOrEqual(4096)
  const lines = estado
    .map((m) => m.text)
    .join('\n')
    .split('\n')
  expect(lines.map((l) => l.replace(/^🟢 /, '').split(' — ')[0])).toEqual(names)
  expect(lines.every((l) => l.endsWith('en línea · 1 toma hoy'))).toBe(true)

  tg.userSays(CHAT, '/hoy')
  const hoy = await tg.waitFor(() => {
    const first = tg.messagesTo(CHAT).findIndex((m) => m.text.startsWith('Hoy:'))
    if (first < 0) return undefined
    const parts = tg.messagesTo(CHAT).slice(first)
    return parts
      .map((m) => m.text)
      .join('\n')
      .split('\n').length === 301
      ? parts
      : undefined
  }, 20_000)
  expect(hoy.length).toBeGreaterThan(1)
  for (const m of hoy) expect(m.text.length).toBeLessThanOrEqual(4096)
  const hoyLines = hoy
    .map((m) => m.text)
    .join('\n')
    .split('\n')
  expect(hoyLines[0]).toBe('Hoy:')
  expect(hoyLines.filter((l) => l.includes('✅ tomada «Mañana»'))).toHaveLength(150)
})
