import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createCore, type Core, type CoreOptions, type StartInfo } from '../../src/main/core/core'
import { createLogger, silentSink } from '../../src/main/core/lib/logger'

export const TEST_DEVICE_KEY = 'test-device-key-0123456789'
export const TEST_ADMIN_PASSWORD = 'correct horse battery'

export interface TestCore {
  core: Core
  info: StartInfo
  url: string
  dataDir: string
  deviceKey: string
  adminPassword: string
  /** Stops the core; the data dir is kept so a test can start another core on it. */
  stop(): Promise<void>
  /** Stops and deletes the data dir. */
  dispose(): Promise<void>
  /** Signs in and returns the Cookie header value to send with admin requests. */
  login(): Promise<string>
}

/**
 * Starts a real core on 127.0.0.1, port 0, with a temp data dir (or the given one) and a known key
 * and password. Serves the built dashboard from out/renderer when it exists.
 */
export async function startTestCore(
  overrides: Partial<CoreOptions> & {
    dataDir?: string
    env?: Record<string, string | undefined>
  } = {}
): Promise<TestCore> {
  const dataDir = overrides.dataDir ?? mkdtempSync(join(tmpdir(), 'pastillero-test-'))
  const core = createCore({
    defaultDataDir: dataDir,
    staticDir: resolve('out/renderer'),
    logger: createLogger('test', silentSink),
    // Most suites drive many device ids and fast heartbeats; tests of the limits pass their own.
    deviceLimits: {
      newDevices: { capacity: 1e6, perSecond: 1e6 },
      heartbeats: { capacity: 1e6, perSecond: 1e6 }
    },
    ...overrides,
    env: { API_SECRET_KEY: TEST_DEVICE_KEY, ADMIN_PASSWORD: TEST_ADMIN_PASSWORD, ...overrides.env },
    flags: { port: 0, host: '127.0.0.1', ...overrides.flags }
  })
  const info = await core.start()
  let stopped = false
  const stop = async () => {
    if (stopped) return
    stopped = true
    await core.stop()
  }
  return {
    core,
    info,
    url: info.url,
    dataDir,
    deviceKey: info.deviceKey,
    adminPassword: TEST_ADMIN_PASSWORD,
    stop,
    async dispose() {
      await stop()
      rmSync(dataDir, { recursive: true, force: true })
    },
    async login() {
      const res = await fetch(`${info.url}/api/admin/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ password: TEST_ADMIN_PASSWORD })
      })
      if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`)
      return res.headers.get('set-cookie')!.split(';')[0]!
    }
  }
}
