import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { FakeTelegram } from '../helpers/fake-telegram'
import { heartbeatBody, request } from '../helpers/http'
import { startTestCore, type TestCore } from '../helpers/test-core'

const CHAT = 4242
const daysAgoAt = (days: number, hh: number, mm: number) => {
  const d = new Date()
  d.setUTCDate(d.getUTCDate() - days)
  d.setUTCHours(hh, mm, 0, 0)
  return d.toISOString()
}

describe('weekly summary on Telegram', () => {
  let tg: FakeTelegram
  let t: TestCore
  beforeEach(async () => {
    tg = await new FakeTelegram().start()
    t = await startTestCore({
      telegram: { pollTimeoutS: 1, senderIntervalMs: 100 },
      env: {
        TELEGRAM_BOT_TOKEN: tg.token,
        TELEGRAM_API_URL: tg.url,
        TELEGRAM_CHAT_ID: String(CHAT)
      }
    })
  })
  afterEach(async () => {
    await t.dispose()
    await tg.stop()
  })

  it('sends each recipient the week in numbers on Sunday evening, once', async () => {
    const cookie = await t.login()
    await request(`${t.url}/api/admin/settings`, {
      method: 'PATCH',
      headers: { cookie },
      body: { time_zone: 'UTC' }
    })
    const key = { 'X-API-Key': t.deviceKey }
    await request(`${t.url}/api/devices/heartbeat`, {
      headers: key,
      body: heartbeatBody('abuela', { name: 'Abuela' })
    })
    const post = (type: string, timestamp: string) =>
      request(`${t.url}/api/events/`, {
        headers: key,
        body: { device_id: 'abuela', type, timestamp, payload: { alarm_label: 'Mañana' } }
      })
    await post('alarm_triggered', daysAgoAt(2, 9, 0))
    await post('dose_taken', daysAgoAt(2, 9, 5))
    await post('alarm_triggered', daysAgoAt(1, 9, 0)) // never taken

    const summary = t.core.services.weeklySummary
    expect(summary.tick(new Date('2026-11-28T20:00:00Z'))).toBe(false) // a Saturday
    expect(summary.tick(new Date('2026-11-29T18:00:00Z'))).toBe(false) // Sunday, too early
    expect(summary.tick(new Date('2026-11-29T19:30:00Z'))).toBe(true)
    expect(summary.tick(new Date('2026-11-29T21:00:00Z'))).toBe(false) // already sent this week

    const message = await tg.waitFor(() =>
      tg.messagesTo(CHAT).find((m) => m.text.startsWith('📋 Resumen semanal'))
    )
    expect(message.text).toMatch(
      /\n• Abuela: 1\/2 tomas \(50 %\), 1 a tiempo \(50 %\) ⚠️ por debajo del 80 %$/
    )
    expect(message.reply_markup).toBeUndefined()
    // The next Sunday gets its own.
    expect(summary.tick(new Date('2026-12-06T19:30:00Z'))).toBe(true)
  })
})
