import type { Page } from 'playwright-core'
import { describe, test } from 'vitest'
import { noSideScroll, openPage, screenshot, SimDevice, useE2E, WIDTHS } from './helpers'

/** Screenshots of every view for a person to look at (test-results/screenshots), and layout checks. */

const NARROWEST = { width: 360, height: 740 }

// Pages here are opened with openPage and finished by hand, several per test.
const e2e = useE2E()

async function settle(page: Page): Promise<void> {
  // System fonts only, but wait for layout to use them before taking a picture.
  await page.evaluate(() => document.fonts.ready)
}

describe('screenshots', () => {
  test('login and the empty state', async () => {
    for (const [size, viewport] of Object.entries(WIDTHS)) {
      const login = await openPage(e2e.browser, e2e.core, { signedIn: false, viewport })
      await login.page.goto('/login')
      await login.page.getByRole('heading', { name: 'Iniciar sesión' }).waitFor()
      await screenshot(login.page, `login-${size}`)
      await noSideScroll(login.page)
      await login.finish()

      const empty = await openPage(e2e.browser, e2e.core, { viewport })
      await empty.page.goto('/devices')
      await empty.page.getByRole('heading', { name: 'Todavía no hay ningún pastillero' }).waitFor()
      await empty.page.getByTestId('server-url').waitFor()
      await screenshot(empty.page, `devices-empty-${size}`)
      await noSideScroll(empty.page)
      await empty.finish()
    }
  })

  test('every view with data, at desktop and phone width, with no sideways scrolling at 360 px', async () => {
    const kitchen = new SimDevice(e2e.core, 'AA:BB:CC:00:00:01', {
      name: 'Pastillero Cocina',
      firmware_version: '1.2.0',
      ip_address: '192.168.1.50'
    })
    const bedroom = new SimDevice(e2e.core, 'AA:BB:CC:00:00:02', {
      name: 'Pastillero Dormitorio de la abuela',
      firmware_version: '1.1.3',
      ip_address: '192.168.1.51'
    })
    const lounge = new SimDevice(e2e.core, 'AA:BB:CC:00:00:03', {
      name: 'Pastillero Salón',
      firmware_version: '1.2.0',
      ip_address: '192.168.1.52'
    })
    await Promise.all([kitchen.heartbeat(), bedroom.heartbeat(), lounge.heartbeat()])
    const now = Date.now()
    const ago = (min: number) => new Date(now - min * 60_000).toISOString()
    await kitchen.event('alarm_triggered', { alarm_label: 'Medicamento mañana' }, ago(26 * 60))
    await kitchen.event('alarm_ack', { alarm_label: 'Medicamento mañana' }, ago(26 * 60 - 1))
    await kitchen.event('dose_taken', { alarm_label: 'Medicamento mañana' }, ago(26 * 60 - 2))
    await kitchen.event('ota_start', { version: '1.2.0' }, ago(24 * 60))
    await kitchen.event('ota_done', { version: '1.2.0' }, ago(24 * 60 - 3))
    await kitchen.event('reboot', undefined, ago(24 * 60 - 2))
    await kitchen.event('alarm_triggered', { alarm_label: 'Medicamento mañana' }, ago(120))
    await kitchen.event('dose_taken', { alarm_label: 'Medicamento mañana' }, ago(118))
    await kitchen.event('alarm_triggered', { alarm_label: 'Medicamento noche' }, ago(5))
    await bedroom.event('ota_fail', { version: '1.2.0', error: 'md5 mismatch' }, ago(300))
    await lounge.event('dose_taken', { alarm_label: 'Vitamina D' }, ago(45))

    for (const [size, viewport] of Object.entries(WIDTHS)) {
      const h = await openPage(e2e.browser, e2e.core, { viewport })
      const { page } = h
      await page.goto('/devices')
      await page.getByRole('article', { name: 'Pastillero Cocina' }).waitFor()
      await settle(page)
      await screenshot(page, `devices-${size}`)
      await noSideScroll(page)

      await page
        .getByRole('article', { name: 'Pastillero Salón' })
        .getByRole('button', { name: 'Reiniciar' })
        .click()
      await page.getByRole('dialog').waitFor()
      await screenshot(page, `reboot-dialog-${size}`, false)
      await page.keyboard.press('Escape')

      await page.goto('/device?id=AA:BB:CC:00:00:01')
      await page.getByRole('region', { name: 'Actividad' }).getByText('Medicamento noche').waitFor()
      await settle(page)
      await screenshot(page, `device-detail-${size}`)
      await noSideScroll(page)

      await page.goto('/history')
      await page.getByTestId('history-row').first().waitFor()
      await settle(page)
      await screenshot(page, `history-${size}`)
      await noSideScroll(page)

      await page.goto('/settings')
      await page.getByRole('region', { name: 'Conectar un pastillero' }).waitFor()
      await settle(page)
      await screenshot(page, `settings-${size}`)
      await noSideScroll(page)
      await h.finish()
    }

    const narrow = await openPage(e2e.browser, e2e.core, { viewport: NARROWEST })
    for (const path of ['/devices', '/device?id=AA:BB:CC:00:00:01', '/history', '/settings']) {
      await narrow.page.goto(path)
      await narrow.page.locator('main h1').waitFor()
      await settle(narrow.page)
      await noSideScroll(narrow.page)
    }
    await narrow.finish()
  })
})
