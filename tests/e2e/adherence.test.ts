import { readFileSync } from 'node:fs'
import type { Page } from 'playwright-core'
import { describe, expect, test } from 'vitest'
import { type TestCore } from '../helpers/test-core'
import { adminFetch, noSideScroll, PHONE, screenshot, SimDevice, useE2E } from './helpers'

/**
 * Adherence from simulated doses. The dispenser has no schedule, so every alarm it rang defines
 * a dose of its own (source "alarm"): taken within 60 min of the ring is on time, later is late,
 * never is missed. The family zone is UTC, so local days are UTC days and the test can compute
 * every expected figure itself.
 */

const DEVICE = 'AA:00:00:00:08:01'
const DAY_MS = 86_400_000
const todayStart = Math.floor(Date.now() / DAY_MS) * DAY_MS

type Outcome = 'on_time' | 'late' | 'missed'
interface Dose {
  daysAgo: number
  label: 'Mañana' | 'Noche'
  hour: number
  outcome: Outcome
  /** Minutes from the ring to dose_taken. */
  takenAfter?: number
}

const DOSES: Dose[] = [
  { daysAgo: 1, label: 'Mañana', hour: 8, outcome: 'on_time', takenAfter: 10 },
  { daysAgo: 1, label: 'Noche', hour: 20, outcome: 'missed' },
  { daysAgo: 2, label: 'Mañana', hour: 8, outcome: 'on_time', takenAfter: 5 },
  { daysAgo: 2, label: 'Noche', hour: 20, outcome: 'on_time', takenAfter: 30 },
  { daysAgo: 3, label: 'Mañana', hour: 8, outcome: 'late', takenAfter: 90 },
  { daysAgo: 3, label: 'Noche', hour: 20, outcome: 'on_time', takenAfter: 2 },
  { daysAgo: 4, label: 'Mañana', hour: 8, outcome: 'missed' },
  { daysAgo: 4, label: 'Noche', hour: 20, outcome: 'late', takenAfter: 75 },
  { daysAgo: 5, label: 'Mañana', hour: 8, outcome: 'on_time', takenAfter: 20 },
  { daysAgo: 5, label: 'Noche', hour: 20, outcome: 'missed' },
  { daysAgo: 6, label: 'Mañana', hour: 8, outcome: 'on_time', takenAfter: 0 },
  { daysAgo: 6, label: 'Noche', hour: 20, outcome: 'on_time', takenAfter: 45 },
  // Older than a week, within 30 days.
  { daysAgo: 10, label: 'Mañana', hour: 8, outcome: 'on_time', takenAfter: 15 },
  { daysAgo: 10, label: 'Noche', hour: 20, outcome: 'missed' },
  { daysAgo: 20, label: 'Mañana', hour: 8, outcome: 'missed' }
]

const ringAt = (d: Dose) => todayStart - d.daysAgo * DAY_MS + d.hour * 3_600_000
const dateOf = (ms: number) => new Date(ms).toISOString().slice(0, 10)

/** taken % and on-time % as the server rounds them (one decimal), then as the page shows them. */
function expected(doses: Dose[]) {
  const onTime = doses.filter((d) => d.outcome === 'on_time').length
  const late = doses.filter((d) => d.outcome === 'late').length
  const missed = doses.filter((d) => d.outcome === 'missed').length
  const known = onTime + late + missed
  const pct = (n: number) => Math.round((n / known) * 1000) / 10
  return { onTime, late, missed, known, taken: pct(onTime + late), onTimePct: pct(onTime) }
}
const es = new Intl.NumberFormat('es-ES', { style: 'percent', maximumFractionDigits: 1 })
const shown = (pct: number) => es.format(pct / 100)
const inLast = (days: number) => (d: Dose) => d.daysAgo <= days - 1

/** The ISO week's Monday (a local = UTC date here) of a day. */
function mondayOf(ms: number): string {
  const day = new Date(ms).getUTCDay()
  return dateOf(ms - ((day + 6) % 7) * DAY_MS)
}

let device: SimDevice

const e2e = useE2E({ seed, timeoutMs: 60_000 })

