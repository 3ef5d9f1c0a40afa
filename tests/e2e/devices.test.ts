import { describe, expect, test } from 'vitest'
import { adminFetch, SimDevice, useE2E } from './helpers'

const e2e = useE2E()

describe('devices', () => {
  // Runs first: the core starts with no devices.
  test('the empty state teaches the setup, and a new dispenser appears live without a reload', async () => {
    const harness = await e2e.open()
    const { page } = harness
    await page.goto('/devices')
    await page.getByRole('heading', { name: 'Todavía no hay ningún pastillero' }).waitFor()

    const port = new URL(e2e.core.url).port
    expect(await page.getByTestId('server-url').textContent()).toMatch(new RegExp(`:${port}$`))
    // The key stays hidden until asked for.
    const request = page.getByTestId('heartbeat-request')
    expect(await request.textContent()).not.toContain(e2e.core.deviceKey)
    await page.getByRole('button', { name: 'Mostrar' }).click()
    expect(await page.getByTestId('api-key').textContent()).toBe(e2e.core.deviceKey)
    const text = (await request.textContent())!
    expect(text).toContain('POST /api/devices/heartbeat')
    expect(text).toContain(`X-API-Key: ${e2e.core.deviceKey}`)
    expect(text).toContain(`:${port}`)
    expect(text).toContain('"device_id": "AA:BB:CC:DD:EE:FF"')

    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42))
    const device = new SimDevice(e2e.core, 'AA:00:00:00:00:01', {
      name: 'Pastillero Cocina',
      firmware_version: '1.0.0',
      ip_address: '192.168.1.50'
    })
    await device.heartbeat()

    const card = page.getByRole('article', { name: 'Pastillero Cocina' })
    await card.waitFor()
    await card.getByText('En línea', { exact: true }).waitFor()
    await card.getByText('192.168.1.50').waitFor()
    await card.getByText('1.0.0').waitFor()
    expect(await page.evaluate(() => (window as unknown as { marker: number }).marker)).toBe(42)

    // "Último contacto: hace N s" advances on its own.
    const lastContact = card.locator('time')
    const before = await lastContact.textContent()
    expect(before).toMatch(/^(ahora|hace \d+ s)$/)
    await expect.poll(() => lastContact.textContent(), { timeout: 15_000 }).not.toBe(before)
  })

  test('reboot round trip: confirm, pending, delivered on the next heartbeat, back online', async () => {
    const device = new SimDevice(e2e.core, 'AA:00:00:00:00:02', { name: 'Pastillero Salón' })
    await device.heartbeat()
    const harness = await e2e.open()
    const { page } = harness
    await page.goto('/devices')
    const card = page.getByRole('article', { name: 'Pastillero Salón' })
    const rebootButton = card.getByRole('button', { name: 'Reiniciar' })
    await rebootButton.waitFor()

    // Keyboard: open the dialog, Escape cancels it and returns focus; nothing is queued.
    await rebootButton.focus()
    await page.keyboard.press('Enter')
    const dialog = page.getByRole('dialog', { name: '¿Reiniciar «Pastillero Salón»?' })
    await dialog.waitFor()
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'hidden' })
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.textContent?.trim()))
      .toBe('Reiniciar')
    const { data } = await adminFetch(e2e.core, 'GET', '/api/admin/devices/AA:00:00:00:00:02')
    expect((data.device as { last_command: unknown }).last_command).toBeNull()

    await rebootButton.click()
    await dialog.getByRole('button', { name: 'Reiniciar' }).click()
    await card.getByText('Reinicio pendiente').waitFor()
    expect(await rebootButton.isDisabled()).toBe(true)

    const answer = await device.heartbeat()
    expect(answer.command).toBe('reboot')
    await card.getByText('Reinicio entregado').waitFor()

    const next = await device.heartbeat()
    expect(next.command).toBeUndefined()
    await card.getByText('Reiniciado y de nuevo en línea').waitFor()
    await card.getByText('En línea', { exact: true }).waitFor()
    expect(await rebootButton.isDisabled()).toBe(false)
  })

  test('detail page: live timeline, rename errors shown from the API, rename, forget', async () => {
    const device = new SimDevice(e2e.core, 'AA:00:00:00:00:03', {
      name: 'Pastillero Dormitorio',
      firmware_version: '1.2.0'
    })
    await device.heartbeat()
    await device.event('dose_taken', { alarm_label: 'Medicamento mañana' })
    const harness = await e2e.open()
    harness.allowConsoleError(/status of 422/)
    const { page } = harness
    await page.goto('/devices')
    await page
      .getByRole('article', { name: 'Pastillero Dormitorio' })
      .getByRole('link', { name: 'Detalles: Pastillero Dormitorio' })
      .click()
    await page.getByRole('heading', { name: 'Pastillero Dormitorio', level: 1 }).waitFor()

    const timeline = page.getByRole('region', { name: 'Actividad' })
    await timeline.getByText('Dosis tomada').waitFor()
    await timeline.getByText('Medicamento mañana').waitFor()
    await device.event('alarm_triggered', { alarm_label: 'Medicamento noche' })
    await timeline.getByText('Alarma activada').waitFor()
    await timeline.getByText('Medicamento noche').waitFor()

    // 101 characters: the server refuses, and the person reads why, in Spanish.
    const nameField = page.getByLabel('Nombre', { exact: true })
    await nameField.fill('x'.repeat(101))
    await page.getByRole('button', { name: 'Guardar nombre' }).click()
    const toast = page.getByRole('alert').filter({ hasText: 'No se pudo cambiar el nombre' })
    await toast.waitFor()
    expect(await toast.textContent()).toContain(
      'Algún dato no es válido. Revisa el formulario. (campo: nombre)'
    )
    expect(await nameField.getAttribute('aria-invalid')).toBe('true')

    await nameField.fill('Cocina de la abuela')
    await page.getByRole('button', { name: 'Guardar nombre' }).click()
    await page.getByRole('heading', { name: 'Cocina de la abuela', level: 1 }).waitFor()

    await page.getByRole('button', { name: 'Olvidar dispositivo' }).click()
    const dialog = page.getByRole('dialog', { name: '¿Olvidar «Cocina de la abuela»?' })
    await dialog.getByRole('button', { name: 'Olvidar' }).click()
    await page.getByRole('heading', { name: 'Dispositivos', level: 1 }).waitFor()
    await page.getByRole('status').filter({ hasText: '«Cocina de la abuela» olvidado' }).waitFor()
    await expect(page.getByRole('article', { name: 'Cocina de la abuela' }).count()).resolves.toBe(
      0
    )
    const { status } = await adminFetch(e2e.core, 'GET', '/api/admin/devices/AA:00:00:00:00:03')
    expect(status).toBe(404)
  })

  test('a device forgotten elsewhere disappears from an open page', async () => {
    const device = new SimDevice(e2e.core, 'AA:00:00:00:00:04', { name: 'Pastillero Temporal' })
    await device.heartbeat()
    const harness = await e2e.open()
    const { page } = harness
    await page.goto('/device?id=AA:00:00:00:00:04')
    await page.getByRole('heading', { name: 'Pastillero Temporal', level: 1 }).waitFor()
    await adminFetch(e2e.core, 'DELETE', '/api/admin/devices/AA:00:00:00:00:04')
    await page.getByText('Este dispositivo se ha olvidado.').waitFor()
  })
})
