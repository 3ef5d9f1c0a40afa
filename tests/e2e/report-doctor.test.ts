import { describe, expect, test } from 'vitest'
import { adminFetch, screenshotFits, SimDevice, useE2E, WIDTHS } from './helpers'

/** The doctor's report: the patient's name, medicine and dose per alarm, a period that ends today. */
const ID = 'AA:BB:CC:00:44:01'
const e2e = useE2E({
  seed: async (core) => {
    await new SimDevice(core, ID, { name: 'Pastillero Cocina' }).heartbeat()
    const put = await adminFetch(core, 'PUT', `/api/admin/devices/${ID}/schedule`, {
      alarms: [
        {
          time: '08:00',
          label: 'Mañana',
          days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
          medicine: 'Sintrom',
          dose: '1 comprimido'
        }
      ]
    })
    expect(put.status).toBe(200)
  }
})

describe("doctor's report", () => {
  test('a month report ends today; patient name, medicine and dose are on it', async () => {
    const month = new Date().toISOString().slice(0, 7)
    const api = await adminFetch(
      e2e.core,
      'GET',
      `/api/admin/adherence/report?device_id=${encodeURIComponent(ID)}&month=${month}`
    )
    expect(api.status).toBe(200)
    const zone = api.data.time_zone as string
    const today = new Date().toLocaleDateString('en-CA', { timeZone: zone })
    // Clipped to today (on the 1st it covers the 1st, never up to the 31st).
    if (today.startsWith(month)) expect(api.data.to).toBe(today)
    expect(api.data.from).toBe(`${month}-01`)

    {
      // The schedule editor shows the medicine and dose set through the API, and a save from
      // the dashboard keeps the medicine while it changes the dose.
      const { page } = await e2e.open()
      await page.goto(`/schedules?device=${encodeURIComponent(ID)}`)
      const card = page.getByTestId('alarm-card').first()
      await card.waitFor()
      expect(await card.getByLabel('Medicamento').inputValue()).toBe('Sintrom')
      expect(await card.getByLabel('Dosis').inputValue()).toBe('1 comprimido')
      await card.getByLabel('Dosis').fill('2 comprimidos')
      await page.getByRole('button', { name: 'Guardar horario' }).click()
      await page.getByRole('status').filter({ hasText: 'versión 2' }).first().waitFor()
      await e2e.finish()
    }

    for (const [size, viewport] of Object.entries(WIDTHS)) {
      const { page } = await e2e.open({ viewport })
      await page.goto(`/report?device_id=${encodeURIComponent(ID)}&month=${month}`)
      await page.getByTestId('report-name').waitFor()
      const medicine = page.getByTestId('report-medicine').first()
      expect((await medicine.textContent())!.trim()).toBe('Sintrom')
      // The version now in force: the medicine kept, the dose as edited.
      expect(
        await page.locator('table').filter({ hasText: '2 comprimidos' }).textContent()
      ).toContain('Sintrom')
      {
        // Typed once, printed, and remembered for this dispenser (in this browser profile).
        await page.getByTestId('patient-input').fill('María López')
        await page.getByTestId('patient-input').press('Tab')
        expect(await page.getByTestId('report-name').textContent()).toContain('María López')
        await page.reload()
        await page.getByTestId('report-name').getByText('María López').waitFor()
      }
      await screenshotFits(page, `report-doctor-${size}`)
      await e2e.finish()
    }
  })
})
