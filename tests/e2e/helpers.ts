import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, expect } from 'vitest'
import { startTestCore, type TestCore } from '../helpers/test-core'

/** Shared plumbing for the dashboard tests: a real Chromium against a real core. */

const ROOT = resolve(import.meta.dirname, '../..')
const RENDERER_INDEX = join(ROOT, 'out/renderer/index.html')
const SOURCES = [join(ROOT, 'src/renderer'), join(ROOT, 'src/shared')]
const LOCK = join(ROOT, 'out/.renderer-build-lock')

function newestMtime(dir: string): number {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    const mtime = entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs
    if (mtime > newest) newest = mtime
  }
  return newest
}

function rendererIsFresh(): boolean {
  if (!existsSync(RENDERER_INDEX)) return false
  const built = statSync(RENDERER_INDEX).mtimeMs
  return SOURCES.every((dir) => newestMtime(dir) <= built)
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/**
 * Builds the dashboard when out/renderer is missing or older than its sources (CI builds first,
 * so there this is a no-op). Test files run in parallel, so one builds and the others wait.
 */
export async function ensureRendererBuilt(): Promise<void> {
  const deadline = Date.now() + 180_000
  while (!rendererIsFresh()) {
    mkdirSync(join(ROOT, 'out'), { recursive: true })
    let locked = false
    try {
      mkdirSync(LOCK)
      locked = true
    } catch {
      // Another file is building; a lock older than 3 minutes is from a crashed run.
      if (Date.now() - statSync(LOCK, { throwIfNoEntry: false })!.mtimeMs > 180_000)
        rmSync(LOCK, { recursive: true, force: true })
    }
    if (locked) {
      try {
        if (!rendererIsFresh()) {
          execFileSync('npx', ['electron-vite', 'build'], { cwd: ROOT, stdio: 'pipe' })
        }
      } catch (err) {
        const out = (err as { stdout?: Buffer; stderr?: Buffer }).stderr?.toString() ?? ''
        throw new Error(`the dashboard did not build (npx electron-vite build):\n${out}`)
      } finally {
        rmSync(LOCK, { recursive: true, force: true })
      }
      if (!rendererIsFresh())
        throw new Error('out/renderer is still missing after npx electron-vite build')
      return
    }
    if (Date.now() > deadline) throw new Error('timed out waiting for another dashboard build')
    await sleep(250)
  }
}

/**
 * Debian's Chromium with the flags testing.md prescribes. Playwright itself gives every launch a
 * fresh temporary profile (it refuses a --user-data-dir argument), so no state leaks between runs.
 */
export async function launchBrowser(): Promise<{ browser: Browser; close(): Promise<void> }> {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync'
    ]
  })
  return {
    browser,
    async close() {
      await browser.close()
    }
  }
}

export const DESKTOP = { width: 1280, height: 800 }
export const PHONE = { width: 390, height: 844 }
/** The two widths every view is pictured at. */
export const WIDTHS = { desktop: DESKTOP, phone: PHONE } as const

export interface PageHarness {
  context: BrowserContext
  page: Page
  /** Console errors and page errors seen so far. */
  errors: string[]
  /**
   * Declares network errors this test provokes on purpose. Chromium logs every 4xx response as
   * "Failed to load resource", so a test that makes the API answer 401/422 lists that status.
   */
  allowConsoleError(pattern: RegExp): void
  /** Fails the test on any console error or page error not allowed above; closes the context. */
  finish(): Promise<void>
}

/** Signs in over HTTP and returns the session cookie as name and value. */
export async function signIn(
  core: TestCore,
  password = core.adminPassword
): Promise<{ name: string; value: string }> {
  const res = await fetch(`${core.url}/api/admin/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ password })
  })
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`)
  const [name, value] = res.headers.get('set-cookie')!.split(';')[0]!.split('=') as [string, string]
  return { name, value }
}

export async function openPage(
  browser: Browser,
  core: TestCore,
  options: {
    signedIn?: boolean
    password?: string
    viewport?: { width: number; height: number }
    clipboard?: boolean
  } = {}
): Promise<PageHarness> {
  const context = await browser.newContext({
    viewport: options.viewport ?? DESKTOP,
    baseURL: core.url,
    acceptDownloads: true,
    locale: 'es-ES',
    timezoneId: 'Europe/Madrid'
  })
  if (options.clipboard) {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: core.url })
  }
  if (options.signedIn ?? true) {
    // What the Electron main process does for its window: put a valid session cookie in place.
    const { name, value } = await signIn(core, options.password)
    await context.addCookies([{ name, value, url: core.url }])
  }
  const page = await context.newPage()
  const errors: string[] = []
  const allowed: RegExp[] = []
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console.error: ${msg.text()}`)
  })
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`))
  return {
    context,
    page,
    errors,
    allowConsoleError: (pattern) => allowed.push(pattern),
    async finish() {
      await context.close()
      // Only network-level failures can be allowed, never an error the app itself logs.
      const network = (e: string) =>
        e.includes('Failed to load resource') || /net::ERR_[A-Z_]+/.test(e)
      const unexpected = errors.filter((e) => !(network(e) && allowed.some((p) => p.test(e))))
      expect(unexpected, 'browser console errors').toEqual([])
    }
  }
}

export type OpenOptions = Parameters<typeof openPage>[2]

export interface E2E {
  /** The core this file started; a test that restarts it (reconnect) assigns the new one here. */
  core: TestCore
  readonly browser: Browser
  /**
   * Opens a page on this file's browser (and its core, unless `core` names another). After the
   * test the page is closed and the test fails on any console error it did not allow.
   */
  open(options?: OpenOptions & { core?: TestCore }): Promise<PageHarness>
  /** Finishes the page opened last right away, for a test that opens one page after another. */
  finish(): Promise<void>
}

