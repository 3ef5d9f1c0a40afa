import { describe, expect, test } from 'vitest'
import { FakeTelegram } from '../helpers/fake-telegram'
import { startTestCore } from '../helpers/test-core'
import { adminFetch, screenshot, SimDevice, useE2E, WIDTHS } from './helpers'

/**
 * "Hoy", the home page, with simulated dispensers: taken, pending, missed and upcoming doses,
 * updating live; a late dose closes its missed alert on the page and in Telegram.
 */
const MIN = 60_000
const CHAT = 5550004
const EVERY_DAY = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']
const tg = new FakeTelegram()
// The schedules' clock runs behind while seeding, so the schedule is in force for doses that
// are already due (a schedule is otherwise valid from the moment it is saved).
let shift = 0
// A fixed-offset zone where it is mid-afternoon now: doses 2 h ago and 2 h ahead are both today.
const offsetH = (15 - new Date().getUTCHours() + 24) % 24
const ZONE =
  offsetH === 0
    ? 'UTC'
    : `Etc/GMT${offsetH > 12 ? '+' : '-'}${offsetH > 12 ? 24 - offsetH : offsetH}`
const local = (msAgo: number) =>
  new Intl.DateTimeFormat('en-GB', {
    timeZone: ZONE,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23'
  }).format(new Date(Date.now() - msAgo))
const ago = (ms: number) => new Date(Date.now() - ms).toISOString()

const e2e = useE2E({
  startCore: async () => {
    await tg.start()
    return startTestCore({
      presenceSweepMs: 500,
      alertTickMs: 200,
      clock: () => Date.now() - shift,
      telegram: { pollTimeoutS: 1, senderIntervalMs: 100 },
      env: {
        TELEGRAM_BOT_TOKEN: tg.token,
        TELEGRAM_API_URL: tg.url,
        TELEGRAM_CHAT_ID: String(CHAT)
      }
    })
  },
  seed: async (core) => {
    const abuela = new SimDevice(core, 'AA:BB:CC:00:01:01', { name: 'Abuela Carmen' })
    await abuela.heartbeat()
    // What the dispenser buffered arrives first, then the family saves the schedule.
    await abuela.event('alarm_triggered', { alarm_label: 'Desayuno' }, ago(120 * MIN))
    await abuela.event('dose_taken', { alarm_label: 'Desayuno' }, ago(118 * MIN))
    await abuela.event('alarm_triggered', { alarm_label: 'Comida' }, ago(90 * MIN))
    await abuela.event('alarm_triggered', { alarm_label: 'Merienda' }, ago(10 * MIN))
    shift = 4 * 3600_000
    await adminFetch(core, 'PATCH', '/api/admin/settings', { time_zone: ZONE })
    const saved = await adminFetch(core, 'PUT', '/api/admin/devices/AA:BB:CC:00:01:01/schedule', {
      alarms: [
        {
          label: 'Desayuno',
          time: local(120 * MIN),
          days: EVERY_DAY,
          medicine: 'Sintrom',
          dose: '1/2'
        },
        { label: 'Comida', time: local(90 * MIN), days: EVERY_DAY },
        { label: 'Merienda', time: local(10 * MIN), days: EVERY_DAY },
        { label: 'Cena', time: local(-120 * MIN), days: EVERY_DAY }
      ]
    })
    if (saved.status !== 200) throw new Error(JSON.stringify(saved.data))
    shift = 0
    await abuela.heartbeat()
  },
  teardown: () => tg.stop()
})

describe('Hoy', () => {
  test('shows taken, pending, missed and upcoming doses, live; a late dose closes its alert', async () => {
    const { page } = await e2e.open()
    await page.goto('/')
    await page.getByRole('heading', { name: 'Hoy', level: 1 }).waitFor()
    const card = page.getByRole('article', { name: 'Abuela Carmen' })
    const dose = (label: string) => card.getByTestId('dose').filter({ hasText: label })

    await expect(dose('Desayuno').getByTestId('dose-status').textContent()).resolves.toBe(
      `Tomada a las ${local(118 * MIN)}`
    )
    await expect(dose('Desayuno').textContent()).resolves.toContain('Sintrom, 1/2')
    await expect(dose('Comida').getAttribute('data-status')).resolves.toBe('missed')
    await expect(dose('Comida').getByTestId('dose-status').textContent()).resolves.toBe('No tomada')
    await expect(dose('Merienda').getByTestId('dose-status').textContent()).resolves.toMatch(
      /^Pendiente: quedan 5\d min$/
    )
    await expect(dose('Cena').getByTestId('dose-status').textContent()).resolves.toBe(
      `A las ${local(-120 * MIN)}`
    )
    await expect(card.getByTestId('next-dose').textContent()).resolves.toContain(
      `Cena a las ${local(-120 * MIN)}`
    )
    await expect(card.getByTestId('health').textContent()).resolves.toContain('Bien')
    // Technical details live on the device page, not here.
    await expect(card.textContent()).resolves.not.toMatch(/AA:BB:CC|Reiniciar|firmware/i)

    // The missed alert for Comida is on the page with its "Visto" button, and in Telegram.
    const alert = card.getByTestId('today-alert').filter({ hasText: 'Comida' })
    await alert.waitFor()
    const message = await tg.waitFor(() =>
      tg.messagesTo(CHAT).find((m) => m.text.includes('no se tomó «Comida»'))
    )
    for (const [size, viewport] of Object.entries(WIDTHS)) {
      await page.setViewportSize(viewport)
      await screenshot(page, `today-es-${size}`)
    }
    await page.setViewportSize(WIDTHS.desktop)

    // Live: Merienda is taken now; the page updates without a reload.
    const abuela = new SimDevice(e2e.core, 'AA:BB:CC:00:01:01', { name: 'Abuela Carmen' })
    await abuela.event('dose_taken', { alarm_label: 'Merienda' })
    await dose('Merienda').and(page.locator('[data-status="on_time"]')).waitFor()
    await expect(dose('Merienda').getByTestId('dose-status').textContent()).resolves.toBe(
      `Tomada a las ${local(0)}`
    )

    // Comida arrives late: its alert closes by itself here and in Telegram.
    await abuela.event('dose_taken', { alarm_label: 'Comida' })
    await dose('Comida').and(page.locator('[data-status="late"]')).waitFor()
    await alert.waitFor({ state: 'detached' })
    const edit = await tg.waitFor(() => tg.edits.find((e) => e.message_id === message.message_id))
    expect(edit.text).toContain(`✅ Tomada a las ${local(0)}`)

    // A dispenser nobody hears from reads "Sin conexión" in red.
    const silent = new SimDevice(e2e.core, 'AA:BB:CC:00:01:02', { name: 'Tío Juan' })
    await silent.heartbeat()
    await page.getByRole('article', { name: 'Tío Juan' }).waitFor()
    await expect(
      page.getByRole('article', { name: 'Tío Juan' }).getByTestId('health').textContent()
    ).resolves.toContain('Bien')
  })
})
