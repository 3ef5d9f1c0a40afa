import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createAccount, loginAs } from '../helpers/accounts'
import { FakeTelegram } from '../helpers/fake-telegram'
import { request } from '../helpers/http'
import { startTestCore, type TestCore } from '../helpers/test-core'

describe('Telegram linking is per person', () => {
  let tg: FakeTelegram
  let t: TestCore | undefined
  beforeEach(async () => {
    tg = await new FakeTelegram().start()
  })
  afterEach(async () => {
    await t?.dispose()
    t = undefined
    await tg.stop()
  })

  it('the chat that uses a person’s code is theirs, and its "Visto" carries their name', async () => {
    t = await startTestCore({
      alertTickMs: 100,
      telegram: { pollTimeoutS: 1, senderIntervalMs: 100 },
      env: { TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_URL: tg.url }
    })
    const admin = await loginAs(t.url, t.adminPassword)
    await createAccount(t.url, admin, 'Marta', 'marta-password-1')
    const marta = await loginAs(t.url, 'marta-password-1', 'Marta')
    // A family account may ask for its own code.
    const code = await request(`${t.url}/api/admin/telegram/link-code`, {
      method: 'POST',
      headers: { cookie: marta }
    })
    expect(code.status).toBe(200)
    tg.userSays(901, `/start ${code.body.link_code}`, 'Mamá')
    await tg.waitFor(() => tg.messagesTo(901).find((m) => m.text.startsWith('Listo')))
    // One code, one chat: someone else cannot join as Marta with it.
    tg.userSays(902, `/start ${code.body.link_code}`, 'Intruso')
    await tg.waitFor(() => tg.messagesTo(902).find((m) => m.text.startsWith('Código incorrecto')))
    const status = await request(`${t.url}/api/admin/telegram`, { headers: { cookie: marta } })
    expect(status.body.recipients).toEqual([
      expect.objectContaining({ chat_id: '901', name: 'Mamá', account_name: 'Marta' })
    ])
    expect(status.body.link_code).not.toBe(code.body.link_code)

    await request(`${t.url}/api/events/`, {
      headers: { 'X-API-Key': t.deviceKey },
      body: { device_id: 'd1', type: 'ota_fail', payload: { version: '1.0.1' } }
    })
    const msg = await tg.waitFor(() => tg.messagesTo(901).find((m) => m.text.includes('falló')))
    tg.userTaps(901, msg, msg.reply_markup!.inline_keyboard[0]![0]!.callback_data!, 'Mamá')
    const edit = await tg.waitFor(() => tg.edits.find((e) => e.message_id === msg.message_id))
    expect(edit.text).toMatch(/Visto por Marta/)
    // Removing chats stays an admin's job.
    const removed = await request(`${t.url}/api/admin/telegram/recipients/901`, {
      method: 'DELETE',
      headers: { cookie: marta }
    })
    expect(removed.status).toBe(403)
  })
})