/**
 * The per-file setup every dashboard test shares: build the dashboard, start a core (unless
 * `startCore` is false: files that start one per test), launch Chromium, seed data; after each
 * test finish the page it opened (the console-error check), after all close everything.
 */
export function useE2E(
  setup: {
    /** Starts this file's core; the default is a core with a fast presence sweep. */
    startCore?: (() => Promise<TestCore>) | false
    /** Seeds the core once the browser is up. */
    seed?: (core: TestCore) => Promise<void>
    /** For a long seed: the beforeAll timeout in ms. */
    timeoutMs?: number
    /** Runs after the browser is closed and the core disposed (fake Telegram, per-test cores). */
    teardown?: () => Promise<void>
  } = {}
): E2E {
  let core: TestCore | undefined
  let browser: Browser | undefined
  let closeBrowser: (() => Promise<void>) | undefined
  let harness: PageHarness | undefined

  beforeAll(async () => {
    await ensureRendererBuilt()
    if (setup.startCore !== false)
      core = await (setup.startCore ?? (() => startTestCore({ presenceSweepMs: 500 })))()
    ;({ browser, close: closeBrowser } = await launchBrowser())
    if (setup.seed) await setup.seed(core!)
  }, setup.timeoutMs)
  afterEach(async () => {
    await harness?.finish()
    harness = undefined
  })
  afterAll(async () => {
    await closeBrowser?.()
    await core?.dispose()
    await setup.teardown?.()
  })

  const sharedCore = (): TestCore => {
    if (!core) throw new Error('this file starts no shared core (startCore: false)')
    return core
  }

  return {
    get core() {
      return sharedCore()
    },
    set core(next) {
      core = next
    },
    get browser() {
      return browser!
    },
    async open(options = {}) {
      const { core: own, ...rest } = options
      harness = await openPage(browser!, own ?? sharedCore(), rest)
      return harness
    },
    async finish() {
      const current = harness
      harness = undefined
      await current?.finish()
    }
  }
}

/** A dispenser simulated with plain HTTP, speaking the seed's device API. */
export class SimDevice {
  constructor(
    private readonly core: TestCore,
    readonly id: string,
    readonly fields: { name?: string; firmware_version?: string; ip_address?: string } = {}
  ) {}

  private async post(path: string, body: unknown): Promise<Record<string, unknown>> {
    const res = await fetch(`${this.core.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': this.core.deviceKey },
      body: JSON.stringify(body)
    })
    const data = (await res.json()) as Record<string, unknown>
    if (!res.ok) throw new Error(`${path} answered ${res.status}: ${JSON.stringify(data)}`)
    return data
  }

  heartbeat(extra: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    return this.post('/api/devices/heartbeat', {
      device_id: this.id,
      status: 'online',
      ...this.fields,
      ...extra
    })
  }

  event(
    type: string,
    payload?: Record<string, unknown>,
    timestamp?: string | number,
    event_id?: string
  ): Promise<Record<string, unknown>> {
    return this.post('/api/events/', { device_id: this.id, type, payload, timestamp, event_id })
  }
}

/** Calls the admin API from the test (not the browser) with a fresh session. */
export async function adminFetch(
  core: TestCore,
  method: string,
  path: string,
  body?: unknown
): Promise<{ status: number; data: Record<string, unknown> }> {
  const cookie = await core.login()
  const res = await fetch(`${core.url}${path}`, {
    method,
    headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body)
  })
  return { status: res.status, data: (await res.json()) as Record<string, unknown> }
}

/** Fails when the page scrolls sideways: every view must fit the viewport's width. */
export async function noSideScroll(page: Page): Promise<void> {
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth
  )
  expect(overflow, `horizontal overflow on ${page.url()}`).toBeLessThanOrEqual(0)
}

const SCREENSHOT_DIR = join(ROOT, 'test-results/screenshots')

export async function screenshot(page: Page, name: string, fullPage = true): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true })
  const path = join(SCREENSHOT_DIR, `${name}.png`)
  await page.screenshot({ path, fullPage })
  return path
}

/** Once the fonts are in: a screenshot, then the check that nothing scrolls sideways. */
export async function screenshotFits(page: Page, name: string): Promise<void> {
  await page.evaluate(() => document.fonts.ready)
  await screenshot(page, name)
  await noSideScroll(page)
}

/**
 * Drags a file over the page and drops it the way a browser does (dragenter, dragover, drop
 * carrying a DataTransfer with a File), on `target` — anywhere on the page, not the drop zone.
 */
export async function dropFile(page: Page, bytes: Buffer, name: string, target = 'main h1') {
  const dataTransfer = await page.evaluateHandle(
    ({ base64, fileName }) => {
      const binary = atob(base64)
      const data = Uint8Array.from(binary, (c) => c.charCodeAt(0))
      const transfer = new DataTransfer()
      transfer.items.add(new File([data], fileName, { type: 'application/octet-stream' }))
      return transfer
    },
    { base64: bytes.toString('base64'), fileName: name }
  )
  const element = page.locator(target).first()
  await element.dispatchEvent('dragenter', { dataTransfer })
  await element.dispatchEvent('dragover', { dataTransfer })
  // While files are held over the page an overlay says where they go.
  await page.getByTestId('drop-overlay').waitFor()
  await element.dispatchEvent('drop', { dataTransfer })
  await page.getByTestId('drop-overlay').waitFor({ state: 'detached' })
  await dataTransfer.dispose()
}
