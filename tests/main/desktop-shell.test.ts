import Database from 'better-sqlite3'
import { existsSync, mkdirSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { startDesktop } from '../../src/main/index'
import { SESSION_COOKIE } from '../../src/main/core/admin/auth'
import { createLogger } from '../../src/main/core/lib/logger'
import { electronMock, type FakeMenu } from '../mocks/electron'
import { desktopOptions, heartbeat, launch, newUserDataDir, type Launched } from './desktop-harness'

vi.mock('electron', () => import('../mocks/electron'))

const { app, Tray, Notification, dialog } = electronMock

function trayMenu(): FakeMenu {
  const tray = Tray.instances.at(-1)
  if (!tray?.menu) throw new Error('no tray menu')
  return tray.menu
}

describe('desktop shell', () => {
  let running: Launched | undefined
  beforeEach(() => electronMock.reset())
  afterEach(async () => {
    await running?.dispose()
    running = undefined
  })

  it('starts the core in userData and opens a window on its URL', async () => {
    running = await launch()
    const { desktop, win, userData } = running
    expect(desktop.core.config.dataDir).toBe(userData)
    expect(existsSync(join(userData, 'pastillero.db'))).toBe(true)
    expect(desktop.core.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(win.loadedUrls).toEqual([desktop.core.url])
    expect(win.isVisible()).toBe(true)
    expect((await fetch(`${desktop.core.url}/api/health`)).status).toBe(200)
  })

  it('signs the window in: an HttpOnly, SameSite=Strict session cookie the core accepts', async () => {
    running = await launch()
    const { desktop, win } = running
    const cookies = await win.webContents.session.cookies.get({ url: desktop.core.url })
    expect(cookies).toHaveLength(1)
    const cookie = cookies[0]!
    expect(cookie).toMatchObject({
      url: desktop.core.url,
      name: SESSION_COOKIE,
      path: '/',
      httpOnly: true,
      sameSite: 'strict'
    })
    // Set before the page loaded, so the very first request was already signed in.
    expect(win.webContents.lastResponse).toBeDefined()

    const res = await fetch(`${desktop.core.url}/api/admin/session`, {
      headers: { cookie: `${cookie.name}=${cookie.value}` }
    })
    // The window is the first admin account.
    expect(await res.json()).toMatchObject({
      ok: true,
      signed_in: true,
      account: { id: 1, name: 'admin', role: 'admin' }
    })
    const devices = await fetch(`${desktop.core.url}/api/admin/devices`, {
      headers: { cookie: `${cookie.name}=${cookie.value}` }
    })
    expect(devices.status).toBe(200)

    const forged = await fetch(`${desktop.core.url}/api/admin/session`, {
      headers: { cookie: `${SESSION_COOKIE}=not-a-real-token` }
    })
    expect(await forged.json()).toEqual({ ok: true, signed_in: false })
  })

  it('closing the window hides it to the tray; the core keeps serving', async () => {
    running = await launch()
    const { desktop, win } = running
    win.close()
    expect(win.isDestroyed()).toBe(false)
    expect(win.isVisible()).toBe(false)
    expect((await fetch(`${desktop.core.url}/api/health`)).status).toBe(200)
    expect(app.exitCode).toBeUndefined()

    // The last window "closed" must not quit a tray app.
    app.emit('window-all-closed')
    expect(app.quitCalls).toBe(0)

    trayMenu().item('Abrir Pastillero').click!()
    expect(win.isVisible()).toBe(true)
    win.hide()
    Tray.instances.at(-1)!.emit('click')
    expect(win.isVisible()).toBe(true)
  })

  it('the tray menu has open, a status line and quit, with an icon file that exists', async () => {
    running = await launch()
    const tray = Tray.instances.at(-1)!
    expect(tray.imageIsEmpty).toBe(false)
    expect((tray.image as { path: string }).path).toMatch(/build[\\/]runtime[\\/]tray\.png$/)
    expect(trayMenu().labels).toEqual(['Abrir Pastillero', '0 en línea / 0 sin conexión', 'Salir'])
    expect(trayMenu().item(/en línea/).enabled).toBe(false)
    expect(tray.tooltip).toContain('0 en línea / 0 sin conexión')
  })

  it('"Salir" stops the core (HTTP and database) before the process exits', async () => {
    running = await launch()
    const { desktop, win } = running
    const url = desktop.core.url
    const stop = vi.spyOn(desktop.core, 'stop')

    trayMenu().item('Salir').click!()
    // before-quit was cancelled so the stop can finish first; nothing has exited yet.
    expect(app.exitCode).toBeUndefined()
    app.quit() // impatient second request: still one stop
    await desktop.stopped

    expect(stop).toHaveBeenCalledTimes(1)
    expect(app.exitCode).toBe(0)
    expect(desktop.core.db.open).toBe(false)
    await expect(fetch(`${url}/api/health`)).rejects.toThrow()
    expect(win.isDestroyed()).toBe(true)
    expect(Tray.instances.at(-1)!.destroyed).toBe(true)
  })

  it('follows dispensers: tray status line and OS notifications in the family language and zone; a click opens the window', async () => {
    let now = Date.now()
    running = await launch({ clock: () => now })
    const { desktop, win } = running
    const url = desktop.core.url

    await heartbeat(url, 'AA:BB:CC:00:00:01', 'Cocina')
    expect(trayMenu().labels).toContain('1 en línea / 0 sin conexión')
    const first = Notification.instances.at(-1)!
    expect(first.shown).toBe(true)
    expect(first.title).toBe('Nuevo pastillero: Cocina')

    // The dispenser goes quiet: an hour passes without a beat and the presence sweep notices.
    now += 3_600_000
    desktop.core.services.devices.sweepPresence()
    expect(trayMenu().labels).toContain('0 en línea / 1 sin conexión')
    const offline = Notification.instances.at(-1)!
    expect(offline.title).toBe('Cocina: sin conexión')
    expect(offline.body).toMatch(/^El pastillero «Cocina» dejó de comunicarse/)

    win.hide()
    offline.click()
    expect(win.isVisible()).toBe(true)

    // Back online with its last beat at 10:00 UTC.
    now = Date.parse('2030-01-01T10:00:00.000Z')
    await heartbeat(url, 'AA:BB:CC:00:00:01', 'Cocina')
    expect(trayMenu().labels).toContain('1 en línea / 0 sin conexión')
    expect(Notification.instances.at(-1)!.body).toBe('El pastillero «Cocina» volvió a conectarse.')
    expect(Notification.instances).toHaveLength(3)

    // The family's language and zone, not the machine's: English, last contact on Tokyo time.
    desktop.core.services.settings.update({ language: 'en', time_zone: 'Asia/Tokyo' })
    now += 3_600_000
    desktop.core.services.devices.sweepPresence()
    const english = Notification.instances.at(-1)!
    expect(english.title).toBe('Cocina: offline')
    // 10:00 UTC is 19:00 in Tokyo.
    expect(english.body).toBe(
      'The dispenser "Cocina" stopped reporting (last contact at 19:00). Check that it is plugged in and on Wi-Fi.'
    )
  })

  it('launched at login (--hidden) it starts in the tray with the window hidden', async () => {
    running = await launch({ argv: ['pastillero', '--hidden'] })
    expect(running.win.isVisible()).toBe(false)
    expect(Tray.instances).toHaveLength(1)
  })
})

describe('a quit during start-up', () => {
  beforeEach(() => electronMock.reset())

  /** Quits at the chosen moment; resolves with what a stop must have left behind. */
  async function quitDuringStartup(moment: 'before ready' | 'the core listens') {
    const userData = newUserDataDir()
    let port: string | undefined
    const logger = createLogger('test', (_level, _scope, message) => {
      const listening = /^listening on 127\.0\.0\.1:(\d+)$/.exec(message)
      if (listening && moment === 'the core listens') {
        port = listening[1]
        app.quit()
      }
    })
    const starting = startDesktop(desktopOptions(userData, { logger }))
    if (moment === 'before ready') app.quit()
    expect(await starting).toBeUndefined() // resolved once the quit has stopped the core
    expect(app.exitCode).toBe(0)
    expect(electronMock.BrowserWindow.instances).toHaveLength(0)
    expect(Tray.instances).toHaveLength(0)
    expect(dialog.errorBoxes).toEqual([])
    return { userData, port }
  }

  for (const moment of ['before ready', 'the core listens'] as const) {
    it(`${moment}: waits for the start, stops the core, closes the database cleanly`, async () => {
      const { userData, port } = await quitDuringStartup(moment)
      if (port) await expect(fetch(`http://127.0.0.1:${port}/api/health`)).rejects.toThrow()
      // Closed cleanly: the WAL was checkpointed and removed with the last connection.
      expect(existsSync(join(userData, 'pastillero.db-wal'))).toBe(false)
      const db = new Database(join(userData, 'pastillero.db'))
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
      db.close()
    })
  }
})

describe('desktop shell startup errors', () => {
  beforeEach(() => electronMock.reset())

  const expectFriendlyError = (pattern: RegExp) => {
    expect(dialog.errorBoxes).toHaveLength(1)
    const box = dialog.errorBoxes[0]!
    expect(box.title).toBe('Pastillero no pudo iniciarse')
    expect(box.content).toMatch(pattern)
    expect(box.content).not.toMatch(/\n\s+at /) // no stack trace
    expect(app.quitCalls).toBe(1)
    expect(electronMock.BrowserWindow.instances).toHaveLength(0)
  }

  it('port in use', async () => {
    const blocker: Server = createServer()
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r))
    const port = (blocker.address() as { port: number }).port
    try {
      const userData = newUserDataDir()
      const result = await startDesktop(
        desktopOptions(userData, { flags: { port, host: '127.0.0.1' } })
      )
      expect(result).toBeUndefined()
      expectFriendlyError(new RegExp(`El puerto ${port} ya está en uso`))
      // The database the failed core opened was closed again.
      const db = new Database(join(userData, 'pastillero.db'))
      expect(db.pragma('user_version', { simple: true })).toBeGreaterThan(0)
      db.close()
    } finally {
      blocker.close()
    }
  })

  it('a database from a newer version', async () => {
    const userData = newUserDataDir()
    mkdirSync(userData, { recursive: true })
    const db = new Database(join(userData, 'pastillero.db'))
    db.pragma('user_version = 9999')
    db.close()
    expect(await startDesktop(desktopOptions(userData))).toBeUndefined()
    expectFriendlyError(/versión más nueva de Pastillero/)
  })

  it('a bad setting in the environment names the variable', async () => {
    const userData = newUserDataDir()
    const options = desktopOptions(userData, { env: { PASTILLERO_PORT: 'eighty' }, flags: {} })
    expect(await startDesktop(options)).toBeUndefined()
    expectFriendlyError(/La configuración no es válida:\nPASTILLERO_PORT/)
  })
})
