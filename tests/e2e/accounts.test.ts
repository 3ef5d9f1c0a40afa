import { describe, expect, test } from 'vitest'
import { adminFetch, SimDevice, useE2E } from './helpers'

const e2e = useE2E()

describe('family accounts in the dashboard', () => {
  test('an admin adds two family members; each acknowledges an alert under their own name', async () => {
    const kitchen = new SimDevice(e2e.core, 'AA:BB:CC:00:30:01', { name: 'Pastillero Cocina' })
    const bedroom = new SimDevice(e2e.core, 'AA:BB:CC:00:30:02', { name: 'Pastillero Dormitorio' })
    await Promise.all([kitchen.heartbeat(), bedroom.heartbeat()])

    // The admin (the desktop window's account) adds Marta and Luis from the settings.
    const admin = await e2e.open()
    admin.page.setDefaultTimeout(10_000)
    await admin.page.goto('/settings')
    const panel = admin.page.getByTestId('accounts-panel')
    await panel.getByText('Cuentas de la familia').waitFor()
    await panel.getByTestId('account-admin').getByText('(tú)').waitFor()
    for (const [name, password] of [
      ['Marta', 'marta-password-1'],
      ['Luis', 'luis-password-1']
    ] as const) {
      await panel.getByLabel('Nombre').fill(name)
      await panel.getByLabel('Contraseña', { exact: true }).fill(password)
      await panel.getByRole('button', { name: 'Añadir cuenta' }).click()
      await panel.getByTestId(`account-${name}`).getByText('Familia').waitFor()
    }
    await e2e.finish()

    await kitchen.event('ota_fail', { version: '1.2.0', error: 'md5 mismatch' })
    await bedroom.event('ota_fail', { version: '1.2.0', error: 'no space' })

    const signInAndAck = async (name: string, password: string, device: string) => {
      const h = await e2e.open({ signedIn: false })
      const { page } = h
      page.setDefaultTimeout(10_000)
      await page.goto('/alerts')
      await page.waitForURL(/\/login/)
      await page.getByLabel('Nombre').fill(name)
      await page.getByLabel('Contraseña').fill(password)
      await page.getByRole('button', { name: 'Entrar' }).click()
      await page.waitForURL(/\/alerts/)
      await page.getByTestId('signed-in-as').getByText(`Sesión de ${name}`).waitFor()
      // A family account is not offered what only an admin may do.
      expect(await page.getByRole('navigation').getByText('Firmware').count()).toBe(0)
      const alert = page.getByRole('article').filter({ hasText: device })
      await alert.getByRole('button', { name: 'Visto' }).click()
      await alert.getByTestId('alert-seen').getByText(`Visto por ${name}`).waitFor()
      await page.goto('/settings')
      await page.getByText('Tu contraseña').waitFor()
      expect(await page.getByTestId('accounts-panel').count()).toBe(0)
      await e2e.finish()
    }
    await signInAndAck('Marta', 'marta-password-1', 'Pastillero Cocina')
    await signInAndAck('Luis', 'luis-password-1', 'Pastillero Dormitorio')

    const alerts = await adminFetch(e2e.core, 'GET', '/api/admin/alerts')
    const by = Object.fromEntries(
      (alerts.data.alerts as Array<{ device_id: string; acknowledged_by: string }>).map((a) => [
        a.device_id,
        a.acknowledged_by
      ])
    )
    expect(by).toEqual({ 'AA:BB:CC:00:30:01': 'Marta', 'AA:BB:CC:00:30:02': 'Luis' })
  })

  test('removing an account signs its open dashboard out', async () => {
    const made = await adminFetch(e2e.core, 'POST', '/api/admin/accounts', {
      name: 'Visita',
      password: 'visita-password',
      role: 'family'
    })
    expect(made.status).toBe(201)
    const h = await e2e.open({ signedIn: false })
    const { page } = h
    page.setDefaultTimeout(15_000)
    // Its live stream ends and the next attempt is refused: the browser logs those 401s.
    h.allowConsoleError(/401/)
    await page.goto('/login')
    await page.getByLabel('Nombre').fill('Visita')
    await page.getByLabel('Contraseña').fill('visita-password')
    await page.getByRole('button', { name: 'Entrar' }).click()
    // Home is "Hoy".
    await page.waitForURL(/\/today/)
    await page.getByText('En vivo').first().waitFor()
    const id = (made.data.account as { id: number }).id
    expect((await adminFetch(e2e.core, 'DELETE', `/api/admin/accounts/${id}`)).status).toBe(200)
    await page.waitForURL(/\/login/)
  })
})
