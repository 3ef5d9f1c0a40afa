import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { CONTENT_SECURITY_POLICY } from '../../src/main/desktop/security'
import { electronMock } from '../mocks/electron'
import { launch, type Launched } from './desktop-harness'

vi.mock('electron', () => import('../mocks/electron'))

describe('window security (Electron checklist)', () => {
  let running: Launched
  beforeAll(async () => {
    electronMock.reset()
    running = await launch()
  })
  afterAll(() => running.dispose())
  beforeEach(() => {
    electronMock.shell.opened.length = 0
  })

  it('webPreferences: isolated, sandboxed, no Node, web security on, our preload', () => {
    const prefs = running.win.options.webPreferences!
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false
    })
    expect(prefs.preload).toMatch(/out[\\/]preload[\\/]index\.cjs$/)
    expect(running.win.options.show).toBe(false) // shown only once signed in and loaded
  })

  it('adds a strict CSP to the core responses, next to the core own', () => {
    const headers = running.win.webContents.lastResponse!.headers
    const key = Object.keys(headers).find((k) => k.toLowerCase() === 'content-security-policy')!
    const policies = headers[key]!
    expect(policies).toContain(CONTENT_SECURITY_POLICY)
    expect(policies.length).toBe(2) // the core's header is kept: both apply
    expect(CONTENT_SECURITY_POLICY).toMatch(/script-src 'self'(;|$)/)
    expect(CONTENT_SECURITY_POLICY).toContain("object-src 'none'")
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval/)

    const session = running.win.webContents.session
    const other = session.applyHeaders('https://example.com/', { a: ['b'] })
    expect(other).toEqual({ a: ['b'] })
  })

  it('navigation stays on the core origin; http(s) elsewhere opens in the browser', () => {
    const wc = running.win.webContents
    const origin = new URL(running.desktop.core.url).origin
    expect(wc.navigate(`${origin}/docs/`)).toBe(true)
    expect(wc.navigate('https://evil.example/phish')).toBe(false)
    expect(electronMock.shell.opened).toEqual(['https://evil.example/phish'])
    // Same host, other port: another origin.
    const otherPort = `http://127.0.0.1:${Number(new URL(origin).port) + 1}/`
    expect(wc.navigate(otherPort)).toBe(false)
    // Not http(s): refused, and never handed to the OS (file:, smb: can run programs).
    for (const url of ['file:///etc/passwd', 'smb://server/share', 'javascript:alert(1)']) {
      expect(wc.navigate(url)).toBe(false)
    }
    expect(electronMock.shell.opened).toEqual(['https://evil.example/phish', otherPort])
  })

  it('window.open is always denied; http(s) targets go to the browser', () => {
    const handler = running.win.webContents.windowOpenHandler!
    expect(handler({ url: 'https://espressif.com/' })).toEqual({ action: 'deny' })
    expect(handler({ url: `${running.desktop.core.url}/docs/` })).toEqual({ action: 'deny' })
    expect(handler({ url: 'file:///C:/Windows/System32/calc.exe' })).toEqual({ action: 'deny' })
    expect(electronMock.shell.opened).toEqual([
      'https://espressif.com/',
      `${running.desktop.core.url}/docs/`
    ])
  })

  it('every permission request and check is denied', () => {
    const session = running.win.webContents.session
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read']) {
      const callback = vi.fn()
      session.permissionRequestHandler!(running.win.webContents, permission, callback, {})
      expect(callback).toHaveBeenCalledWith(false)
      expect(session.permissionCheckHandler!(running.win.webContents, permission)).toBe(false)
    }
  })

  it('webviews cannot be attached', () => {
    const event = { defaultPrevented: false, preventDefault: vi.fn() }
    running.win.webContents.emit('will-attach-webview', event, {}, {})
    expect(event.preventDefault).toHaveBeenCalled()
  })
})
