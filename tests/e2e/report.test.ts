import { mkdirSync, readFileSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, test } from 'vitest'
import { type TestCore } from '../helpers/test-core'
import { adminFetch, noSideScroll, PHONE, screenshot, SimDevice, useE2E } from './helpers'

/**
 * The printable report for the doctor: its content against the posted doses, how it looks in
 * print media, and a PDF (Chromium's own print-to-PDF) in test-results/.
 */

const DEVICE = 'AA:00:00:00:09:01'
const NAME = 'Pastillero de Carmen'
const DAY_MS = 86_400_000
const todayStart = Math.floor(Date.now() / DAY_MS) * DAY_MS
const dateOf = (ms: number) => new Date(ms).toISOString().slice(0, 10)
const FROM = dateOf(todayStart - 13 * DAY_MS)
const TO = dateOf(todayStart)
const RESULTS = resolve(import.meta.dirname, '../../test-results')

// Two doses a day for the 13 days before today: the evening one forgotten every fourth day,
// the morning one taken 80 minutes late every fifth day.
interface Dose {
  at: number
  label: string
  takenAfter: number | null
}
const DOSES: Dose[] = []
for (let d = 1; d <= 13; d++) {
  const day = todayStart - d * DAY_MS
  DOSES.push({ at: day + 8 * 3_600_000, label: 'Levotiroxina', takenAfter: d % 5 === 0 ? 80 : 5 })
  DOSES.push({ at: day + 21 * 3_600_000, label: 'Enalapril', takenAfter: d % 4 === 0 ? null : 15 })
}
const onTime = DOSES.filter((d) => d.takenAfter !== null && d.takenAfter <= 60).length
const late = DOSES.filter((d) => d.takenAfter !== null && d.takenAfter > 60).length
const missed = DOSES.filter((d) => d.takenAfter === null).length
const known = onTime + late + missed
const pct = (n: number) => Math.round((n / known) * 1000) / 10
const es = new Intl.NumberFormat('es-ES', { style: 'percent', maximumFractionDigits: 1 })
const shown = (p: number) => es.format(p / 100)

const e2e = useE2E({ seed, timeoutMs: 60_000 })

async function seed(core: TestCore): Promise<void> {
  expect(
    (await adminFetch(core, 'PATCH', '/api/admin/settings', { time_zone: 'UTC' })).status
  ).toBe(200)
  const device = new SimDevice(core, DEVICE, { name: NAME })
  await device.heartbeat()
  for (const dose of DOSES) {
    await device.event(
      'alarm_triggered',
      { alarm_label: dose.label },
      new Date(dose.at).toISOString()
    )
    if (dose.takenAfter !== null)
      await device.event(
        'dose_taken',
        { alarm_label: dose.label },
        new Date(dose.at + dose.takenAfter * 60_000).toISOString()
      )
  }
  // The schedule in force from now on: saved today, it does not rewrite the doses above.
  const put = await adminFetch(
    core,
    'PUT',
    `/api/admin/devices/${encodeURIComponent(DEVICE)}/schedule`,
    {
      alarms: [
        {
          label: 'Levotiroxina',
          time: '08:00',
          days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
          compartment: 1,
          pill_count: 1,
          window_min: 60
        },
        {
          label: 'Enalapril',
          time: '21:00',
          days: ['mon', 'tue', 'wed', 'thu', 'fri'],
          compartment: 2,
          pill_count: 0.5,
          window_min: 45
        }
      ]
    }
  )
  expect(put.status).toBe(200)
}

const reportUrl = `/report?device_id=${encodeURIComponent(DEVICE)}&from=${FROM}&to=${TO}`

