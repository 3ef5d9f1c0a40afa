/**
 * Compares how two builds of the dashboard look, for a change that must not change the look
 * (a stylesheet split, a refactor of CSS). One real core with seeded data; every view is opened
 * twice, once with each build's files (served to Chromium through a route, the API still answered
 * by the core), at phone and desktop width, light and dark, and the report in print media too.
 * The browser's clock is fixed, so "5 min ago" reads the same in both.
 *
 * It reports, per view: whether the full-page screenshots are equal pixel for pixel (decoded in
 * Chromium's canvas, so no PNG library is needed), and how many elements differ in any computed
 * style property (element, ::before and ::after) or in their box.
 *
 *   npx electron-vite build && cp -r out/renderer /tmp/before    # on the old commit
 *   npx electron-vite build                                       # on the new one
 *   npx tsx scripts/compare-renderer-builds.ts /tmp/before out/renderer [/tmp/compare-out]
 *   ONLY=devices npx tsx scripts/compare-renderer-builds.ts …     # some views only
 *
 * Exits 1 when anything differs; the differing screenshots and a JSON of style differences are
 * written to the output folder.
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { extname, join, resolve } from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import { adminFetch, SimDevice } from '../tests/e2e/helpers'
import { startTestCore, type TestCore } from '../tests/helpers/test-core'

const [dirA = '', dirB = '', outArg] = process.argv.slice(2)
if (!dirA || !dirB) {
  console.error('usage: tsx scripts/compare-renderer-builds.ts <buildA> <buildB> [outDir]')
  process.exit(2)
}
const OUT = resolve(outArg ?? 'test-results/compare-builds')
mkdirSync(OUT, { recursive: true })

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json'
}

const MIN = 60_000
const NOW = Date.now()
const ago = (ms: number) => new Date(NOW - ms).toISOString()
const EVERY_DAY = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']
const KITCHEN = 'AA:BB:CC:00:00:01'

async function seed(core: TestCore): Promise<void> {
  await adminFetch(core, 'PATCH', '/api/admin/settings', { time_zone: 'UTC' })
  const kitchen = new SimDevice(core, KITCHEN, {
    name: 'Pastillero Cocina',
    firmware_version: '1.2.0',
    ip_address: '192.168.1.50'
  })
  const bedroom = new SimDevice(core, 'AA:BB:CC:00:00:02', {
    name: 'Pastillero Dormitorio de la abuela',
    firmware_version: '1.1.3',
    ip_address: '192.168.1.51'
  })
  await Promise.all([kitchen.heartbeat(), bedroom.heartbeat()])
  // Two weeks of doses for the adherence and report pages, some late, some forgotten.
  const day = 24 * 60 * MIN
  for (let d = 13; d >= 1; d--) {
    const at = NOW - d * day
    await kitchen.event('alarm_triggered', { alarm_label: 'Desayuno' }, ago(NOW - at))
    await kitchen.event(
      'dose_taken',
      { alarm_label: 'Desayuno' },
      ago(NOW - at - (d % 5 === 0 ? 80 : 5) * MIN)
    )
    await kitchen.event('alarm_triggered', { alarm_label: 'Cena' }, ago(NOW - at - 12 * 60 * MIN))
    if (d % 4 !== 0)
      await kitchen.event(
        'dose_taken',
        { alarm_label: 'Cena' },
        ago(NOW - at - 12 * 60 * MIN - 9 * MIN)
      )
  }
  await kitchen.event('ota_start', { version: '1.2.0' }, ago(24 * 60 * MIN))
  await kitchen.event('ota_done', { version: '1.2.0' }, ago(24 * 60 * MIN - 3 * MIN))
  await kitchen.event('reboot', undefined, ago(24 * 60 * MIN - 2 * MIN))
  await kitchen.event('alarm_triggered', { alarm_label: 'Desayuno' }, ago(120 * MIN))
  await kitchen.event('dose_taken', { alarm_label: 'Desayuno' }, ago(118 * MIN))
  await kitchen.event('alarm_triggered', { alarm_label: 'Comida' }, ago(90 * MIN))
  await kitchen.event('alarm_triggered', { alarm_label: 'Merienda' }, ago(10 * MIN))
  await bedroom.event('ota_fail', { version: '1.2.0', error: 'md5 mismatch' }, ago(300 * MIN))
  const hhmm = (msAgo: number) => new Date(NOW - msAgo).toISOString().slice(11, 16)
  const saved = await adminFetch(core, 'PUT', `/api/admin/devices/${KITCHEN}/schedule`, {
    alarms: [
      {
        label: 'Desayuno',
        time: hhmm(120 * MIN),
        days: EVERY_DAY,
        medicine: 'Sintrom',
        dose: '1/2'
      },
      { label: 'Comida', time: hhmm(90 * MIN), days: EVERY_DAY },
      { label: 'Merienda', time: hhmm(10 * MIN), days: EVERY_DAY },
      { label: 'Cena', time: hhmm(-120 * MIN), days: ['mon', 'tue', 'wed', 'thu', 'fri'] }
    ]
  })
  if (saved.status !== 200) throw new Error(`schedule: ${JSON.stringify(saved.data)}`)
  await kitchen.heartbeat()
  // The server raises the alerts (the missed dose, the failed update) on its own sweep: wait
  // until the count holds still, or the first capture would miss the cards' alert badges.
  let last = -1
  for (let tries = 0; tries < 40; tries++) {
    const { data } = await adminFetch(core, 'GET', '/api/admin/alerts?open=true')
    const count = (data.alerts as unknown[]).length
    if (count > 0 && count === last) break
    last = count
    await new Promise((r) => setTimeout(r, 500))
  }
}

interface View {
  name: string
  path: string
  signedIn?: boolean
  /** A selector that is there once the view has its data. */
  ready: string
  /** Something to do after it is ready (open a dialog). */
  then?: (page: Page) => Promise<void>
  print?: boolean
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10)
const VIEWS: View[] = [
  { name: 'login', path: '/login', signedIn: false, ready: 'form' },
  { name: 'today', path: '/today', ready: '[data-testid="dose"]' },
  { name: 'devices', path: '/devices', ready: 'article' },
  {
    name: 'reboot-dialog',
    path: '/devices',
    ready: 'article',
    then: async (page) => {
      await page.getByRole('button', { name: 'Reiniciar' }).first().click()
      await page.getByRole('dialog').waitFor()
    }
  },
  { name: 'device', path: `/device?id=${KITCHEN}`, ready: '.timeline__item' },
  { name: 'history', path: '/history', ready: '[data-testid="history-row"]' },
  { name: 'schedules', path: `/schedules?device=${KITCHEN}`, ready: '.alarm-card' },
  { name: 'adherence', path: `/adherence?device=${KITCHEN}`, ready: '.adh-day' },
  {
    name: 'report',
    path: `/report?device_id=${KITCHEN}&from=${day(NOW - 13 * 24 * 60 * MIN)}&to=${day(NOW)}`,
    ready: '.report__calendars .adh-day',
    print: true
  },
  { name: 'alerts', path: '/alerts', ready: 'main h1' },
  { name: 'firmware', path: '/firmware', ready: '.dropzone' },
  { name: 'settings', path: '/settings', ready: '.settings-grid' },
  { name: 'not-found', path: '/no-such-page', ready: 'main h1' }
]

