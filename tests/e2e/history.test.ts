import { readFileSync } from 'node:fs'
import type { Page } from 'playwright-core'
import { describe, expect, test } from 'vitest'
import { startTestCore, type TestCore } from '../helpers/test-core'
import { SimDevice, useE2E } from './helpers'

const DAY_MS = 86_400_000
// Noon UTC is the same calendar day in the browser's zone (Europe/Madrid) as in UTC.
const base = Math.floor(Date.now() / DAY_MS) * DAY_MS - 10 * DAY_MS + 12 * 3600_000
const at = (day: number, minute = 0, second = 0) =>
  new Date(base + day * DAY_MS + minute * 60_000 + second * 1000).toISOString()
const dayKey = (day: number) => at(day).slice(0, 10)

const LABEL = 'Medicamento "mañana", 8:00'
const kitchen = 'AA:00:00:00:00:21'
const lounge = 'AA:00:00:00:00:22'
const bulk = 'AA:00:00:00:00:23'

async function inParallel<T>(items: T[], limit: number, run: (item: T) => Promise<unknown>) {
  const queue = [...items]
  await Promise.all(
    Array.from({ length: limit }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await run(item)
    })
  )
}

const e2e = useE2E({
  // The seed below sends 1100 events from one device at once; the core's per-device budget
  // (a burst of 120, then 1/s) is meant for firmware in a loop, so raise it for this core only.
  startCore: () =>
    startTestCore({ presenceSweepMs: 500, eventRateLimit: { capacity: 10_000, perSecond: 1000 } }),
  seed,
  timeoutMs: 120_000
})

async function seed(core: TestCore): Promise<void> {
  const a = new SimDevice(core, kitchen, { name: 'Pastillero Cocina' })
  const b = new SimDevice(core, lounge, { name: 'Pastillero Salón' })
  const c = new SimDevice(core, bulk, { name: 'Pastillero Pruebas' })
  await Promise.all([a.heartbeat(), b.heartbeat(), c.heartbeat()])
  const indexes = (n: number) => Array.from({ length: n }, (_, i) => i)
  // Kitchen: 10 doses a day on days 0-5, and 5 alarms on day 2.
  await inParallel(indexes(60), 8, (i) =>
    a.event('dose_taken', { alarm_label: LABEL }, at(Math.floor(i / 10), i % 10), `a-dose-${i}`)
  )
  await inParallel(indexes(5), 5, (i) =>
    a.event('alarm_triggered', { alarm_label: 'Mediodía' }, at(2, 30 + i))
  )
  // Lounge: 10 doses on day 1 and 3 failed updates on day 3.
  await inParallel(indexes(10), 8, (i) => b.event('dose_taken', { alarm_label: 'Noche' }, at(1, i)))
  await inParallel(indexes(3), 3, (i) =>
    b.event('ota_fail', { version: '1.3.0', error: 'md5 mismatch' }, at(3, i))
  )
  // A chatty test device: 1100 acknowledgements on day 7, more than one export page.
  await inParallel(indexes(1100), 16, (i) => c.event('alarm_ack', undefined, at(7, 0, i)))
}

const rows = (page: Page) => page.getByTestId('history-row')

function eventRequests(page: Page): URL[] {
  const seen: URL[] = []
  page.on('request', (req) => {
    const url = new URL(req.url())
    if (url.pathname === '/api/admin/events') seen.push(url)
  })
  return seen
}

/** RFC 4180 parser, enough for checking the export. */
function parseCsv(text: string, separator = ';'): string[][] {
  const out: string[][] = []
  let row: string[] = []
  let field = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"'
        i++
      } else if (ch === '"') quoted = false
      else field += ch
    } else if (ch === '"') quoted = true
    else if (ch === separator) {
      row.push(field)
      field = ''
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field)
      out.push(row)
      row = []
      field = ''
      i++
    } else field += ch
  }
  if (field || row.length) out.push([...row, field])
  return out
}

async function exportCsv(page: Page): Promise<string> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Exportar CSV' }).click()
  ])
  expect(download.suggestedFilename()).toMatch(/^pastillero-eventos-\d{8}-\d{4}\.csv$/)
  return readFileSync((await download.path())!, 'utf8')
}

