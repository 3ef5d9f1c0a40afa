import type { Page } from 'playwright-core'
import { describe, expect, test } from 'vitest'
import { DESKTOP, PHONE, screenshot, SimDevice, useE2E } from './helpers'

/** The phone's bottom bar: every section within the thumb's reach at 390 px, always on screen. */
const e2e = useE2E({
  seed: async (core) => {
    await new SimDevice(core, 'AA:BB:CC:00:88:01', { name: 'Pastillero Cocina' }).heartbeat()
  }
})

const BAR = [
  ['Hoy', 'Hoy'],
  ['Alertas', 'Alertas'],
  ['Horarios', 'Horarios'],
  ['Adherencia', 'Adherencia']
] as const
const MORE = [
  ['Dispositivos', 'Dispositivos'],
  ['Historial', 'Historial'],
  ['Firmware', 'Firmware'],
  ['Ajustes', 'Ajustes']
] as const

/** The bar lies inside the viewport, at its bottom edge, whatever the scroll position. */
async function barOnScreen(page: Page): Promise<void> {
  const bar = page.getByTestId('phone-bar')
  const box = (await bar.boundingBox())!
  expect(box).not.toBeNull()
  expect(box.width).toBe(PHONE.width)
  expect(Math.round(box.y + box.height)).toBe(PHONE.height)
  // Big enough for a thumb (Apple and Google say 44-48 px).
  const links = bar.locator('.phonebar__list > li > *')
  for (const b of await links.all())
    expect((await b.boundingBox())!.height).toBeGreaterThanOrEqual(48)
}

describe('phone navigation', () => {
  test('at 390 px a fixed bottom bar reaches every section; "Más" opens the rest', async () => {
    const { page } = await e2e.open({ viewport: PHONE })
    await page.goto('/devices')
    await page.locator('main h1').waitFor()
    const bar = page.getByTestId('phone-bar')
    await bar.waitFor()
    // The old top strip is gone on phones: nothing hides off-screen.
    expect(await page.getByRole('navigation', { name: 'Navegación principal' }).isVisible()).toBe(
      false
    )
    await barOnScreen(page)
    expect(await bar.locator('.phonebar__list > li').count()).toBe(5)

    for (const [link, title] of BAR) {
      await bar.getByRole('link', { name: link, exact: true }).click()
      await expect.poll(() => page.title()).toBe(`${title} · Pastillero`)
      expect(
        await bar.getByRole('link', { name: link, exact: true }).getAttribute('aria-current')
      ).toBe('page')
      // Scrolled to the end of a long page, the bar is still there.
      await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight))
      await barOnScreen(page)
    }

    const more = bar.getByRole('button', { name: 'Más' })
    for (const [link, title] of MORE) {
      await more.click()
      expect(await more.getAttribute('aria-expanded')).toBe('true')
      const sheet = bar.getByRole('group', { name: 'Más secciones' })
      await sheet.waitFor()
      if (link === 'Historial') await screenshot(page, 'phone-bar-more-phone', false)
      await sheet.getByRole('link', { name: link, exact: true }).click()
      await expect.poll(() => page.title()).toBe(`${title} · Pastillero`)
      // Navigating closes the sheet; "Más" shows where we are.
      await sheet.waitFor({ state: 'detached' })
      expect(await more.getAttribute('class')).toContain('phonebar__link--active')
      await barOnScreen(page)
    }
    // Escape closes the sheet too; the API documentation is one tap away.
    await more.click()
    expect(
      await bar.getByRole('link', { name: 'Documentación de la API' }).getAttribute('href')
    ).toBe('/docs')
    await page.keyboard.press('Escape')
    await bar.getByRole('group').waitFor({ state: 'detached' })

    // A page inside a section lights that section up: a device page is under "Más"
    // (Dispositivos), a report under Adherencia.
    await page.goto('/device?id=AA:BB:CC:00:88:01')
    await page.locator('main h1').waitFor()
    expect(await more.getAttribute('class')).toContain('phonebar__link--active')
    await page.goto('/report?device_id=AA:BB:CC:00:88:01')
    await page.locator('main h1').waitFor()
    expect(
      await bar.getByRole('link', { name: 'Adherencia', exact: true }).getAttribute('aria-current')
    ).toBe('page')
    await screenshot(page, 'phone-bar-phone', false)
  })

  test('at 1280 px the side navigation stays and the bar is hidden', async () => {
    const { page } = await e2e.open({ viewport: DESKTOP })
    await page.goto('/devices')
    await page.locator('main h1').waitFor()
    expect(await page.getByTestId('phone-bar').isVisible()).toBe(false)
    const side = page.getByRole('navigation', { name: 'Navegación principal' })
    expect(await side.isVisible()).toBe(true)
    expect(
      await side.getByRole('link', { name: 'Documentación de la API' }).getAttribute('href')
    ).toBe('/docs')
    await screenshot(page, 'phone-bar-hidden-desktop', false)
  })
})
