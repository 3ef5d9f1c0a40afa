import type { Page } from 'playwright-core'
import { describe, expect, test } from 'vitest'
import en from '../../src/renderer/src/i18n/en'
import es from '../../src/renderer/src/i18n/es'
import { noSideScroll, openPage, screenshot, SimDevice, useE2E, WIDTHS } from './helpers'

/**
 * The family's view across the dashboard: the loopback warning, the phone bar reaching every
 * section, and every view and error path in one language only (es and en).
 */
const e2e = useE2E()

function strings(
  obj: unknown,
  out: Map<string, string> = new Map(),
  prefix = ''
): Map<string, string> {
  if (typeof obj === 'string') out.set(prefix, obj)
  else if (obj && typeof obj === 'object')
    for (const [k, v] of Object.entries(obj)) strings(v, out, prefix ? `${prefix}.${k}` : k)
  return out
}

/** Sentences of the other language that must never show: long, plain, and not shared. */
function foreign(lang: 'es' | 'en'): string[] {
  const mine = strings(lang === 'es' ? es : en)
  const other = strings(lang === 'es' ? en : es)
  const mineValues = [...mine.values()].join('\n')
  return [...other.entries()]
    .filter(([key, v]) => mine.get(key) !== v && v.length >= 14 && !/[{}|@]/.test(v))
    .map(([, v]) => v)
    .filter((v) => !mineValues.includes(v))
}

const VIEWS = [
  '/today',
  '/devices',
  '/history',
  '/alerts',
  '/schedules',
  '/adherence',
  '/firmware',
  '/settings'
]

async function visit(page: Page, path: string): Promise<string> {
  await page.goto(path)
  await page.locator('main h1').first().waitFor()
  await page.waitForLoadState('networkidle')
  return page.locator('body').innerText()
}

describe('family view', () => {
  test('the setup card warns when the server listens on loopback only', async () => {
    const { page } = await e2e.open()
    await page.goto('/devices')
    const warning = page.getByTestId('loopback-warning')
    await warning.waitFor()
    await expect(warning.textContent()).resolves.toContain(
      'Este servidor solo escucha en este equipo (127.0.0.1)'
    )
    await expect(warning.textContent()).resolves.toContain('0.0.0.0')
    await screenshot(page, 'setup-loopback-es-desktop')
  })

  test('every view and error path in one language only, at both widths, with the phone bar', async () => {
    const device = new SimDevice(e2e.core, 'AA:BB:CC:00:03:01', { name: 'Pastillero Abuela' })
    await device.heartbeat()
    await device.event('alarm_triggered', { alarm_label: 'Mañana' })
    await device.event('dose_taken', { alarm_label: 'Mañana' })
    await device.event('ota_fail', { version: '9.9.9', error: 'md5 mismatch' })

    for (const lang of ['es', 'en'] as const) {
      const bad = foreign(lang)
      expect(bad.length).toBeGreaterThan(50)
      const check = (where: string, text: string) => {
        const leaks = bad.filter((s) => text.includes(s))
        expect(leaks, `${lang} ${where}`).toEqual([])
      }
      for (const [size, viewport] of Object.entries(WIDTHS)) {
        const h = await openPage(e2e.browser, e2e.core, { viewport })
        h.allowConsoleError(/status of (401|409|422)/)
        await h.context.addInitScript((l) => localStorage.setItem('pastillero.locale', l), lang)
        const { page } = h
        for (const path of VIEWS) {
          check(path, await visit(page, path))
          await screenshot(page, `view${path.replace(/\//g, '-')}-${lang}-${size}`)
          await noSideScroll(page)
        }
        // An error path: a name that is too long, refused by the server.
        await page.goto('/device?id=AA:BB:CC:00:03:01')
        const field = page.getByLabel(lang === 'es' ? 'Nombre' : 'Name', { exact: true })
        await field.fill('x'.repeat(101))
        await page
          .getByRole('button', { name: lang === 'es' ? 'Guardar nombre' : 'Save name' })
          .click()
        const toast = page.getByRole('alert').first()
        await toast.waitFor()
        const toastText = (await toast.textContent()) ?? ''
        check('rename error', toastText)
        expect(toastText).not.toMatch(/must be at most/)
        await screenshot(page, `device-error-${lang}-${size}`)

        if (size === 'phone') {
          // The bar is fixed at the bottom and reaches every section (four + "Más").
          const bar = page.getByTestId('phone-bar')
          const targets: Array<[string, string, boolean]> =
            lang === 'es'
              ? [
                  ['Hoy', 'Hoy', false],
                  ['Alertas', 'Alertas', false],
                  ['Horarios', 'Horarios', false],
                  ['Adherencia', 'Adherencia', false],
                  ['Dispositivos', 'Dispositivos', true],
                  ['Historial', 'Historial', true],
                  ['Firmware', 'Firmware', true],
                  ['Ajustes', 'Ajustes', true]
                ]
              : [
                  ['Today', 'Today', false],
                  ['Alerts', 'Alerts', false],
                  ['Schedules', 'Schedules', false],
                  ['Adherence', 'Adherence', false],
                  ['Devices', 'Devices', true],
                  ['History', 'History', true],
                  ['Firmware', 'Firmware', true],
                  ['Settings', 'Settings', true]
                ]
          for (const [link, heading, more] of targets) {
            await page.mouse.wheel(0, 2000) // scrolled down: the bar is still there
            const box = await bar.boundingBox()
            expect(box, link).not.toBeNull()
            expect(Math.round(box!.y + box!.height)).toBe(WIDTHS.phone.height)
            if (more)
              await bar.getByRole('button', { name: lang === 'es' ? 'Más' : 'More' }).click()
            await bar.getByRole('link', { name: link, exact: true }).click()
            await page.getByRole('heading', { name: heading, level: 1 }).waitFor()
          }
          await bar.getByRole('button', { name: lang === 'es' ? 'Más' : 'More' }).click()
          await screenshot(page, `phonebar-more-${lang}`, false)
        }
        await h.finish()
      }
    }
  }, 240_000)
})
