import { describe, expect, test } from 'vitest'
import { startTestCore } from '../helpers/test-core'
import { adminFetch, screenshot, useE2E } from './helpers'

/**
 * Issue 13 in the dashboard: "accept new dispensers" with its time left, the waiting list with
 * adopt, a device's token revoked and re-issued on its page, and the short seed-era key warning.
 * The core runs with the original design's example key, `tu-clave`.
 */
const e2e = useE2E({
  startCore: () => startTestCore({ presenceSweepMs: 500, env: { API_SECRET_KEY: 'tu-clave' } })
})

const beat = (id: string, headers: Record<string, string>, extra: Record<string, unknown> = {}) =>
  fetch(`${e2e.core.url}/api/devices/heartbeat`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ device_id: id, status: 'online', ...extra })
  })

describe('device trust in the dashboard', () => {
  test('close adoption, see a new dispenser wait live, adopt it; the short key is flagged', async () => {
    const harness = await e2e.open()
    const { page } = harness
    await page.goto('/devices')
    const panel = page.getByTestId('adoption-panel')
    // A new installation accepts new dispensers for its first hour.
    await expect
      .poll(() => panel.getByTestId('adoption-state').textContent())
      .toMatch(/^Abierto: los pastilleros nuevos se aceptan solos durante (59|60) min más\.$/)
    const warning = page.getByTestId('short-key-warning')
    await warning.getByText('La clave de los pastilleros es corta').waitFor()
    expect(await warning.getByRole('link', { name: 'Ir a Ajustes' }).getAttribute('href')).toBe(
      '/settings'
    )

    await panel.getByRole('switch', { name: 'Aceptar pastilleros nuevos' }).click()
    await panel
      .getByText('Cerrado: un pastillero nuevo espera aquí hasta que lo adoptes.')
      .waitFor()
    expect(await panel.getByRole('switch').isChecked()).toBe(false)

    // A new dispenser calls with the shared key: refused, and it shows up without a reload.
    harness.allowConsoleError(/403/)
    const refused = await beat(
      'AA:00:00:00:13:01',
      { 'x-api-key': 'tu-clave' },
      {
        name: 'Pastillero Baño'
      }
    )
    expect(refused.status).toBe(403)
    const item = page.locator('[data-device-id="AA:00:00:00:13:01"]')
    await item.getByText('Pastillero Baño').waitFor()
    await screenshot(page, 'device-trust-pending')
    await item.getByRole('button', { name: 'Adoptar' }).click()
    await page.getByText('Pastillero Baño adoptado: se aceptará en su próximo latido').waitFor()
    await item.waitFor({ state: 'detached' })
    const accepted = await beat(
      'AA:00:00:00:13:01',
      { 'x-api-key': 'tu-clave' },
      { name: 'Pastillero Baño' }
    )
    expect(accepted.status).toBe(200)
    await page.getByRole('article', { name: 'Pastillero Baño' }).waitFor()
  })

  test('revoke and re-issue a token on the device page', async () => {
    const id = 'AA:00:00:00:13:02'
    await adminFetch(e2e.core, 'PATCH', '/api/admin/adoption', { open: true })
    const answer = (await (
      await beat(
        id,
        { 'x-api-key': 'tu-clave' },
        { name: 'Pastillero Token', supports_device_token: true }
      )
    ).json()) as { device_token: string }
    const own = { authorization: `DeviceToken ${answer.device_token}` }
    expect((await beat(id, own)).status).toBe(200)

    const harness = await e2e.open()
    const { page } = harness
    await page.goto(`/device?id=${id}`)
    const zone = page.getByTestId('device-token')
    const state = zone.getByTestId('token-state')
    await expect.poll(() => state.getAttribute('data-state')).toBe('active')
    expect(await state.textContent()).toContain('Usa su propio token')

    await zone.getByRole('button', { name: 'Revocar token' }).click()
    const dialog = page.getByRole('dialog', { name: '¿Revocar el token de Pastillero Token?' })
    await dialog.getByRole('button', { name: 'Revocar token' }).click()
    await expect.poll(() => state.getAttribute('data-state')).toBe('revoked')
    expect((await beat(id, own)).status).toBe(401)
    expect((await beat(id, { 'x-api-key': 'tu-clave' })).status).toBe(401)

    await zone.getByRole('button', { name: 'Emitir de nuevo' }).click()
    await page
      .getByRole('dialog', { name: '¿Emitir un token nuevo para Pastillero Token?' })
      .getByRole('button', { name: 'Emitir de nuevo' })
      .click()
    await expect.poll(() => state.getAttribute('data-state')).toBe('none')
    // The dispenser falls back to the key, gets a new token, and the page follows it live.
    const again = (await (
      await beat(id, { 'x-api-key': 'tu-clave' }, { supports_device_token: true })
    ).json()) as { device_token: string }
    expect((await beat(id, { authorization: `DeviceToken ${again.device_token}` })).status).toBe(
      200
    )
    await expect.poll(() => state.getAttribute('data-state')).toBe('active')
    await screenshot(page, 'device-trust-token')
  })

  test('in English, and the short key can be rotated from Settings', async () => {
    const harness = await e2e.open()
    const { page } = harness
    await page.addInitScript(() => localStorage.setItem('pastillero.locale', 'en'))
    await page.goto('/devices')
    const panel = page.getByTestId('adoption-panel')
    await panel.getByRole('switch', { name: 'Accept new dispensers' }).waitFor()
    await page.getByText('The dispenser key is short').waitFor()

    await page.goto('/settings')
    await page.getByTestId('short-key-warning').waitFor()
    const rotate = page.getByRole('button', { name: 'Change the key' })
    await rotate.waitFor()
    expect(await rotate.isDisabled()).toBe(false)
    await rotate.click()
    await page.getByRole('dialog').getByRole('button').last().click()
    const newKey = await page.getByTestId('new-device-key').textContent()
    expect(newKey!.length).toBeGreaterThanOrEqual(16)
    await page.getByTestId('short-key-warning').waitFor({ state: 'detached' })
    // Both keys work during the grace period.
    expect((await beat('AA:00:00:00:13:01', { 'x-api-key': 'tu-clave' })).status).toBe(200)
    expect((await beat('AA:00:00:00:13:01', { 'x-api-key': newKey! })).status).toBe(200)
  })
})
