import { describe, expect, test } from 'vitest'
import { adminFetch, screenshotFits, SimDevice, useE2E, WIDTHS } from './helpers'

/** Schedules: labels the dispenser has sent to pick from; whether it has the schedule shown. */
const ID = 'AA:BB:CC:00:55:01'
const e2e = useE2E({
  seed: async (core) => {
    const d = new SimDevice(core, ID, { name: 'Pastillero Cocina' })
    await d.heartbeat()
    await d.event('alarm_triggered', { alarm_label: 'Pastilla azul' })
    await d.event('dose_taken', { alarm_label: 'Vitamina D' })
  }
})

describe('schedule sync', () => {
  test('label picker from the device; "pendiente" until its heartbeat reports the version, then applied', async () => {
    const put = await adminFetch(e2e.core, 'PUT', `/api/admin/devices/${ID}/schedule`, {
      alarms: [{ time: '08:00', label: 'Pastilla azul', days: ['mon', 'tue'] }]
    })
    expect(put.status).toBe(200)
    const version = (put.data.schedule as { version: number }).version
    const device = new SimDevice(e2e.core, ID, { name: 'Pastillero Cocina' })

    const { page } = await e2e.open()
    await page.goto(`/schedules?device=${encodeURIComponent(ID)}`)
    const labels = page.getByTestId('device-labels')
    await labels.waitFor()
    expect(await labels.textContent()).toContain('Pastilla azul')
    expect(await labels.textContent()).toContain('Vitamina D')
    const listId = await page.locator('input[list]').first().getAttribute('list')
    const options = await page
      .locator(`datalist[id="${listId}"] option`)
      .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value).sort())
    expect(options).toEqual(['Pastilla azul', 'Vitamina D'])

    const state = page.getByTestId('schedule-applied')
    await state.getByText('Pendiente: el dispensador aún no ha recogido el horario nuevo').waitFor()
    // The dispenser fetched and applied it: its next heartbeat says so, and the page follows live.
    await device.heartbeat({ schedule_version: version })
    await expect
      .poll(() => state.textContent(), { timeout: 15_000 })
      .toContain('El dispensador tiene el horario nuevo')
    await e2e.finish()

    for (const [size, viewport] of Object.entries(WIDTHS)) {
      const h = await e2e.open({ viewport })
      await h.page.goto(`/schedules?device=${encodeURIComponent(ID)}`)
      await h.page.getByTestId('schedule-applied').waitFor()
      await screenshotFits(h.page, `schedules-applied-${size}`)
      await e2e.finish()
    }
  })
})