const VARIANTS = [
  { name: 'phone', viewport: { width: 390, height: 844 }, colorScheme: 'light' as const },
  { name: 'desktop', viewport: { width: 1280, height: 800 }, colorScheme: 'light' as const },
  { name: 'phone-dark', viewport: { width: 390, height: 844 }, colorScheme: 'dark' as const },
  { name: 'desktop-dark', viewport: { width: 1280, height: 800 }, colorScheme: 'dark' as const }
]

/**
 * Every element's computed style, keyed by document order, and its ::before/::after when they
 * are rendered (content other than none). Values only, in the order of `names`, to keep it small.
 */
function dumpStyles(): {
  names: string[]
  rows: Array<{ key: string; rect: string; values: string[] }>
} {
  const names = [...getComputedStyle(document.documentElement)]
  const rows: Array<{ key: string; rect: string; values: string[] }> = []
  document.querySelectorAll('*').forEach((el, i) => {
    const key = `${i}:${el.tagName.toLowerCase()}.${[...el.classList].join('.')}`
    const r = el.getBoundingClientRect()
    const rect = [r.x, r.y, r.width, r.height].map((n) => n.toFixed(2)).join(',')
    for (const pseudo of [null, '::before', '::after']) {
      const cs = getComputedStyle(el, pseudo)
      if (pseudo && cs.content === 'none') continue
      rows.push({
        key: pseudo ? key + pseudo : key,
        rect: pseudo ? '' : rect,
        values: names.map((n) => cs.getPropertyValue(n))
      })
    }
  })
  return { names, rows }
}

