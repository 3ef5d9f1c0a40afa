import { describe, expect, test } from 'vitest'
import { PNG_BYTES } from '../helpers/esp32-image'
import { screenshot, SimDevice, useE2E, WIDTHS } from './helpers'

/** The small things of issue 15: no export of nothing, an import checked before the question. */
const e2e = useE2E({
  seed: async (core) => {
    await new SimDevice(core, 'AA:BB:CC:00:66:01', { name: 'Pastillero Cocina' }).event(
      'dose_taken',
      { alarm_label: 'Mañana' }
    )
  }
})

describe('small things', () => {
  test('export is disabled while a filter finds nothing', async () => {
    const { page } = await e2e.open()
    await page.goto('/history')
    await page.getByTestId('history-row').first().waitFor()
    const exportButton = page.getByRole('button', { name: 'Exportar CSV' })
    expect(await exportButton.isDisabled()).toBe(false)
    await page.getByLabel('Tipo de evento').selectOption('ota_fail')
    await expect.poll(() => page.getByTestId('history-row').count()).toBe(0)
    await expect.poll(() => exportButton.isDisabled()).toBe(true)
  })

  test('an import that is not a Pastillero export is refused before any confirmation', async () => {
    for (const [size, viewport] of Object.entries(WIDTHS)) {
      const { page } = await e2e.open({ viewport })
      await page.goto('/settings')
      const input = page.locator('input[type=file][accept*="tar.gz"]')
      await input.waitFor({ state: 'attached' })
      await input.setInputFiles({
        name: 'foto.tar.gz',
        mimeType: 'application/gzip',
        buffer: PNG_BYTES
      })
      const refused = page.getByTestId('import-refused')
      await refused.waitFor()
      expect(await refused.textContent()).toContain(
        'foto.tar.gz: Este archivo no es una exportación de Pastillero (.tar.gz).'
      )
      // No "replace everything?" dialog was opened for it.
      expect(await page.getByRole('dialog').count()).toBe(0)
      await refused.scrollIntoViewIfNeeded()
      await screenshot(page, `import-refused-${size}`, false)
      await e2e.finish()
    }
  })

  test('a real export passes the check and gets the confirmation (cancelled here)', async () => {
    const cookie = await e2e.core.login()
    const res = await fetch(`${e2e.core.url}/api/admin/export`, { headers: { cookie } })
    expect(res.status).toBe(200)
    const archive = Buffer.from(await res.arrayBuffer())
    const { page } = await e2e.open()
    await page.goto('/settings')
    const input = page.locator('input[type=file][accept*="tar.gz"]')
    await input.waitFor({ state: 'attached' })
    await input.setInputFiles({
      name: 'pastillero.tar.gz',
      mimeType: 'application/gzip',
      buffer: archive
    })
    const dialog = page.getByRole('dialog')
    await dialog.waitFor()
    expect(await page.getByTestId('import-refused').count()).toBe(0)
    await dialog.getByRole('button', { name: 'Cancelar' }).click()
    await dialog.waitFor({ state: 'hidden' })
  })
})
