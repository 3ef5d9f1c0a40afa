import { describe, expect, test } from 'vitest'
import { FakeTelegram } from '../helpers/fake-telegram'
import { startTestCore } from '../helpers/test-core'
import { adminFetch, screenshotFits, SimDevice, useE2E, WIDTHS } from './helpers'

const CHAT = 5550001

let tg: FakeTelegram

const e2e = useE2E({
  startCore: async () => {
    tg = await new FakeTelegram().start()
    return startTestCore({
      presenceSweepMs: 500,
      telegram: { pollTimeoutS: 1, senderIntervalMs: 100 },
      env: {
        TELEGRAM_BOT_TOKEN: tg.token,
        TELEGRAM_API_URL: tg.url,
        TELEGRAM_CHAT_ID: String(CHAT)
      }
    })
  },
  teardown: async () => {
    await tg?.stop()
  }
})

describe('alerts view', () => {
  test('alerts arrive live, "Visto" says who saw it, and the badges count down', async () => {
    const kitchen = new SimDevice(e2e.core, 'AA:BB:CC:00:20:01', {
      name: 'Pastillero Cocina',
      firmware_version: '1.0.0'
    })
    const bedroom = new SimDevice(e2e.core, 'AA:BB:CC:00:20:02', {
      name: 'Pastillero Dormitorio',
      firmware_version: '1.0.0'
    })
    await Promise.all([kitchen.heartbeat(), bedroom.heartbeat()])
    const harness = await e2e.open()
    const { page } = harness
    // Under the test's 30 s, so a stuck step names its locator.
    page.setDefaultTimeout(10_000)
    await page.goto('/alerts')
    await page.getByText('No hay alertas.').waitFor()
    const badge = page.getByRole('navigation').getByTestId('alerts-badge')
    expect(await badge.count()).toBe(0)

    // Failed updates raise an alert at once; both show up without reloading.
    await kitchen.event('ota_fail', { version: '1.2.0', error: 'md5 mismatch' })
    await bedroom.event('ota_fail', { version: '1.2.0', error: 'no space' })
    const kitchenAlert = page.getByRole('article').filter({
      hasText:
        'Pastillero Cocina: falló la actualización a 1.2.0 (El archivo llegó dañado (MD5 no coincide))'
    })
    const bedroomAlert = page.getByRole('article').filter({
      hasText:
        'Pastillero Dormitorio: falló la actualización a 1.2.0 (detalle del dispensador: «no space»)'
    })
    await kitchenAlert.waitFor()
    await bedroomAlert.waitFor()
    expect(await page.getByTestId('alert-item').first().textContent()).toContain('«no space»')
    await badge.getByText('2', { exact: true }).waitFor()
    expect(await kitchenAlert.getByText('Actualización fallida').count()).toBe(1)
    // Each recipient's Telegram delivery, live as the sender works through the outbox.
    await kitchenAlert.getByTestId('delivery').getByText('Enviado').waitFor()
    expect(await kitchenAlert.getByTestId('delivery').textContent()).toContain(String(CHAT))

    // "Visto" in the dashboard: who and when, and one fewer open alert.
    await kitchenAlert.getByRole('button', { name: 'Visto' }).click()
    await kitchenAlert.getByTestId('alert-seen').getByText('Visto por admin').waitFor()
    await badge.getByText('1', { exact: true }).waitFor()
    await page.getByTestId('alerts-open-total').getByText('1 alerta sin ver').waitFor()

    // Only unseen ones; and the device card links to that device's alerts.
    await page.getByText('Sin ver', { exact: true }).click()
    await page.waitForURL(/open=1/)
    await bedroomAlert.waitFor()
    expect(await kitchenAlert.count()).toBe(0)

    await page.goto('/devices')
    const bedroomCard = page.getByRole('article', { name: 'Pastillero Dormitorio' })
    await bedroomCard.getByTestId('device-alerts-badge').getByText('1 alerta sin ver').waitFor()
    expect(
      await page
        .getByRole('article', { name: 'Pastillero Cocina' })
        .getByTestId('device-alerts-badge')
        .count()
    ).toBe(0)
    await bedroomCard.getByTestId('device-alerts-badge').click()
    await page.waitForURL(/\/alerts\?device=AA%3ABB%3ACC%3A00%3A20%3A02|device=AA:BB:CC:00:20:02/)
    await bedroomAlert.waitFor()
    expect(await page.getByTestId('alert-item').count()).toBe(1)

    // Acknowledged elsewhere (Telegram's button, another browser): it changes here live.
    const list = await adminFetch(e2e.core, 'GET', '/api/admin/alerts?open=true')
    const openId = (list.data.alerts as any[])[0].id as number
    await adminFetch(e2e.core, 'POST', `/api/admin/alerts/${openId}/ack`)
    await bedroomAlert.getByTestId('alert-seen').waitFor()
    await badge.waitFor({ state: 'detached' })
  })

  test('blocking a device asks first and shows on its card', async () => {
    const lounge = new SimDevice(e2e.core, 'AA:BB:CC:00:20:03', { name: 'Pastillero Salón' })
    await lounge.heartbeat()
    const harness = await e2e.open()
    const { page } = harness
    // Under the test's 30 s, so a stuck step names its locator.
    page.setDefaultTimeout(10_000)
    await page.goto('/device?id=AA:BB:CC:00:20:03')
    const toggle = page.getByRole('switch', { name: 'Bloquear dispositivo' })
    await toggle.click()
    await page.getByRole('dialog').getByText('¿Bloquear «Pastillero Salón»?').waitFor()
    await page.getByRole('dialog').getByRole('button', { name: 'Bloquear' }).click()
    await page.getByRole('status').filter({ hasText: '«Pastillero Salón» bloqueado' }).waitFor()
    expect(await toggle.isChecked()).toBe(true)
    await page.getByRole('main').getByTestId('blocked-badge').waitFor()
    await expect(lounge.heartbeat()).rejects.toThrow(/403/)

    await page.goto('/devices')
    await page
      .getByRole('article', { name: 'Pastillero Salón' })
      .getByTestId('blocked-badge')
      .getByText('Bloqueado')
      .waitFor()
  })

  test('screenshots of the alerts view at both widths', async () => {
    // One open alert next to the seen ones: three reboots in a few minutes.
    const hall = new SimDevice(e2e.core, 'AA:BB:CC:00:20:04', { name: 'Pastillero Entrada' })
    await hall.heartbeat()
    for (let i = 0; i < 3; i++) await hall.event('reboot')
    await tg.waitFor(() => tg.sent.find((m) => m.text.startsWith('Pastillero Entrada')))
    for (const [size, viewport] of Object.entries(WIDTHS)) {
      const harness = await e2e.open({ viewport })
      const { page } = harness
      // Under the test's 30 s, so a stuck step names its locator.
      page.setDefaultTimeout(10_000)
      await page.goto('/alerts')
      await page.getByTestId('alert-item').first().waitFor()
      await screenshotFits(page, `alerts-${size}`)
      await e2e.finish()
    }
  })
})
