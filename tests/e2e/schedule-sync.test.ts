import { describe, expect, test } from 'vitest'
import { adminFetch, SimDevice, useE2E } from './helpers'

/** Schedules: labels the dispenser sent are offered; "pendiente" until its heartbeat applies it. */
const e2e = useE2E()

describe('schedule sync', () => {
  test('offers sent labels and says when the dispenser has the new schedule', async () => {
    const id = 'AA:BB:CC:00:04:01'
    const device = new SimDevice(e2e.core, id, { name: 'Pastillero Sync' })
    await device.heartbeat()
    await device.event('alarm_triggered', { alarm_label: 'Pastilla azul' })
    const saved = await adminFetch(e2e.core, 'PUT', `/api/admin/devices/${id}/schedule`, {
      alarms: [{ label: 'Pastilla azul', time: '09:00', days: ['mon', 'wed'] }]
    })
    const version = (saved.data.schedule as { version: number }).version

    const { page } = await e2e.open()
    await page.goto(`/schedules?device=${encodeURIComponent(id)}`)
    const status = page.getByTestId('schedule-applied')
    await status
      .getByText('Pendiente: el dispensador aún no ha recogido el horario nuevo')
      .waitFor()
    await expect(
      page
        .locator('#schedule-sent-labels option')
        .evaluateAll((o) => o.map((x) => (x as HTMLOptionElement).value))
    ).resolves.toEqual(['Pastilla azul'])

    // The dispenser fetched it and says so in its heartbeat: the page follows, live.
    await device.heartbeat({ schedule_version: version })
    await status.getByText('El dispensador tiene el horario nuevo').waitFor()
  })
})