describe('history', () => {
  test('newest first, one page of 50 at a time, more by cursor', async () => {
    const harness = await e2e.open()
    const { page } = harness
    const requests = eventRequests(page)
    await page.goto('/history')
    await expect.poll(() => rows(page).count()).toBe(50)
    await page.getByText('Mostrando 50 eventos · hay más').waitFor()
    await page.getByRole('button', { name: 'Cargar más' }).click()
    await expect.poll(() => rows(page).count()).toBe(100)

    expect(requests).toHaveLength(2)
    expect(requests.map((u) => u.searchParams.get('limit'))).toEqual(['50', '50'])
    expect(requests[0]!.searchParams.has('cursor')).toBe(false)
    expect(requests[1]!.searchParams.get('cursor')).toBeTruthy()
    // The newest events come first: the bulk device's acknowledgements on day 7.
    expect(await rows(page).first().textContent()).toContain('Alarma atendida')
  })

  test('filters by device, type and date range; the filters live in the URL', async () => {
    const harness = await e2e.open()
    const { page } = harness
    await page.goto('/history')
    await expect.poll(() => rows(page).count()).toBe(50)

    await page.getByLabel('Dispositivo').selectOption({ label: 'Pastillero Salón' })
    await expect.poll(() => rows(page).count()).toBe(13)
    await page.getByLabel('Tipo de evento').selectOption('ota_fail')
    await expect.poll(() => rows(page).count()).toBe(3)
    expect(await rows(page).first().textContent()).toContain(
      'versión 1.3.0 · El archivo llegó dañado (MD5 no coincide)'
    )
    const url = new URL(page.url())
    expect(url.searchParams.get('device')).toBe(lounge)
    expect(url.searchParams.get('type')).toBe('ota_fail')

    await page.getByRole('button', { name: 'Quitar filtros' }).click()
    await page.getByLabel('Dispositivo').selectOption({ label: 'Pastillero Cocina' })
    await page.getByLabel('Desde').fill(dayKey(2))
    await page.getByLabel('Hasta').fill(dayKey(3))
    // Days 2 and 3 inclusive: 20 doses and 5 alarms.
    await expect.poll(() => rows(page).count()).toBe(25)
    await page.getByText('No hay más eventos.').waitFor()

    await page.reload()
    await expect.poll(() => rows(page).count()).toBe(25)
    expect(await page.getByLabel('Desde').inputValue()).toBe(dayKey(2))
    expect(await page.getByLabel('Dispositivo').inputValue()).toBe(kitchen)

    // Backwards dates are caught before asking the server.
    await page.getByLabel('Desde').fill(dayKey(5))
    await page.getByText('La fecha «desde» es posterior a «hasta».').waitFor()
  })

  test('CSV export holds exactly the filtered set, properly quoted, across pages', async () => {
    const harness = await e2e.open()
    const { page } = harness
    const requests = eventRequests(page)
    await page.goto(`/history?device=${encodeURIComponent(kitchen)}&type=dose_taken`)
    await expect.poll(() => rows(page).count()).toBe(50)

    const text = await exportCsv(page)
    expect(text.startsWith('\uFEFF')).toBe(true)
    const table = parseCsv(text.slice(1))
    // Spanish dashboard: Spanish headers and words, ';' (what Spanish Excel splits on).
    expect(table[0]).toEqual([
      'Fecha y hora',
      'Recibido',
      'ID del dispensador',
      'Dispensador',
      'Evento',
      'Etiqueta',
      'Detalle',
      'ID del evento'
    ])
    const body = table.slice(1)
    expect(body).toHaveLength(60)
    const [occurred, received, deviceId, name, type, label, payload, eventId] = body[0]!
    // On the family's clock, with its offset: the same instant.
    expect(occurred).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/)
    expect(Date.parse(occurred!)).toBe(Date.parse(at(5, 9)))
    expect(Date.parse(received!)).toBeGreaterThan(Date.parse(occurred!))
    expect([deviceId, name, type, label, eventId]).toEqual([
      kitchen,
      'Pastillero Cocina',
      'Dosis tomada',
      LABEL,
      'a-dose-59'
    ])
    expect(payload).toBe('') // the label has its own column; nothing else to say
    expect(text).toContain('"Medicamento ""mañana"", 8:00"')
    expect(text.split('\r\n')[0]).not.toContain(',')
    expect(new Set(body.map((r) => r[7])).size).toBe(60)
    await page.getByRole('status').filter({ hasText: 'Exportados 60 eventos' }).waitFor()

    // 1100 events: two export pages of up to 1000, following next_cursor.
    requests.length = 0
    await page.getByLabel('Dispositivo').selectOption({ label: 'Pastillero Pruebas' })
    await page.getByLabel('Tipo de evento').selectOption('')
    await expect.poll(() => rows(page).count()).toBe(50)
    requests.length = 0
    const big = parseCsv((await exportCsv(page)).slice(1)).slice(1)
    expect(big).toHaveLength(1100)
    expect(new Set(big.map((r) => r[0])).size).toBe(1100)
    expect(big.every((r) => r[4] === 'Alarma atendida' && r[3] === 'Pastillero Pruebas')).toBe(true)
    expect(requests.map((u) => u.searchParams.get('limit'))).toEqual(['1000', '1000'])
    expect(requests[1]!.searchParams.get('cursor')).toBeTruthy()
  })

  test('a new event matching the filters shows up live at the top', async () => {
    const harness = await e2e.open()
    const { page } = harness
    await page.goto(`/history?device=${encodeURIComponent(lounge)}`)
    await expect.poll(() => rows(page).count()).toBe(13)
    await new SimDevice(e2e.core, kitchen).event('dose_taken', { alarm_label: 'Otra casa' })
    await new SimDevice(e2e.core, lounge).event('alarm_triggered', { alarm_label: 'Ahora mismo' })
    await expect.poll(() => rows(page).count()).toBe(14)
    expect(await rows(page).first().textContent()).toContain('Ahora mismo')
    expect(await page.getByText('Otra casa').count()).toBe(0)
  })
})
