import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { IPC, ipcContract } from '../../src/shared/ipc-contract'
import { BrowserWindow, FakeWebFrame, electronMock } from '../mocks/electron'
import { launch, type Launched } from './desktop-harness'

vi.mock('electron', () => import('../mocks/electron'))

const { ipcMain, shell, app } = electronMock

describe('IPC chokepoint', () => {
  let running: Launched
  const fromMain = () => ({ webContents: running.win.webContents })

  beforeAll(async () => {
    electronMock.reset()
    running = await launch()
  })
  afterAll(() => running.dispose())

  it('registers exactly the channels of the contract', () => {
    expect([...ipcMain.handlers.keys()].sort()).toEqual(Object.keys(ipcContract).sort())
  })

  it('answers a good call from the main window', async () => {
    expect(await ipcMain.invoke(IPC.appVersion, fromMain())).toBe(app.getVersion())
    expect(await ipcMain.invoke(IPC.getLaunchAtLogin, fromMain())).toBe(false)
    await ipcMain.invoke(IPC.openDataFolder, fromMain())
    expect(shell.openedPaths).toEqual([running.desktop.core.config.dataDir])
    await ipcMain.invoke(IPC.revealLogs, fromMain())
    expect(shell.shownItems).toEqual([running.desktop.core.config.dataDir]) // no log written yet
    mkdirSync(join(running.desktop.core.config.dataDir, 'logs'))
    await ipcMain.invoke(IPC.revealLogs, fromMain())
    expect(shell.shownItems.at(-1)).toBe(join(running.desktop.core.config.dataDir, 'logs'))
  })

  it('refuses a frame showing another origin', async () => {
    const frame = new FakeWebFrame()
    frame.url = 'https://evil.example/'
    await expect(
      ipcMain.invoke(IPC.appVersion, { webContents: running.win.webContents, frame })
    ).rejects.toThrow(/refused: sent from https:\/\/evil\.example/)
  })

  it('refuses another window, even on the core origin', async () => {
    const intruder = new BrowserWindow({})
    await intruder.loadURL(running.desktop.core.url)
    await expect(
      ipcMain.invoke(IPC.setLaunchAtLogin, { webContents: intruder.webContents }, true)
    ).rejects.toThrow(/other than the main window/)
    intruder.destroy()
    expect(await ipcMain.invoke(IPC.getLaunchAtLogin, fromMain())).toBe(false)
  })

  it('refuses a subframe and a frame that is gone', async () => {
    const sub = new FakeWebFrame(running.win.webContents.mainFrame)
    sub.url = running.desktop.core.url
    await expect(
      ipcMain.invoke(IPC.appVersion, { webContents: running.win.webContents, frame: sub })
    ).rejects.toThrow(/subframe/)
    await expect(
      ipcMain.invoke(IPC.appVersion, { webContents: running.win.webContents, frame: null })
    ).rejects.toThrow(/frame is gone/)
  })

  it('refuses arguments that do not match the contract, and changes nothing', async () => {
    const bad: unknown[][] = [['yes'], [1], [], [true, 'extra'], [{ enabled: true }]]
    for (const args of bad) {
      await expect(ipcMain.invoke(IPC.setLaunchAtLogin, fromMain(), ...args)).rejects.toThrow(
        /refused: bad arguments/
      )
    }
    await expect(ipcMain.invoke(IPC.appVersion, fromMain(), 'surprise')).rejects.toThrow(
      /bad arguments/
    )
    expect(await ipcMain.invoke(IPC.getLaunchAtLogin, fromMain())).toBe(false)
  })

  it('is gone after quit: no handler outlives the core', async () => {
    await running.quit()
    expect(ipcMain.handlers.size).toBe(0)
  })
})