describe('report', () => {
  test('shows the period, the patient, the schedule, the percentages, the calendar and the doses', async () => {
    const harness = await e2e.open()
    const { page } = harness
    await page.goto(reportUrl)
    await page.getByRole('heading', { name: 'Informe de adherencia a la medicación' }).waitFor()
    expect(await page.getByTestId('report-name').textContent()).toContain(NAME)
    const fmt = (d: string) =>
      new Intl.DateTimeFormat('es-ES', { dateStyle: 'medium', timeZone: 'UTC' }).format(
        new Date(`${d}T12:00:00Z`)
      )
    expect(await page.getByTestId('report-period').textContent()).toBe(
      `Del ${fmt(FROM)} al ${fmt(TO)}`
    )

    const summary = page.getByTestId('report-summary')
    const values = await summary.getByTestId('meter-value').allTextContents()
    expect(values).toEqual([shown(pct(onTime + late)), shown(pct(onTime))])
    expect(await summary.getByRole('meter').first().getAttribute('aria-valuenow')).toBe(
      String(pct(onTime + late))
    )
    await page.getByText(`${onTime} a tiempo · ${late} tarde · ${missed} olvidadas`).waitFor()

    // The schedule in force: both alarms, with their compartments and pills.
    const schedule = page.getByTestId('report-schedule')
    expect(await schedule.count()).toBe(1)
    const rows = await schedule
      .locator('tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent!.trim()))
      )
    expect(rows).toEqual([
      // No medicine or dose in this schedule: a dash in those columns.
      ['08:00', 'Levotiroxina', '—', '—', 'Todos los días', '1', '1', '60 min'],
      ['21:00', 'Enalapril', '—', '—', 'Laborables', '2', '0,5', '45 min']
    ])

    // Calendar cells for every day of the period; the days with a forgotten dose are marked.
    const days = page.locator('[data-testid="adherence-calendar"] [data-date]')
    const statuses = Object.fromEntries(
      await days.evaluateAll((els) =>
        els.map((el) => [el.getAttribute('data-date'), el.getAttribute('data-status')])
      )
    ) as Record<string, string>
    for (const dose of DOSES) {
      const date = dateOf(dose.at)
      const dayMissed = DOSES.some((d) => dateOf(d.at) === date && d.takenAfter === null)
      expect(statuses[date], date).toBe(dayMissed ? 'some_missed' : 'all_taken')
    }
    // Outside the period: blank.
    const before = dateOf(todayStart - 14 * DAY_MS)
    if (before.slice(0, 7) === FROM.slice(0, 7)) expect(statuses[before]).toBe('outside')

    // Every dose of the period, in time order.
    expect(await page.getByTestId('outcome-row').count()).toBe(DOSES.length)

    // "Imprimir" prints the page (stubbed here: headless Chromium has no print dialog).
    await page.evaluate(() => {
      ;(window as unknown as { printed: number }).printed = 0
      window.print = () => void (window as unknown as { printed: number }).printed++
    })
    await page.getByRole('button', { name: 'Imprimir' }).click()
    expect(await page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1)

    await page.evaluate(() => document.fonts.ready)
    await screenshot(page, 'report-desktop')
    await noSideScroll(page)
  })

  test('prints cleanly: no navigation or buttons, black on white, A4 PDF with page breaks', async () => {
    const harness = await e2e.open()
    const { page } = harness
    await page.goto(reportUrl)
    await page.getByTestId('outcome-row').first().waitFor()
    await page.emulateMedia({ media: 'print' })
    for (const selector of ['.topbar', '.sidenav', '.report__toolbar'])
      expect(await page.locator(selector).isVisible(), selector).toBe(false)
    expect(await page.getByRole('button').filter({ visible: true }).count()).toBe(0)
    const colors = await page.evaluate(() => {
      const body = getComputedStyle(document.body)
      const h1 = getComputedStyle(document.querySelector('.report h1')!)
      return { bg: body.backgroundColor, text: h1.color }
    })
    expect(colors).toEqual({ bg: 'rgb(255, 255, 255)', text: 'rgb(0, 0, 0)' })
    // The calendar and the dose list each start a page.
    const breaks = await page
      .locator('.report__section--break')
      .evaluateAll((els) => els.map((el) => getComputedStyle(el).breakBefore))
    expect(breaks).toEqual(['page', 'page'])
    await page.evaluate(() => document.fonts.ready)
    await screenshot(page, 'report-print')
    // The same at the width of an A4 page's printable area (182 mm ≈ 688 CSS px).
    await page.setViewportSize({ width: 688, height: 1040 })
    await screenshot(page, 'report-print-a4')

    mkdirSync(RESULTS, { recursive: true })
    const pdfPath = join(RESULTS, 'report.pdf')
    await page.pdf({ path: pdfPath, preferCSSPageSize: true, printBackground: true })
    const pdf = readFileSync(pdfPath)
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-')
    expect(statSync(pdfPath).size).toBeGreaterThan(10_000)
    // A4 portrait is 595 × 842 points; three or more pages (summary, calendar, doses).
    const text = pdf.toString('latin1')
    const box = /\/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/.exec(text)
    expect(box && [Math.round(Number(box[1])), Math.round(Number(box[2]))]).toEqual([595, 842])
    const pages = Math.max(0, ...[...text.matchAll(/\/Count (\d+)/g)].map((m) => Number(m[1])))
    expect(pages).toBeGreaterThanOrEqual(3)
    await page.emulateMedia({ media: 'screen' })
  })

  test('a whole month, and the phone layout', async () => {
    const harness = await e2e.open({ viewport: PHONE })
    const { page } = harness
    // The month of the first seeded dose: it always holds doses (on the 1st, the current month is
    // only today, as the report is clipped to today).
    const month = FROM.slice(0, 7)
    await page.goto(`/report?device_id=${encodeURIComponent(DEVICE)}&month=${month}`)
    const monthName = new Intl.DateTimeFormat('es-ES', {
      month: 'long',
      year: 'numeric',
      timeZone: 'UTC'
    }).format(new Date(`${month}-15T12:00:00Z`))
    await expect
      .poll(async () => (await page.getByTestId('report-period').textContent())?.toLowerCase())
      .toContain(monthName)
    expect(await page.getByLabel('Mes').inputValue()).toBe(month)
    // The current month is cut at today: it ends on today's date, not on the month's last day;
    // a past month (FROM can be last month on the 1st) ends on its last day.
    const [y, m] = month.split('-').map(Number) as [number, number]
    const monthEnd = new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10)
    const last = new Intl.DateTimeFormat('es-ES', { dateStyle: 'medium', timeZone: 'UTC' }).format(
      new Date(`${TO.startsWith(month) ? TO : monthEnd}T12:00:00Z`)
    )
    expect(await page.getByTestId('report-period').textContent()).toContain(last)
    await page.evaluate(() => document.fonts.ready)
    await screenshot(page, 'report-phone')
    await noSideScroll(page)

    // Without a device there is nothing to report: say so.
    await page.goto('/report')
    await page.getByText('Falta el pastillero').waitFor()
  })
})
