import type { Page } from 'playwright-core'
import { describe, expect, test } from 'vitest'
import { COMMON_ZONES } from '../../src/renderer/src/lib/zones'
import { buildEsp32Image, PNG_BYTES } from '../helpers/esp32-image'
import { adminFetch, dropFile, openPage, screenshot, SimDevice, useE2E, WIDTHS } from './helpers'

/**
 * Spanish all the way: every view, and the error paths a person can reach, in both languages.
 * A Spanish session must show no English and an English session no Spanish: server messages,
 * device fields and alert texts included. Seed data (names, labels) is neutral on purpose, so
 * any word caught here comes from the dashboard or the server.
 */

// Words that only the other language uses. Short and common, so a leaked sentence trips them.
const ENGLISH =
  /\b(the|is|are|not|and|of|to|with|from|already|uploaded|first|failed|device|devices|loading|save|cancel|settings|history|alerts|schedules|reason|boot_count|payload|offline|unknown|never|ago|seconds|minutes|today|yesterday|set|please|try|again|no route|could|should|must|mismatch|taken|missed|online)\b/i
const SPANISH =
  /\b(de|del|la|las|los|el|una|por|para|con|sin|está|están|hoy|ayer|aviso|avisos|alarma|dosis|dispensador|dispensadores|dispositivo|dispositivos|reinicio|ajustes|horario|horarios|historial|actualización|guardar|cancelar|cerrar|cargando|todavía|ningún|ninguna|más|días|semana|tomada|pendiente|pendientes|hace|minutos|contraseña|sesión|cuenta|que|qué|pedido|arranque)\b|[ñ¿¡]/i

/**
 * The zone picker's entries in this language: place names ("La Paz (Bolivia)", "Los Angeles
 * (USA)") hold words the check would take for the other language.
 */
const placeNames = (lang: 'es' | 'en') => new Set(COMMON_ZONES.map((z) => z[lang]))

const SEED = {
  a: new Map<string, string>(),
  devices: ['AA:BB:CC:00:77:01', 'AA:BB:CC:00:77:02']
}

const e2e = useE2E({
  seed: async (core) => {
    const [a, b] = SEED.devices.map((id, i) => new SimDevice(core, id, { name: `Nora ${i + 1}` }))
    await a!.heartbeat({ firmware_version: '1.0.0' })
    await b!.heartbeat({ firmware_version: '1.0.0' })
    const now = Date.now()
    const ago = (min: number) => new Date(now - min * 60_000).toISOString()
    await a!.event('reboot', { reason: 'remote', boot_count: 1 }, ago(50))
    await a!.event('alarm_triggered', { alarm_label: 'AM' }, ago(40))
    await a!.event('dose_taken', { alarm_label: 'AM' }, ago(39))
    await b!.event('ota_fail', { version: '1.1.0', error: 'md5 mismatch' }, ago(30))
    const put = await adminFetch(core, 'PUT', `/api/admin/devices/${SEED.devices[0]}/schedule`, {
      alarms: [{ time: '08:00', label: 'AM', days: ['mon', 'tue', 'wed', 'thu', 'fri'] }]
    })
    expect(put.status).toBe(200)
  },
  timeoutMs: 120_000
})

/** The text a person sees or hears: visible text nodes plus labels, outside code and other-language spans. */
async function shownText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const lang = document.documentElement.lang
    const skip = (el: Element | null): boolean => {
      for (let e = el; e; e = e.parentElement) {
        if (['SCRIPT', 'STYLE', 'PRE', 'CODE', 'TEXTAREA', 'NOSCRIPT'].includes(e.tagName))
          return true
        const l = e.getAttribute('lang')
        if (l && l !== lang) return true
      }
      return false
    }
    const parts: string[] = []
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT)
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement
      if (!el || skip(el) || !n.textContent?.trim()) continue
      if (!el.checkVisibility() && !el.closest('.visually-hidden')) continue
      parts.push(n.textContent.trim())
    }
    for (const el of document.querySelectorAll('[aria-label], [placeholder], [title]')) {
      if (skip(el)) continue
      for (const a of ['aria-label', 'placeholder', 'title'])
        if (el.getAttribute(a)) parts.push(el.getAttribute(a)!)
    }
    parts.push(document.title)
    return parts.join('\n')
  })
}

async function expectOneLanguage(page: Page, lang: 'es' | 'en', where: string): Promise<void> {
  const text = await shownText(page)
  const other = lang === 'es' ? ENGLISH : SPANISH
  // The check reads real text: the page's own language is there.
  expect((lang === 'es' ? SPANISH : ENGLISH).test(text), `${where} has ${lang} text`).toBe(true)
  const places = placeNames(lang)
  const lines = text.split('\n').filter((l) => other.test(l) && !places.has(l))
  expect(lines, `${lang} page ${where} shows the other language`).toEqual([])
}