async function capture(
  browser: Browser,
  core: TestCore,
  cookie: { name: string; value: string },
  dir: string,
  view: View,
  variant: (typeof VARIANTS)[number],
  media: 'screen' | 'print'
): Promise<{ png: Buffer; styles: ReturnType<typeof dumpStyles> }> {
  const context = await browser.newContext({
    viewport: variant.viewport,
    colorScheme: variant.colorScheme,
    baseURL: core.url,
    locale: 'es-ES',
    timezoneId: 'UTC'
  })
  if (view.signedIn !== false) await context.addCookies([{ ...cookie, url: core.url }])
  // Everything but the API comes from the build being compared (index.html for app routes).
  await context.route(
    (url) => url.origin === core.url && !url.pathname.startsWith('/api/'),
    async (route) => {
      const { pathname } = new URL(route.request().url())
      let file = join(dir, pathname)
      if (!existsSync(file) || statSync(file).isDirectory()) file = join(dir, 'index.html')
      await route.fulfill({
        body: readFileSync(file),
        contentType: TYPES[extname(file)] ?? 'application/octet-stream'
      })
    }
  )
  const page = await context.newPage()
  await page.clock.setFixedTime(NOW + 30_000)
  await page.goto(view.path)
  await page.locator(view.ready).first().waitFor()
  await view.then?.(page)
  // Data that arrives after the view's first content (alert counts, the adoption window) must
  // be in both pictures: wait until the page has not changed for half a second (5 s at most).
  // A string, not a function: tsx would wrap a named inner function in a helper the page lacks.
  await page.evaluate(`new Promise((resolve) => {
    let quiet, cap, observer
    const done = () => {
      observer.disconnect()
      clearTimeout(quiet)
      clearTimeout(cap)
      resolve()
    }
    observer = new MutationObserver(() => {
      clearTimeout(quiet)
      quiet = setTimeout(done, 500)
    })
    observer.observe(document, { subtree: true, childList: true, characterData: true, attributes: true })
    quiet = setTimeout(done, 500)
    cap = setTimeout(done, 5000)
  })`)
  await page.emulateMedia({ media })
  await page.evaluate(() => document.fonts.ready)
  // Let any pending re-render settle (two frames).
  await page.evaluate(
    () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))
  )
  const png = await page.screenshot({ fullPage: true, animations: 'disabled' })
  const styles = await page.evaluate(dumpStyles)
  await context.close()
  return { png, styles }
}

/** Differing pixels between two PNGs, decoded by Chromium (size differences count as all). */
async function pixelDiff(page: Page, a: Buffer, b: Buffer): Promise<number> {
  if (a.equals(b)) return 0
  return page.evaluate(
    async ([a64, b64]) => {
      // Inline callbacks only: a named inner function would need tsx's __name helper in the page.
      const images = await Promise.all(
        [a64!, b64!].map(async (b) => {
          const img = await createImageBitmap(
            await (await fetch(`data:image/png;base64,${b}`)).blob()
          )
          const c = new OffscreenCanvas(img.width, img.height)
          const ctx = c.getContext('2d')!
          ctx.drawImage(img, 0, 0)
          return {
            w: img.width,
            h: img.height,
            data: ctx.getImageData(0, 0, img.width, img.height).data
          }
        })
      )
      const x = images[0]!
      const y = images[1]!
      if (x.w !== y.w || x.h !== y.h) return Math.max(x.w * x.h, y.w * y.h)
      let n = 0
      for (let i = 0; i < x.data.length; i += 4) {
        if (
          x.data[i] !== y.data[i] ||
          x.data[i + 1] !== y.data[i + 1] ||
          x.data[i + 2] !== y.data[i + 2] ||
          x.data[i + 3] !== y.data[i + 3]
        )
          n++
      }
      return n
    },
    [a.toString('base64'), b.toString('base64')]
  )
}

