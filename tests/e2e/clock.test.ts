import { describe, expect, test } from 'vitest'
import { startTestCore } from '../helpers/test-core'
import { adminFetch, screenshot, SimDevice, useE2E, WIDTHS } from './helpers'

/**
 * One clock: the family zone is asked for at first run, and the same instant reads the same on
 * every page, in the family zone, whatever the browser's zone (Europe/Madrid here).
 */
const e2e = useE2E({ startCore: () => startTestCore({ presenceSweepMs: 500 }) })

const hhmm = (ms: number, zone: string) =>
  new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23'
  }).format(new Date(ms))

describe('one clock', () => {
  test('first run asks for the zone, pre-filled from the browser, with a searchable picker', async () => {
    const { page } = await e2e.open()
    await page.goto('/today')
    const card = page.getByTestId('first-run-zone')
    await card.getByRole('heading', { name: '¿En qué zona horaria vive la familia?' }).waitFor()
    // Pre-filled from the browser (Europe/Madrid), shown by a name people know.
    await expect(card.getByTestId('zone-list').inputValue()).resolves.toBe('Europe/Madrid')
    await expect(
      card.getByTestId('zone-list').locator('option:checked').textContent()
    ).resolves.toBe('Madrid (España)')
    await card.getByTestId('zone-search').fill('chile')
    await expect(
      card.getByTestId('zone-list').locator('option').allTextContents()
    ).resolves.toEqual(expect.arrayContaining(['Santiago (Chile)']))
    await card.getByTestId('zone-list').selectOption('America/Santiago')
    for (const [size, viewport] of Object.entries(WIDTHS)) {
      await page.setViewportSize(viewport)
      await screenshot(page, `first-run-zone-es-${size}`)
    }
    await card.getByRole('button', { name: 'Usar esta zona' }).click()
    await card.waitFor({ state: 'detached' })
    const settings = await adminFetch(e2e.core, 'GET', '/api/admin/settings')
    expect((settings.data.settings as { time_zone: string }).time_zone).toBe('America/Santiago')
    // The browser is in Madrid: a small note says which zone the times are in.
    await expect(page.getByTestId('zone-note').textContent()).resolves.toBe(
      'Horas de Santiago (Chile)'
    )
  })

  test('the same instant is shown identically on every page, in the family zone', async () => {
    await adminFetch(e2e.core, 'PATCH', '/api/admin/settings', { time_zone: 'America/Santiago' })
    const device = new SimDevice(e2e.core, 'AA:BB:CC:00:02:01', { name: 'Pastillero Reloj' })
    await device.heartbeat()
    // Within today in Santiago, whatever the hour: 1 minute after local midnight or 3 h ago.
    const now = Date.now()
    const at = Math.floor((now - 3 * 3600_000) / 60_000) * 60_000 + 7_000
    const santiago = hhmm(at, 'America/Santiago')
    const madrid = hhmm(at, 'Europe/Madrid')
    expect(santiago).not.toBe(madrid)
    await device.event('dose_taken', { alarm_label: 'Mañana' }, new Date(at).toISOString())

    const { page } = await e2e.open()
    const seen: Record<string, string> = {}
    await page.goto('/history')
    const row = page.getByRole('row').filter({ hasText: 'Pastillero Reloj' })
    seen.history = (await row.first().textContent()) ?? ''
    await page.goto('/device?id=AA:BB:CC:00:02:01')
    const item = page.locator('time').filter({ hasText: santiago }).first()
    await item.waitFor()
    seen.device = (await item.textContent()) ?? ''
    const outcomes = await adminFetch(
      e2e.core,
      'GET',
      '/api/admin/outcomes?device_id=AA:BB:CC:00:02:01'
    )
    const taken = (outcomes.data.outcomes as Array<{ local_date: string }>)[0]!
    const todayInSantiago = new Intl.DateTimeFormat('en-CA', {
      timeZone: 'America/Santiago'
    }).format(new Date(now))
    if (taken.local_date === todayInSantiago) {
      await page.goto('/today')
      const dose = page.getByTestId('dose').filter({ hasText: 'Mañana' })
      seen.today = (await dose.getByTestId('dose-status').textContent()) ?? ''
    }
    for (const [where, text] of Object.entries(seen)) {
      expect(text, where).toContain(santiago)
      expect(text, where).not.toContain(madrid)
    }
  })
})
