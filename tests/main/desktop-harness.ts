/**
 * Starts the real desktop composition (src/main/index.ts) against the shared Electron mock, with a
 * real core on 127.0.0.1:0 and a temp userData dir. Each test file must itself call
 *   vi.mock('electron', () => import('../mocks/electron'))
 * (vi.mock is hoisted per file).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { startDesktop, type DesktopApp, type DesktopOptions } from '../../src/main/index'
import { AutoLauncher } from '../../src/main/desktop/auto-launcher'
import { createLogger, silentSink } from '../../src/main/core/lib/logger'
import { electronMock, type BrowserWindow } from '../mocks/electron'
import { TEST_ADMIN_PASSWORD, TEST_DEVICE_KEY } from '../helpers/test-core'

export interface Launched {
  desktop: DesktopApp
  userData: string
  /** The fake BrowserWindow the shell created. */
  win: BrowserWindow
  /** Quits through app.quit() and waits for the graceful stop. */
  quit(): Promise<void>
  dispose(): Promise<void>
}

export function newUserDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pastillero-desktop-'))
  electronMock.app.userDataDir = dir
  return dir
}

export function desktopOptions(userData: string, overrides: Partial<DesktopOptions> = {}) {
  return {
    bundleDir: resolve('out/main'),
    env: { API_SECRET_KEY: TEST_DEVICE_KEY, ADMIN_PASSWORD: TEST_ADMIN_PASSWORD },
    flags: { port: 0, host: '127.0.0.1' },
    discovery: false,
    argv: ['electron', '.'],
    logger: createLogger('test', silentSink),
    // Never touch the real ~/.config/autostart from a test.
    autoLauncher: new AutoLauncher({
      platform: 'linux',
      env: { XDG_CONFIG_HOME: join(userData, 'xdg-config') },
      execPath: '/opt/Pastillero/pastillero'
    }),
    quitTimeoutMs: 5000,
    ...overrides
  } satisfies DesktopOptions
}

export async function launch(overrides: Partial<DesktopOptions> = {}): Promise<Launched> {
  const userData = newUserDataDir()
  const desktop = await startDesktop(desktopOptions(userData, overrides))
  if (!desktop) {
    rmSync(userData, { recursive: true, force: true })
    throw new Error(`the desktop did not start: ${JSON.stringify(electronMock.dialog.errorBoxes)}`)
  }
  const win = desktop.window.browserWindow as unknown as BrowserWindow
  let quitted = false
  const quit = async () => {
    if (quitted) return
    quitted = true
    electronMock.app.quit()
    await desktop.stopped
  }
  return {
    desktop,
    userData,
    win,
    quit,
    async dispose() {
      await quit()
      rmSync(userData, { recursive: true, force: true })
    }
  }
}

/** A heartbeat over real HTTP, as a dispenser sends it. */
export async function heartbeat(url: string, deviceId: string, name = 'Pastillero Cocina') {
  const res = await fetch(`${url}/api/devices/heartbeat`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': TEST_DEVICE_KEY },
    body: JSON.stringify({
      device_id: deviceId,
      name,
      firmware_version: '1.0.0',
      ip_address: '192.168.1.50',
      status: 'online'
    })
  })
  if (res.status !== 200) throw new Error(`heartbeat: ${res.status} ${await res.text()}`)
}
