import { describe, expect, test } from 'vitest'
import { adminFetch, screenshot, SimDevice, useE2E } from './helpers'

const e2e = useE2E()

describe('presence', () => {
  test('the offline threshold is set from Settings; a silent device goes offline live, and comes back', async () => {
    const harness = await e2e.open()
    harness.allowConsoleError(/status of 422/)
    const { page } = harness
    await page.goto('/settings')
    const field = page.getByLabel('Marcar sin conexión tras (segundos sin latido)')
    await field.waitFor()

    // Below the minimum: the server refuses and its validation message is shown.
    await field.fill('10')
    await page.getByRole('button', { name: 'Guardar', exact: true }).click()
    const toast = page.getByRole('alert').filter({ hasText: 'No se pudieron guardar los ajustes' })
    await toast.waitFor()
    // The field is named in Spanish, not by its API name.
    expect(await toast.textContent()).toContain('aviso de sin conexión')
    expect(await field.getAttribute('aria-invalid')).toBe('true')

    // 30 s is the smallest threshold the core accepts, so this test waits about that long.
    await field.fill('30')
    await page.getByRole('button', { name: 'Guardar', exact: true }).click()
    await page.getByRole('status').filter({ hasText: 'Ajustes guardados' }).waitFor()
    const { data } = await adminFetch(e2e.core, 'GET', '/api/admin/settings')
    expect((data.settings as { offline_after_s: number }).offline_after_s).toBe(30)

    const device = new SimDevice(e2e.core, 'AA:00:00:00:00:10', { name: 'Pastillero Abuela' })
    await device.heartbeat()
    await page.getByRole('navigation').getByRole('link', { name: 'Dispositivos' }).click()
    const card = page.getByRole('article', { name: 'Pastillero Abuela' })
    await card.getByText('En línea', { exact: true }).waitFor()
    await expect.poll(() => page.getByTestId('summary').textContent()).toBe('1 de 1 en línea')

    // No more heartbeats: the core's presence sweep announces it offline over the stream.
    await card.getByText('Sin conexión', { exact: true }).waitFor({ timeout: 45_000 })
    const silentFor = Number(
      /^hace (\d+) s$/.exec((await card.locator('time').textContent())!)?.[1]
    )
    expect(silentFor).toBeGreaterThanOrEqual(28)
    await expect.poll(() => page.getByTestId('summary').textContent()).toBe('0 de 1 en línea')
    await screenshot(page, 'devices-offline-desktop')

    await device.heartbeat()
    await card.getByText('En línea', { exact: true }).waitFor()
  }, 90_000)
})
