import { beforeAll, describe, expect, it, vi } from 'vitest'
import { ipcContract } from '../../src/shared/ipc-contract'
import { electronMock } from '../mocks/electron'

vi.mock('electron', () => import('../mocks/electron'))

const { contextBridge, ipcRenderer } = electronMock

describe('preload bridge', () => {
  let bridge: Record<string, (...args: unknown[]) => Promise<unknown>>

  beforeAll(async () => {
    electronMock.reset()
    await import('../../src/preload/index')
    bridge = contextBridge.exposed.get('pastillero') as typeof bridge
  })

  it('exposes only window.pastillero, made of named functions (no ipcRenderer)', () => {
    expect([...contextBridge.exposed.keys()]).toEqual(['pastillero'])
    expect(Object.keys(bridge).sort()).toEqual([
      'appVersion',
      'getLaunchAtLogin',
      'openDataFolder',
      'revealLogs',
      'setLaunchAtLogin'
    ])
    for (const value of Object.values(bridge)) expect(typeof value).toBe('function')
    expect(Object.values(bridge)).not.toContain(ipcRenderer)
    expect(Object.values(bridge)).not.toContain(ipcRenderer.invoke)
  })

  it('each function invokes one contract channel with its arguments', async () => {
    await bridge.appVersion!()
    await bridge.getLaunchAtLogin!()
    await bridge.setLaunchAtLogin!(true)
    await bridge.openDataFolder!()
    await bridge.revealLogs!()
    expect(ipcRenderer.invocations).toEqual([
      { channel: 'app:version', args: [] },
      { channel: 'launch-at-login:get', args: [] },
      { channel: 'launch-at-login:set', args: [true] },
      { channel: 'data-folder:open', args: [] },
      { channel: 'logs:reveal', args: [] }
    ])
    const channels = Object.keys(ipcContract)
    for (const { channel, args } of ipcRenderer.invocations) {
      expect(channels).toContain(channel)
      expect(ipcContract[channel as keyof typeof ipcContract].args.safeParse(args).success).toBe(
        true
      )
    }
  })
})