// Every view of the dashboard: each is also saved as a screenshot per language and width.
const VIEWS: Array<[string, (page: Page) => Promise<unknown>]> = [
  ['/today', (p) => p.getByTestId('today-device').first().waitFor()],
  ['/devices', (p) => p.getByRole('article').first().waitFor()],
  [`/device?id=${SEED.devices[0]}`, (p) => p.locator('.timeline__detail').first().waitFor()],
  ['/history', (p) => p.getByTestId('history-row').first().waitFor()],
  ['/alerts', (p) => p.getByTestId('alert-item').first().waitFor()],
  ['/schedules', (p) => p.locator('main h1').waitFor()],
  ['/adherence', (p) => p.locator('main h1').waitFor()],
  [`/report?device_id=${SEED.devices[0]}`, (p) => p.locator('main h1').waitFor()],
  ['/firmware', (p) => p.locator('main h1').waitFor()],
  ['/settings', (p) => p.locator('main h1').waitFor()],
  ['/no-such-page', (p) => p.locator('main h1').waitFor()]
]

async function settle(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle').catch(() => undefined)
  await page.evaluate(() => document.fonts.ready)
  // Loading placeholders say "Cargando…"/"Loading…": wait until none is left.
  await expect
    .poll(() => page.getByText(/^(Cargando…|Loading…)$/).count(), { timeout: 15_000 })
    .toBe(0)
}

describe('one language per session', () => {
  for (const lang of ['es', 'en'] as const) {
    test(`${lang}: every view and the error paths speak only ${lang}`, async () => {
      for (const [size, viewport] of Object.entries(WIDTHS)) {
        const h = await openPage(e2e.browser, e2e.core, { viewport })
        h.allowConsoleError(/status of (409|418|422)/)
        await h.context.addInitScript((l) => localStorage.setItem('pastillero.locale', l), lang)
        const { page } = h
        for (const [path, ready] of VIEWS) {
          await page.goto(path)
          await ready(page)
          await settle(page)
          expect(await page.evaluate(() => document.documentElement.lang)).toBe(lang)
          await expectOneLanguage(page, lang, path)
          const name = path.replace(/[^a-z]+/g, '-').replace(/^-|-$/g, '') || 'root'
          await screenshot(page, `lang-${name}-${lang}-${size}`)
        }
        if (size === 'desktop') {
          // Raw device fields are words now.
          await page.goto(`/device?id=${SEED.devices[0]}`)
          const detail = page.locator('.timeline__detail').filter({ hasText: /1/ }).first()
          await detail.waitFor()
          expect(await detail.textContent()).toBe(
            lang === 'es'
              ? 'Reinicio pedido desde el panel · arranque n.º 1'
              : 'Restart asked for from the dashboard · boot no. 1'
          )

          // Firmware errors: not an image, then a version already uploaded.
          await page.goto('/firmware')
          await page.locator('main h1').waitFor()
          await dropFile(page, PNG_BYTES, 'photo.png')
          await page.getByTestId('upload-button').click()
          const inline = page.locator('.upload-error')
          await inline.waitFor()
          expect(await inline.textContent()).toContain(
            lang === 'es' ? 'no es una imagen de firmware de ESP32' : 'not a valid ESP32 firmware'
          )
          await expectOneLanguage(page, lang, 'firmware: not an image')
          const version = lang === 'es' ? '3.0.1' : '3.0.2'
          for (let i = 0; i < 2; i++) {
            await dropFile(page, buildEsp32Image({ version }), `fw-${version}.bin`)
            await page.getByTestId('upload-button').click()
            if (i === 0) await page.getByRole('article', { name: version }).waitFor()
          }
          await expect
            .poll(() => inline.textContent())
            .toContain(
              lang === 'es'
                ? `La versión ${version} ya está subida`
                : `Version ${version} is already uploaded`
            )
          await expectOneLanguage(page, lang, 'firmware: version exists')

          // An error code this dashboard does not know: a generic sentence and the code.
          await page.route('**/api/admin/alerts**', (route) =>
            route.fulfill({
              status: 418,
              contentType: 'application/json',
              body: JSON.stringify({
                ok: false,
                error: { code: 'teapot-brewing', message: 'the teapot is brewing' }
              })
            })
          )
          await page.goto('/alerts')
          const unknown = page.getByText('teapot-brewing').first()
          await unknown.waitFor()
          expect(await unknown.textContent()).toContain(
            lang === 'es' ? 'Error inesperado del servidor' : 'Unexpected server error'
          )
          expect(await page.getByText('the teapot is brewing').count()).toBe(0)
          await expectOneLanguage(page, lang, 'alerts: unknown error code')
          await page.unroute('**/api/admin/alerts**')
        }
        await h.finish()

        // Signed out: the login page and a wrong password.
        const out = await openPage(e2e.browser, e2e.core, { signedIn: false, viewport })
        out.allowConsoleError(/status of 401/)
        await out.context.addInitScript((l) => localStorage.setItem('pastillero.locale', l), lang)
        await out.page.goto('/login')
        await out.page.locator('input[type=password]').fill('wrong password')
        await out.page.locator('input[type=password]').press('Enter')
        await out.page.getByRole('alert').first().waitFor()
        expect(await out.page.getByRole('alert').first().textContent()).toContain(
          lang === 'es' ? 'contraseña no son correctos' : 'password is not correct'
        )
        await expectOneLanguage(out.page, lang, '/login: wrong password')
        await screenshot(out.page, `lang-login-error-${lang}-${size}`)
        await out.finish()
      }
    })
  }
})
