import type { Page } from 'playwright-core'
import { describe, expect, test } from 'vitest'
import { type TestCore } from '../helpers/test-core'
import { adminFetch, DESKTOP, noSideScroll, PHONE, screenshot, SimDevice, useE2E } from './helpers'

/** The schedule editor against a real core: what is saved is what the API and the device see. */

const GRANNY = 'AA:00:00:00:07:01'
const LOUNGE = 'AA:00:00:00:07:02'
let granny: SimDevice

const e2e = useE2E({ seed })

async function seed(core: TestCore): Promise<void> {
  const zone = await adminFetch(core, 'PATCH', '/api/admin/settings', {
    time_zone: 'Europe/Madrid'
  })
  expect(zone.status).toBe(200)
  granny = new SimDevice(core, GRANNY, { name: 'Pastillero de la abuela' })
  await granny.heartbeat()
  await new SimDevice(core, LOUNGE, { name: 'Pastillero Salón' }).heartbeat()
}

function scheduleWrites(page: Page): string[] {
  const seen: string[] = []
  page.on('request', (req) => {
    if (req.method() === 'PUT' && new URL(req.url()).pathname.endsWith('/schedule'))
      seen.push(req.postData() ?? '')
  })
  return seen
}

const card = (page: Page, n: number) => page.getByTestId('alarm-card').nth(n)

