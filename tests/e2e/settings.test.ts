import { describe, expect, test } from 'vitest'
import { startTestCore, type TestCore } from '../helpers/test-core'
import { signIn, useE2E } from './helpers'

const cores: TestCore[] = []

// Each test starts its own core (a fresh password, Telegram state, or key).
const e2e = useE2E({
  startCore: false,
  teardown: async () => {
    for (const core of cores) await core.dispose()
  }
})

describe('settings', () => {
  test('shows what a dispenser needs: key hidden until asked, copyable, with port', async () => {
    const core = await startTestCore({ presenceSweepMs: 500 })
    cores.push(core)
    const harness = await e2e.open({ core, clipboard: true })
    harness.allowConsoleError(/status of 409/)
    const { page } = harness
    await page.goto('/settings')
    const connect = page.getByRole('region', { name: 'Conectar un pastillero' })
    await connect.waitFor()
    expect(await connect.getByTestId('server-port').textContent()).toBe(new URL(core.url).port)

    const key = connect.getByTestId('api-key')
    expect(await key.textContent()).not.toContain(core.deviceKey)
    const show = connect.getByRole('button', { name: 'Mostrar' })
    expect(await show.getAttribute('aria-pressed')).toBe('false')
    await show.click()
    expect(await key.textContent()).toBe(core.deviceKey)
    await connect.getByRole('button', { name: 'Ocultar' }).click()
    expect(await key.textContent()).not.toContain(core.deviceKey)

    // Copy works while hidden: the key itself goes to the clipboard.
    await connect.getByRole('button', { name: 'Copiar' }).last().click()
    await connect.getByRole('button', { name: 'Copiado' }).waitFor()
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(core.deviceKey)

    // The test core takes its password from ADMIN_PASSWORD: an explanation, not a form that
    // could only fail.
    const password = page.getByRole('region', { name: 'Tu contraseña' })
    await password.getByTestId('password-fixed').waitFor()
    expect(await password.getByTestId('password-fixed').textContent()).toContain('ADMIN_PASSWORD')
    expect(await password.getByLabel('Contraseña actual', { exact: true }).count()).toBe(0)
    expect(await password.getByRole('button', { name: 'Cambiar contraseña' }).count()).toBe(0)
  })

  test('password change: a wrong current password is refused, then the change works', async () => {
    // No ADMIN_PASSWORD: the core generates one and keeps only its hash, so it can be changed.
    const core = await startTestCore({ presenceSweepMs: 500, env: { ADMIN_PASSWORD: undefined } })
    cores.push(core)
    const first = core.info.generatedAdminPassword!
    expect(first).toBeTruthy()
    const harness = await e2e.open({ core, password: first })
    harness.allowConsoleError(/status of 403/)
    const { page } = harness
    await page.goto('/settings')
    const form = page.getByRole('region', { name: 'Tu contraseña' })
    await form.waitFor()

    await form.getByLabel('Contraseña actual', { exact: true }).fill('not it')
    await form.getByLabel('Contraseña nueva', { exact: true }).fill('short')
    await form.getByLabel('Repite la contraseña nueva').fill('short')
    await form.getByRole('button', { name: 'Cambiar contraseña' }).click()
    await form.getByText('La contraseña nueva debe tener al menos 8 caracteres.').waitFor()

    await form.getByLabel('Contraseña nueva', { exact: true }).fill('a new password')
    await form.getByLabel('Repite la contraseña nueva').fill('a new password')
    await form.getByRole('button', { name: 'Cambiar contraseña' }).click()
    await form.getByText('La contraseña actual no es correcta.').waitFor()
    expect(
      await form.getByLabel('Contraseña actual', { exact: true }).getAttribute('aria-invalid')
    ).toBe('true')
    // Said once, inline: no toast repeating it.
    await form
      .getByRole('alert')
      .filter({ hasText: 'No se pudo cambiar la contraseña: La contraseña actual no es correcta.' })
      .waitFor()
    expect(await page.locator('.toast--error').count()).toBe(0)

    await form.getByLabel('Contraseña actual', { exact: true }).fill(first)
    await form.getByRole('button', { name: 'Cambiar contraseña' }).click()
    await page.getByRole('status').filter({ hasText: 'Contraseña cambiada' }).waitFor()
    await expect(signIn(core, 'a new password')).resolves.toBeTruthy()
    await expect(signIn(core, first)).rejects.toThrow(/401/)
  })
})
