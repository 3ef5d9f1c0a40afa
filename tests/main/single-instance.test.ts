import { readdirSync } from 'node:fs'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { startDesktop } from '../../src/main/index'
import { electronMock } from '../mocks/electron'
import { desktopOptions, launch, newUserDataDir, type Launched } from './desktop-harness'

vi.mock('electron', () => import('../mocks/electron'))

const { app, BrowserWindow, Tray } = electronMock

describe('single instance', () => {
  let running: Launched | undefined
  beforeEach(() => electronMock.reset())
  afterEach(async () => {
    await running?.dispose()
    running = undefined
  })

  it('without the lock, a second launch quits before starting anything', async () => {
    app.lockAvailable = false
    const userData = newUserDataDir()
    expect(await startDesktop(desktopOptions(userData))).toBeUndefined()
    expect(app.lockRequested).toBe(true)
    expect(app.quitCalls).toBe(1)
    // No core (no database), no window, no tray: the first instance keeps everything.
    expect(readdirSync(userData)).toEqual([])
    expect(BrowserWindow.instances).toHaveLength(0)
    expect(Tray.instances).toHaveLength(0)
  })

  it('the first instance brings its window forward when launched again', async () => {
    running = await launch()
    const { win } = running
    win.close() // hidden in the tray
    expect(win.isVisible()).toBe(false)

    app.emit('second-instance', { preventDefault() {} }, ['pastillero'], '/home/ana')
    expect(win.isVisible()).toBe(true)
    expect(win.focused).toBe(true)

    win.minimize()
    app.emit('second-instance', { preventDefault() {} }, ['pastillero'], '/home/ana')
    expect(win.isMinimized()).toBe(false)
    expect(BrowserWindow.instances).toHaveLength(1)
  })

  it('a second launch during startup shows the window once it exists, even if started hidden', async () => {
    const userData = newUserDataDir()
    const starting = startDesktop(desktopOptions(userData, { argv: ['pastillero', '--hidden'] }))
    app.emit('second-instance', { preventDefault() {} }, ['pastillero'], '/')
    const desktop = (await starting)!
    running = {
      desktop,
      userData,
      win: desktop.window.browserWindow as never,
      quit: async () => {
        app.quit()
        await desktop.stopped
      },
      dispose: async () => {
        app.quit()
        await desktop.stopped
      }
    }
    expect(desktop.window.isVisible()).toBe(true)
  })
})