describe('schedules', () => {
  test('an alarm edited in the form is saved as a version the API and the device see', async () => {
    const harness = await e2e.open()
    const { page } = harness
    const writes = scheduleWrites(page)
    await page.goto(`/schedules?device=${encodeURIComponent(GRANNY)}`)
    await page.getByRole('heading', { name: 'Horarios' }).waitFor()
    await page.getByText('Sin horario todavía').waitFor()
    const zone = await page.getByTestId('schedule-zone').textContent()
    expect(zone).toContain('Zona horaria de la familia: Europe/Madrid (UTC+0')
    expect(zone).toContain('Las horas son locales de esa zona')
    expect(await page.getByLabel('Pastillero', { exact: true }).inputValue()).toBe(GRANNY)

    // First alarm: weekdays at 08:30 in compartment 2, one pill, 30 minutes to count on time.
    await page.getByRole('button', { name: 'Añadir alarma' }).click()
    const first = card(page, 0)
    await first.getByLabel('Nombre de la toma').fill('Medicamento mañana')
    await first.getByLabel('Hora').fill('08:30')
    await first.getByRole('button', { name: 'Laborables' }).click()
    await first.getByLabel('Compartimento').fill('2')
    await first.getByLabel('Pastillas').fill('1')
    await first.getByLabel('Margen para «a tiempo» (minutos)').fill('30')
    // Second alarm: every day at 21:00, then Sunday off by its chip.
    await page.getByRole('button', { name: 'Añadir alarma' }).click()
    const second = card(page, 1)
    await second.getByLabel('Nombre de la toma').fill('Medicamento noche')
    await second.getByLabel('Hora').fill('21:00')
    await second.getByLabel('Domingo').uncheck()
    expect(await second.getByLabel('Domingo').isChecked()).toBe(false)

    // A third alarm left without a name is caught in the form, next to the field.
    await page.getByRole('button', { name: 'Añadir alarma' }).click()
    const third = card(page, 2)
    await third.getByLabel('Hora').fill('13:00')
    await third.getByRole('button', { name: 'Laborables' }).click()
    await third.getByLabel('Lunes').uncheck()
    await third.getByLabel('Martes').uncheck()
    await third.getByLabel('Miércoles').uncheck()
    await third.getByLabel('Jueves').uncheck()
    await third.getByLabel('Viernes').uncheck()
    await third.getByLabel('Pastillas').fill('25')
    await page.getByRole('button', { name: 'Guardar horario' }).click()
    await third.getByText('Escribe un nombre para la toma.').waitFor()
    await third.getByText('Elige al menos un día.').waitFor()
    await third.getByText('Más de 0 y como mucho 20, o vacío.').waitFor()
    expect(await third.getByLabel('Nombre de la toma').getAttribute('aria-invalid')).toBe('true')
    await page.getByText('Revisa los campos marcados.').waitFor()
    // The first invalid field has the focus.
    expect(
      await third.getByLabel('Nombre de la toma').evaluate((el) => el === document.activeElement)
    ).toBe(true)
    expect(writes).toEqual([])
    await page.evaluate(() => window.scrollTo(0, 0))
    await screenshot(page, 'schedules-invalid-desktop')
    await third.getByRole('button', { name: 'Quitar la alarma 3' }).click()
    await expect.poll(() => page.getByTestId('alarm-card').count()).toBe(2)

    await page.getByRole('button', { name: 'Guardar horario' }).click()
    const saved = page.getByRole('status').filter({ hasText: /Horario guardado \(versión \d+\)/ })
    await saved.waitFor()
    const version = Number(/versión (\d+)/.exec((await saved.textContent()) ?? '')![1])
    expect(writes).toHaveLength(1)
    expect(JSON.parse(writes[0]!)).toMatchObject({ expected_version: null })

    // What the API holds now.
    const { data } = await adminFetch(
      e2e.core,
      'GET',
      `/api/admin/devices/${encodeURIComponent(GRANNY)}/schedule`
    )
    const schedule = data.schedule as {
      version: number
      alarms: Array<Record<string, unknown>>
    }
    expect(schedule.version).toBe(version)
    const byLabel = Object.fromEntries(schedule.alarms.map((a) => [a.label, a]))
    expect(byLabel['Medicamento mañana']).toMatchObject({
      time: '08:30',
      days: ['mon', 'tue', 'wed', 'thu', 'fri'],
      compartment: 2,
      pill_count: 1,
      window_min: 30
    })
    expect(byLabel['Medicamento noche']).toMatchObject({
      time: '21:00',
      days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'],
      compartment: null,
      pill_count: null,
      window_min: 60
    })
    // And what the dispenser learns on its next heartbeat.
    expect((await granny.heartbeat()).schedule_version).toBe(version)

    const history = page.getByRole('region', { name: 'Historial de versiones' })
    await history.getByText(`Versión ${version}`).waitFor()
    await history.getByText('en vigor').waitFor()
    await page.getByText(`Versión ${version}, en vigor desde`).waitFor()

    // A second edit keeps the alarms' identity and makes a newer version.
    await card(page, 0).getByLabel('Hora').fill('08:45')
    await page.getByText('Hay cambios sin guardar.').waitFor()
    await page.getByRole('button', { name: 'Guardar horario' }).click()
    await page
      .getByRole('status')
      .filter({ hasText: /Horario guardado \(versión \d+\)/ })
      .last()
      .waitFor()
    await expect.poll(() => page.getByTestId('schedule-version-item').count()).toBe(2)
    expect(JSON.parse(writes[1]!)).toMatchObject({ expected_version: version })
    const after = await adminFetch(
      e2e.core,
      'GET',
      `/api/admin/devices/${encodeURIComponent(GRANNY)}/schedule`
    )
    const next = after.data.schedule as { version: number; alarms: Array<Record<string, unknown>> }
    expect(next.version).toBeGreaterThan(version)
    expect(next.alarms.map((a) => a.id).sort()).toEqual(schedule.alarms.map((a) => a.id).sort())
    expect(next.alarms.find((a) => a.label === 'Medicamento mañana')?.time).toBe('08:45')
    expect((await granny.heartbeat()).schedule_version).toBe(next.version)

    await page.evaluate(() => window.scrollTo(0, 0))
    await page.evaluate(() => document.fonts.ready)
    await screenshot(page, 'schedules-desktop')
    await noSideScroll(page)
  })

  test('a save that lost a race to another edit says so, reloads, and can bring the edits back', async () => {
    const path = `/api/admin/devices/${encodeURIComponent(LOUNGE)}/schedule`
    const base = await adminFetch(e2e.core, 'PUT', path, {
      alarms: [{ label: 'Vitamina D', time: '10:00', days: ['mon', 'wed', 'fri'] }]
    })
    expect(base.status).toBe(200)
    const harness = await e2e.open()
    harness.allowConsoleError(/status of 409/)
    const { page } = harness
    await page.goto(`/schedules?device=${encodeURIComponent(LOUNGE)}`)
    await card(page, 0).getByLabel('Nombre de la toma').fill('Vitamina D3')

    // Meanwhile, someone else saves from another window.
    const current = base.data.schedule as { version: number; alarms: Array<{ id: number }> }
    const other = await adminFetch(e2e.core, 'PUT', path, {
      expected_version: current.version,
      alarms: [
        { id: current.alarms[0]!.id, label: 'Vitamina D', time: '11:00', days: ['mon'] },
        { label: 'Calcio', time: '14:00', days: ['tue'] }
      ]
    })
    expect(other.status).toBe(200)
    const otherVersion = (other.data.schedule as { version: number }).version

    await page.getByRole('button', { name: 'Guardar horario' }).click()
    const conflict = page.locator('#schedule-conflict')
    await conflict.getByText('Alguien cambió este horario mientras lo editabas').waitFor()
    await conflict.getByText(`Se ha cargado la versión actual (${otherVersion})`).waitFor()
    // The form now shows the other edit.
    await expect.poll(() => page.getByTestId('alarm-card').count()).toBe(2)
    expect(await card(page, 1).getByLabel('Nombre de la toma').inputValue()).toBe('Calcio')
    // Said once, in the banner (which has the keyboard), not again in a toast.
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.id))
      .toBe('schedule-conflict')
    expect(await page.locator('.toast').filter({ hasText: 'cambió este horario' }).count()).toBe(0)
    await screenshot(page, 'schedules-conflict-desktop', false)

    // Bring the lost edit back and save it on top of the newer version.
    await conflict.getByRole('button', { name: 'Recuperar mis cambios' }).click()
    expect(await card(page, 0).getByLabel('Nombre de la toma').inputValue()).toBe('Vitamina D3')
    await page.getByRole('button', { name: 'Guardar horario' }).click()
    await page.getByRole('status').filter({ hasText: 'Horario guardado' }).waitFor()
    const final = await adminFetch(e2e.core, 'GET', path)
    const schedule = final.data.schedule as { version: number; alarms: Array<{ label: string }> }
    expect(schedule.version).toBeGreaterThan(otherVersion)
    expect(schedule.alarms.map((a) => a.label)).toEqual(['Vitamina D3'])

    // Leaving with unsaved changes asks first.
    await card(page, 0).getByLabel('Nombre de la toma').fill('Algo sin guardar')
    await page.getByRole('link', { name: 'Historial' }).click()
    const dialog = page.getByRole('dialog', { name: '¿Salir sin guardar?' })
    await dialog.waitFor()
    await dialog.getByRole('button', { name: 'Cancelar' }).click()
    expect(new URL(page.url()).pathname).toBe('/schedules')
    await page.getByRole('button', { name: 'Descartar cambios' }).click()
    await page.getByRole('link', { name: 'Historial' }).click()
    await page.waitForURL(/\/history/)
  })

  test('phone layout: one column, no sideways scrolling', async () => {
    const harness = await e2e.open({ viewport: PHONE })
    const { page } = harness
    await page.goto(`/schedules?device=${encodeURIComponent(GRANNY)}`)
    await card(page, 1).waitFor()
    await page.evaluate(() => document.fonts.ready)
    await screenshot(page, 'schedules-phone')
    await noSideScroll(page)
    await page.setViewportSize({ width: 360, height: 740 })
    await noSideScroll(page)
    await page.setViewportSize(DESKTOP)
  })
})
