import type { Page } from 'playwright-core'
import { describe, expect, test } from 'vitest'
import { FakeTelegram } from '../helpers/fake-telegram'
import { startTestCore, type TestCore } from '../helpers/test-core'
import { adminFetch, DESKTOP, screenshot, screenshotFits, useE2E, WIDTHS } from './helpers'

const CHAT = 5550002

const cores: TestCore[] = []
const bots: FakeTelegram[] = []

// Each test starts its own core (a fresh password, Telegram state, or key).
const e2e = useE2E({
  startCore: false,
  teardown: async () => {
    for (const core of cores) await core.dispose()
    for (const bot of bots) await bot.stop()
  }
})

/** Dismisses every toast, for a clean picture. */
async function closeToasts(page: Page): Promise<void> {
  const close = page
    .getByRole('region', { name: 'Notificaciones' })
    .getByRole('button', { name: 'Cerrar', exact: true })
  while ((await close.count()) > 0) await close.first().click()
}

describe('settings: family, Telegram, device key, backups, log', () => {
  test('Telegram from disabled to linked; family settings; the device key rotates', async () => {
    const tg = await new FakeTelegram().start()
    bots.push(tg)
    // No API_SECRET_KEY and no bot token: both can be set from the dashboard.
    const core = await startTestCore({
      presenceSweepMs: 500,
      telegram: { pollTimeoutS: 1, senderIntervalMs: 100 },
      env: { API_SECRET_KEY: undefined, TELEGRAM_API_URL: tg.url }
    })
    cores.push(core)
    const harness = await e2e.open({ core })
    const { page } = harness
    // Under the test's 30 s, so a stuck step names its locator.
    page.setDefaultTimeout(10_000)
    await page.goto('/settings')

    const telegram = page.getByRole('region', { name: 'Telegram' })
    await telegram.getByTestId('telegram-state').getByText('Desactivado').waitFor()
    await telegram.getByText('crea un bot con @BotFather').waitFor()
    const code = (await telegram.getByTestId('link-code').textContent())!.trim()
    expect(code).toMatch(/^[A-Z0-9]{4,}$/)
    await telegram.getByText(`envía /start ${code} al bot desde el teléfono`).waitFor()

    // Paste the token: the bot connects, and its name appears in the instructions.
    await telegram.getByLabel('Token del bot').fill(tg.token)
    await telegram.getByRole('button', { name: 'Guardar token' }).click()
    await telegram.getByTestId('telegram-state').getByText('Funcionando').waitFor()
    await telegram.getByTestId('telegram-bot').getByText('@pastillero_test_bot').waitFor()
    await telegram
      .getByText(`envía /start ${code} al bot @pastillero_test_bot`, { exact: false })
      .waitFor()

    // Ana sends the code from her phone: she is listed live (telegram.updated).
    await telegram.getByText('Nadie recibe los avisos todavía.').waitFor()
    tg.userSays(CHAT, `/start ${code}`, 'Ana')
    await telegram.getByRole('listitem').filter({ hasText: 'Ana' }).waitFor()

    await telegram.getByRole('button', { name: 'Enviar mensaje de prueba' }).click()
    await telegram.getByRole('status').filter({ hasText: 'Ana' }).getByText('Enviado').waitFor()
    expect(tg.messagesTo(CHAT).length).toBeGreaterThan(0)

    // Family settings: only what changed is saved.
    const family = page.getByRole('region', { name: 'Familia y avisos' })
    await family.getByLabel('Zona horaria').selectOption('America/Santiago')
    await family.getByLabel('Margen para tomar la dosis (minutos)').fill('30')
    await family.getByLabel('Enviar los avisos sin sonido en un horario').check()
    await family.getByLabel('Desde').fill('22:30')
    await family.getByLabel('Hasta').fill('07:15')
    await family.getByRole('button', { name: 'Guardar ajustes de familia' }).click()
    await page.getByRole('status').filter({ hasText: 'Ajustes guardados' }).waitFor()
    const saved = await adminFetch(core, 'GET', '/api/admin/settings')
    expect(saved.data.settings).toMatchObject({
      time_zone: 'America/Santiago',
      missed_dose_after_s: 1800,
      quiet_hours: { start: '22:30', end: '07:15' },
      language: 'es'
    })
    await family.getByTestId('mdns-name').getByText('Ahora no se anuncia en la red.').waitFor()

    // A new device key, the old one kept for 24 h.
    const keyCard = page.getByRole('region', { name: 'Cambiar la clave de los pastilleros' })
    const oldKey = core.deviceKey
    await keyCard.getByLabel('La clave anterior sigue valiendo (horas)').fill('24')
    await keyCard.getByRole('button', { name: 'Cambiar la clave' }).click()
    const dialog = page.getByRole('dialog')
    await dialog.getByText('La anterior deja de valer dentro de 24 h.', { exact: false }).waitFor()
    await dialog.getByRole('button', { name: 'Cambiar la clave' }).click()
    const newKey = keyCard.getByTestId('new-device-key')
    await newKey.waitFor()
    const shown = (await newKey.textContent())!.trim()
    const after = await adminFetch(core, 'GET', '/api/admin/settings')
    expect(shown).toBe(after.data.device_api_key)
    expect(shown).not.toBe(oldKey)
    await keyCard.getByTestId('previous-key-until').waitFor()
    // The connection card shows the new key as well.
    const connect = page.getByRole('region', { name: 'Conectar un pastillero' })
    await connect.getByRole('button', { name: 'Mostrar' }).click()
    await connect.getByTestId('api-key').getByText(shown).waitFor()

    // Backups: one now; the recent log opens on demand.
    const backups = page.getByRole('region', { name: 'Copias de seguridad' })
    await backups.getByText('Todavía no hay copias.').waitFor()
    await backups.getByRole('button', { name: 'Hacer copia ahora' }).click()
    await backups.getByTestId('backup').getByText('Manual').waitFor()
    expect(
      await backups.getByRole('link', { name: 'Descargar exportación' }).getAttribute('href')
    ).toBe('/api/admin/export')
    const log = page.getByRole('region', { name: 'Registro reciente' })
    await log.getByText('Registro reciente').click()
    await log.getByText('El registro está vacío.').waitFor()

    // Pictures without the toasts, from the top (the bar is sticky).
    await closeToasts(page)
    await page.evaluate(() => window.scrollTo(0, 0))
    for (const [size, viewport] of Object.entries(WIDTHS)) {
      await page.setViewportSize(viewport)
      await screenshotFits(page, `settings-admin-${size}`)
    }

    // Restoring answers 202 and the server restarts: the page says so, then reloads itself.
    await page.setViewportSize(DESKTOP)
    await backups.getByRole('button', { name: /^Restaurar la copia del/ }).click()
    await page.getByRole('dialog').getByRole('button', { name: 'Restaurar y reiniciar' }).click()
    await backups.getByTestId('restarting').waitFor()
    await page.waitForEvent('load', { timeout: 15_000 })
    await page.getByRole('heading', { name: 'Ajustes', level: 1 }).waitFor()
  })

  test('a bot token another program polls shows the conflict; env-set values are explained', async () => {
    const tg = await new FakeTelegram().start()
    bots.push(tg)
    tg.conflict = true
    const core = await startTestCore({
      presenceSweepMs: 500,
      telegram: { pollTimeoutS: 1, senderIntervalMs: 100 },
      env: {
        TELEGRAM_BOT_TOKEN: tg.token,
        TELEGRAM_API_URL: tg.url,
        TELEGRAM_CHAT_ID: String(CHAT)
      }
    })
    cores.push(core)
    const harness = await e2e.open({ core })
    const { page } = harness
    // Under the test's 30 s, so a stuck step names its locator.
    page.setDefaultTimeout(10_000)
    await page.goto('/settings')

    const telegram = page.getByRole('region', { name: 'Telegram' })
    await telegram.getByTestId('telegram-state').getByText('En conflicto').waitFor()
    const conflict = telegram.getByTestId('telegram-conflict')
    await conflict.getByText('Otro programa está usando este mismo bot', { exact: false }).waitFor()
    await conflict
      .getByText('another program is polling this bot token', { exact: false })
      .waitFor()
    const code = (await telegram.getByTestId('link-code').textContent())!.trim()
    await telegram.getByText(`envía /start ${code} al bot @pastillero_test_bot`).waitFor()
    // The token comes from the environment: no field, and where to change it.
    expect(await telegram.getByLabel('Token del bot').count()).toBe(0)
    await telegram.getByText('El token lo fija TELEGRAM_BOT_TOKEN').waitFor()
    await telegram
      .getByRole('listitem')
      .filter({ hasText: String(CHAT) })
      .getByText('fijado por TELEGRAM_CHAT_ID')
      .waitFor()

    // Sending still works while polling conflicts; a refused recipient is reported as such.
    tg.failNext('sendMessage', 403, 'Forbidden: bot was blocked by the user')
    await telegram.getByRole('button', { name: 'Enviar mensaje de prueba' }).click()
    await telegram
      .getByRole('status')
      .getByText('Falló: 403 Forbidden: bot was blocked by the user')
      .waitFor()
    await page
      .getByRole('alert')
      .filter({ hasText: 'El mensaje de prueba no llegó a todos' })
      .waitFor()

    // The device key comes from API_SECRET_KEY: rotation is off, and the card says why.
    const keyCard = page.getByRole('region', { name: 'Cambiar la clave de los pastilleros' })
    await keyCard.getByTestId('key-from-env').getByText('API_SECRET_KEY').waitFor()
    expect(await keyCard.getByRole('button', { name: 'Cambiar la clave' }).isDisabled()).toBe(true)
    await closeToasts(page)
    await page.evaluate(() => window.scrollTo(0, 0))
    await page.evaluate(() => document.fonts.ready)
    await screenshot(page, 'settings-telegram-conflict-desktop')
  })
})