async function seed(core: TestCore): Promise<void> {
  expect(
    (await adminFetch(core, 'PATCH', '/api/admin/settings', { time_zone: 'UTC' })).status
  ).toBe(200)
  device = new SimDevice(core, DEVICE, { name: 'Pastillero del abuelo' })
  await device.heartbeat()
  for (const dose of DOSES) {
    const at = ringAt(dose)
    await device.event('alarm_triggered', { alarm_label: dose.label }, new Date(at).toISOString())
    if (dose.takenAfter !== undefined)
      await device.event(
        'dose_taken',
        { alarm_label: dose.label },
        new Date(at + dose.takenAfter * 60_000).toISOString()
      )
  }
}

const period = (page: Page, days: 7 | 30) => page.getByTestId(`adherence-${days}`)
const meterValue = (page: Page, days: 7 | 30, which: 'taken' | 'on-time') =>
  period(page, days).getByTestId(`adherence-${which}`).getByTestId('meter-value')

describe('adherence', () => {
  test('the figures match the doses posted: 7 and 30 days, per alarm, per week, per day', async () => {
    const harness = await e2e.open()
    const { page } = harness
    await page.goto('/adherence')
    // The only device is picked by itself.
    await page.waitForURL(/device=/)
    await period(page, 7).getByTestId('meter-value').first().waitFor()

    const week = expected(DOSES.filter(inLast(7)))
    const month = expected(DOSES.filter(inLast(30)))
    expect(week).toMatchObject({ onTime: 7, late: 2, missed: 3, taken: 75 })
    await expect.poll(() => meterValue(page, 7, 'taken').textContent()).toBe(shown(week.taken))
    expect(await meterValue(page, 7, 'on-time').textContent()).toBe(shown(week.onTimePct))
    expect(await meterValue(page, 30, 'taken').textContent()).toBe(shown(month.taken))
    expect(await meterValue(page, 30, 'on-time').textContent()).toBe(shown(month.onTimePct))
    expect(await period(page, 7).getByTestId('adherence-counts').textContent()).toBe(
      `${week.onTime} a tiempo · ${week.late} tarde · ${week.missed} olvidadas`
    )
    // 75 % is under the 80 % line.
    await period(page, 7).getByText('Por debajo del objetivo').waitFor()
    await page.getByText('Este pastillero no tiene horario').waitFor()

    // Per alarm, 7 and 30 days side by side.
    for (const label of ['Mañana', 'Noche'] as const) {
      const row = page.getByTestId('adherence-alarm-row').filter({ hasText: label })
      const w = expected(DOSES.filter((d) => d.label === label && inLast(7)(d)))
      const m = expected(DOSES.filter((d) => d.label === label && inLast(30)(d)))
      const cells = await row.locator('td').allTextContents()
      expect(cells.map((c) => c.trim())).toEqual([
        shown(w.taken),
        shown(w.onTimePct),
        shown(m.taken),
        shown(m.onTimePct)
      ])
    }

    // Per calendar week (ISO, Monday first): each week with doses, as the chart's table lists it.
    await page.getByText('Por semana').click()
    const weeks = new Map<string, Dose[]>()
    for (const d of DOSES) {
      const monday = mondayOf(ringAt(d))
      weeks.set(monday, [...(weeks.get(monday) ?? []), d])
    }
    const weekRows = page.getByTestId('adherence-weeks').locator('tbody tr')
    const rowTexts = await weekRows.evaluateAll((rows) =>
      rows.map((r) => [...r.querySelectorAll('th, td')].map((c) => c.textContent!.trim()))
    )
    for (const [monday, doses] of weeks) {
      const e = expected(doses)
      const label = new Intl.DateTimeFormat('es-ES', {
        weekday: 'short',
        day: 'numeric',
        month: 'short',
        timeZone: 'UTC'
      }).format(new Date(`${monday}T12:00:00Z`))
      const row = rowTexts.find((r) => r[0]!.startsWith(label))
      expect(row, `week of ${monday}`).toBeDefined()
      expect(row!.slice(1)).toEqual([shown(e.taken), shown(e.onTimePct), String(e.known)])
    }
    // The chart is drawn by Chart.js on its canvas.
    const chart = page.getByTestId('trend-chart')
    expect(await chart.getAttribute('aria-label')).toContain(`línea del ${shown(80)}`)
    expect(await chart.evaluate((c: HTMLCanvasElement) => c.width > 0 && c.height > 0)).toBe(true)

    // The calendar: each day of this month with doses shows what they came to.
    const cal = page.getByTestId('adherence-calendar')
    const thisMonth = dateOf(Date.now()).slice(0, 7)
    expect(await cal.getAttribute('data-month')).toBe(thisMonth)
    const byDay = new Map<string, Dose[]>()
    for (const d of DOSES)
      byDay.set(dateOf(ringAt(d)), [...(byDay.get(dateOf(ringAt(d))) ?? []), d])
    for (const [date, doses] of byDay) {
      if (!date.startsWith(thisMonth)) continue
      const status = doses.some((d) => d.outcome === 'missed') ? 'some_missed' : 'all_taken'
      expect(await cal.locator(`[data-date="${date}"]`).getAttribute('data-status')).toBe(status)
    }
    const quietDay = [...Array(28).keys()]
      .map((i) => `${thisMonth}-${String(i + 1).padStart(2, '0')}`)
      .find((d) => !byDay.has(d) && d < dateOf(Date.now()))
    if (quietDay)
      expect(await cal.locator(`[data-date="${quietDay}"]`).getAttribute('data-status')).toBe(
        'no_doses'
      )
    // Month navigation.
    const monthName = (m: string) =>
      new Intl.DateTimeFormat('es-ES', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
        new Date(`${m}-15T12:00:00Z`)
      )
    const prev = dateOf(Date.parse(`${thisMonth}-01T12:00:00Z`) - DAY_MS).slice(0, 7)
    await page.getByRole('button', { name: 'Mes anterior' }).click()
    await expect.poll(() => cal.getAttribute('data-month')).toBe(prev)
    expect((await page.getByTestId('calendar-month').textContent())!.trim().toLowerCase()).toBe(
      monthName(prev)
    )
    expect(await page.getByRole('button', { name: 'Mes siguiente' }).isEnabled()).toBe(true)
    await page.getByRole('button', { name: 'Mes siguiente' }).click()
    await expect.poll(() => cal.getAttribute('data-month')).toBe(thisMonth)
    expect(await page.getByRole('button', { name: 'Mes siguiente' }).isDisabled()).toBe(true)

    await page.evaluate(() => window.scrollTo(0, 0))
    await page.evaluate(() => document.fonts.ready)
    await screenshot(page, 'adherence-desktop')
    await noSideScroll(page)
  })

  test('the outcome list: local times, status, delay; filtered; exported as CSV by the server', async () => {
    const harness = await e2e.open()
    const { page } = harness
    await page.goto(`/adherence?device=${encodeURIComponent(DEVICE)}`)
    const rows = page.getByTestId('outcome-row')
    const lastWeek = DOSES.filter(inLast(7))
    await expect.poll(() => rows.count()).toBe(lastWeek.length)
    // Newest first; the late morning dose three days ago: 08:00, taken 09:30, 1 h 30 min late.
    const late = rows.filter({ hasText: 'Mañana' }).filter({ hasText: 'Tarde' })
    expect(await late.count()).toBe(1)
    const text = (await late.textContent())!.replace(/\s+/g, ' ')
    expect(text).toContain('08:00')
    expect(text).toContain('9:30')
    expect(text).toContain('+1 h 30 min')
    const firstDate = dateOf(ringAt(lastWeek.find((d) => d.daysAgo === 1)!))
    expect(await rows.first().locator('time').first().getAttribute('datetime')).toContain(firstDate)
    expect(await page.getByLabel('Desde').inputValue()).toBe(dateOf(todayStart - 6 * DAY_MS))
    expect(await page.getByLabel('Hasta').inputValue()).toBe(dateOf(todayStart))

    await page.getByLabel('Resultado').selectOption('missed')
    const missed = lastWeek.filter((d) => d.outcome === 'missed')
    await expect.poll(() => rows.count()).toBe(missed.length)
    expect(await rows.evaluateAll((r) => r.map((x) => x.getAttribute('data-status')))).toEqual(
      missed.map(() => 'missed')
    )

    // The export is the server's CSV for the same filters.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Exportar CSV' }).click()
    ])
    expect(download.suggestedFilename()).toMatch(/^pastillero-outcomes-AA-00-00-00-08-01-.*\.csv$/)
    const csv = readFileSync((await download.path())!, 'utf8')
    expect(csv.startsWith('\uFEFF')).toBe(true)
    const lines = csv.slice(1).trim().split('\r\n')
    // Spanish dashboard: Spanish headers and words, ';' separators.
    expect(lines[0]!.split(';').slice(0, 4)).toEqual([
      'ID del dispensador',
      'Dispensador',
      'Fecha',
      'Hora'
    ])
    expect(lines).toHaveLength(missed.length + 1)
    expect(lines.slice(1).every((l) => l.includes(';no tomada;'))).toBe(true)
    await page.getByRole('status').filter({ hasText: 'CSV descargado' }).waitFor()

    // A wider range by date.
    await page.getByLabel('Resultado').selectOption('')
    await page.getByLabel('Desde').fill(dateOf(todayStart - 29 * DAY_MS))
    await page.getByLabel('Desde').dispatchEvent('change')
    await expect.poll(() => rows.count()).toBe(DOSES.length)
  })

  test('a new dose from the dispenser updates the figures live, in one refetch per burst', async () => {
    const harness = await e2e.open()
    const { page } = harness
    const calls: string[] = []
    page.on('request', (req) => {
      const url = new URL(req.url())
      if (url.pathname === '/api/admin/adherence') calls.push(url.search)
    })
    await page.goto(`/adherence?device=${encodeURIComponent(DEVICE)}`)
    const before = expected(DOSES.filter(inLast(7)))
    await expect.poll(() => meterValue(page, 7, 'taken').textContent()).toBe(shown(before.taken))
    expect(calls).toHaveLength(2)

    // Ring and take now: one more on-time dose.
    const now = Date.now()
    await device.event(
      'alarm_triggered',
      { alarm_label: 'Mañana' },
      new Date(now - 180_000).toISOString()
    )
    await device.event(
      'dose_taken',
      { alarm_label: 'Mañana' },
      new Date(now - 60_000).toISOString()
    )
    const after = expected([
      ...DOSES.filter(inLast(7)),
      { daysAgo: 0, label: 'Mañana', hour: 0, outcome: 'on_time' }
    ])
    await expect
      .poll(() => meterValue(page, 7, 'taken').textContent(), { timeout: 15_000 })
      .toBe(shown(after.taken))
    expect(await meterValue(page, 7, 'on-time').textContent()).toBe(shown(after.onTimePct))
    await expect
      .poll(() => page.getByTestId('outcome-row').count())
      .toBe(DOSES.filter(inLast(7)).length + 1)
    // Two events, one debounced refetch (7 and 30 days: two calls).
    expect(calls).toHaveLength(4)
    await page.waitForTimeout(300)
    expect(calls).toHaveLength(4)
    // Another device's event does not refetch this one.
    await new SimDevice(e2e.core, 'AA:00:00:00:08:99', { name: 'Otro' }).event('dose_taken', {
      alarm_label: 'X'
    })
    await page.waitForTimeout(2000)
    expect(calls).toHaveLength(4)
  })

  test('phone layout: one column, no sideways scrolling', async () => {
    const harness = await e2e.open({ viewport: PHONE })
    const { page } = harness
    await page.goto(`/adherence?device=${encodeURIComponent(DEVICE)}`)
    await page.getByTestId('outcome-row').first().waitFor()
    await page.evaluate(() => document.fonts.ready)
    await screenshot(page, 'adherence-phone')
    await noSideScroll(page)
    await page.setViewportSize({ width: 360, height: 740 })
    await noSideScroll(page)
  })
})
