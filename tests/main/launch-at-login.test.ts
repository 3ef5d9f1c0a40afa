import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { AutoLauncher } from '../../src/main/desktop/auto-launcher'
import { IPC } from '../../src/shared/ipc-contract'
import { electronMock } from '../mocks/electron'
import { launch } from './desktop-harness'

vi.mock('electron', () => import('../mocks/electron'))

const { app, ipcMain } = electronMock

describe('launch at login', () => {
  let dir: string
  beforeEach(() => {
    electronMock.reset()
    dir = mkdtempSync(join(tmpdir(), 'pastillero-autostart-'))
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  for (const platform of ['win32', 'darwin'] as const) {
    it(`${platform}: uses Electron's login item, starting hidden`, () => {
      const launcher = new AutoLauncher({ platform })
      expect(launcher.isEnabled()).toBe(false)
      expect(launcher.setEnabled(true)).toBe(true)
      expect(app.loginItemCalls.at(-1)).toEqual({
        openAtLogin: true,
        // Unpackaged the binary is electron itself: it needs the app folder first.
        args: [app.getAppPath(), '--hidden']
      })
      expect(launcher.setEnabled(false)).toBe(false)

      app.isPackaged = true
      launcher.setEnabled(true)
      expect(app.loginItemCalls.at(-1)).toEqual({ openAtLogin: true, args: ['--hidden'] })
    })
  }

  it('linux: writes and removes an XDG autostart entry', () => {
    app.isPackaged = true
    const launcher = new AutoLauncher({
      platform: 'linux',
      env: { XDG_CONFIG_HOME: dir, APPIMAGE: '/home/ana/Apps/Pastillero 0.1.0.AppImage' }
    })
    const file = join(dir, 'autostart', 'pastillero.desktop')
    expect(launcher.desktopFile()).toBe(file)
    expect(launcher.isEnabled()).toBe(false)

    expect(launcher.setEnabled(true)).toBe(true)
    const entry = readFileSync(file, 'utf8')
    expect(entry).toMatch(/^\[Desktop Entry\]\n/)
    expect(entry).toContain('Type=Application\n')
    // The AppImage file itself (not its temporary mount), quoted because of the space.
    expect(entry).toContain('Exec="/home/ana/Apps/Pastillero 0.1.0.AppImage" --hidden\n')
    expect(app.loginItemCalls).toEqual([]) // Electron's API does nothing on Linux

    expect(launcher.setEnabled(false)).toBe(false)
    expect(existsSync(file)).toBe(false)
    expect(launcher.setEnabled(false)).toBe(false) // idempotent
  })

  it('linux: quotes characters the Exec key treats specially', () => {
    app.isPackaged = true
    const launcher = new AutoLauncher({
      platform: 'linux',
      env: { XDG_CONFIG_HOME: dir },
      execPath: '/opt/pa$$ "x"/pastillero'
    })
    expect(launcher.desktopEntry()).toContain('Exec="/opt/pa\\$\\$ \\"x\\"/pastillero" --hidden\n')
  })

  it('knows when the OS started it', () => {
    const linux = new AutoLauncher({ platform: 'linux', env: { XDG_CONFIG_HOME: dir } })
    expect(linux.wasLaunchedAtLogin(['pastillero', '--hidden'])).toBe(true)
    expect(linux.wasLaunchedAtLogin(['pastillero'])).toBe(false)
    const mac = new AutoLauncher({ platform: 'darwin' })
    app.loginItem = { openAtLogin: true, wasOpenedAtLogin: true }
    expect(mac.wasLaunchedAtLogin(['Pastillero'])).toBe(true)
  })

  it('is a setting the window can read and change over IPC', async () => {
    const running = await launch()
    try {
      const from = { webContents: running.win.webContents }
      expect(await ipcMain.invoke(IPC.getLaunchAtLogin, from)).toBe(false)
      expect(await ipcMain.invoke(IPC.setLaunchAtLogin, from, true)).toBe(true)
      expect(await ipcMain.invoke(IPC.getLaunchAtLogin, from)).toBe(true)
      expect(running.desktop.autoLauncher.readDesktopEntry()).toContain(
        'Exec=/opt/Pastillero/pastillero'
      )
      expect(await ipcMain.invoke(IPC.setLaunchAtLogin, from, false)).toBe(false)
      expect(await ipcMain.invoke(IPC.getLaunchAtLogin, from)).toBe(false)
    } finally {
      await running.dispose()
    }
  })
})