async function main(): Promise<void> {
  // The core's clock stands still, so no device goes offline halfway through the comparison.
  const core = await startTestCore({ presenceSweepMs: 500, clock: () => NOW })
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--font-render-hinting=none']
  })
  let failures = 0
  const report: Array<Record<string, unknown>> = []
  try {
    await seed(core)
    const res = await fetch(`${core.url}/api/admin/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ password: core.adminPassword })
    })
    const [name, value] = res.headers.get('set-cookie')!.split(';')[0]!.split('=') as [
      string,
      string
    ]
    const scratch = await (await browser.newContext()).newPage()
    // ONLY=devices,report narrows a run to some views (to recheck one that differed).
    const only = process.env.ONLY?.split(',')
    const views = VIEWS.filter((v) => !only || only.includes(v.name))
    // A first page load, thrown away: the very first one finds the server's caches cold and its
    // late data (alert counts) can land between the screenshot and the style dump.
    await capture(browser, core, { name, value }, dirA, views[0]!, VARIANTS[0]!, 'screen')
    for (const view of views) {
      const runs = VARIANTS.flatMap((v) => [
        { variant: v, media: 'screen' as const },
        ...(view.print ? [{ variant: v, media: 'print' as const }] : [])
      ])
      for (const { variant, media } of runs) {
        const label = `${view.name}-${variant.name}${media === 'print' ? '-print' : ''}`
        const a = await capture(browser, core, { name, value }, dirA, view, variant, media)
        const b = await capture(browser, core, { name, value }, dirB, view, variant, media)
        const pixels = await pixelDiff(scratch, a.png, b.png)
        const styleDiffs: Array<{ key: string; diff: Record<string, [string, string]> }> = []
        const { names } = a.styles
        const indexB = new Map(b.styles.names.map((n, p) => [n, p]))
        const structuralNames = names.length !== b.styles.names.length
        let structural = structuralNames || a.styles.rows.length !== b.styles.rows.length
        a.styles.rows.forEach((sa, i) => {
          const sb = b.styles.rows[i]
          if (!sb || sb.key !== sa.key) {
            structural = true
            return
          }
          const diff: Record<string, [string, string]> = {}
          if (sa.rect !== sb.rect) diff['(box)'] = [sa.rect, sb.rect]
          // Custom properties come in no fixed order, so B's values are looked up by name.
          names.forEach((n, p) => {
            const vb = sb.values[indexB.get(n) ?? -1]
            if (sa.values[p] !== vb) diff[n] = [sa.values[p]!, vb ?? '(none)']
          })
          if (Object.keys(diff).length) styleDiffs.push({ key: sa.key, diff })
        })
        const elements = a.styles.rows.filter((s) => !s.key.includes('::')).length
        const ok = pixels === 0 && styleDiffs.length === 0 && !structural
        if (!ok) {
          failures++
          writeFileSync(join(OUT, `${label}-a.png`), a.png)
          writeFileSync(join(OUT, `${label}-b.png`), b.png)
        }
        report.push({ label, elements, pixels, styleDiffs: styleDiffs.length, structural })
        if (styleDiffs.length)
          writeFileSync(join(OUT, `${label}-styles.json`), JSON.stringify(styleDiffs, null, 1))
        const img = await scratch.evaluate(async (b64) => {
          const bmp = await createImageBitmap(
            await (await fetch(`data:image/png;base64,${b64}`)).blob()
          )
          return `${bmp.width}x${bmp.height}`
        }, a.png.toString('base64'))
        console.log(
          `${ok ? 'same' : 'DIFF'}  ${label.padEnd(30)} ${img.padStart(10)} px, ${pixels} pixels differ; ` +
            `${elements} elements, ${styleDiffs.length} with a style difference${structural ? ', DOM differs' : ''}`
        )
      }
    }
  } finally {
    writeFileSync(join(OUT, 'report.json'), JSON.stringify(report, null, 1))
    await browser.close()
    await core.dispose()
  }
  console.log(`${report.length} captures compared, ${failures} differ`)
  process.exit(failures ? 1 : 0)
}

void main()
