/**
 * The one stand-in for the `electron` module (its binary cannot be downloaded here). Use it with
 *   vi.mock('electron', () => import('../mocks/electron'))
 * and import `electronMock` from this file to drive it and look at what the code under test did.
 *
 * It mimics the behaviour our shell relies on, not just the shapes: preventable events, a window
 * that really fetches its URL over HTTP with the cookies set on its session, fromWebContents,
 * image loading that fails for a missing file. Anything not needed by our code is left out, so a
 * new Electron API in the shell shows up as a type or runtime error here instead of passing.
 */
import { EventEmitter } from 'node:events'
import { existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

/** An Electron-like event: listeners may call preventDefault(). */
export interface FakeEvent {
  preventDefault(): void
  readonly defaultPrevented: boolean
  [key: string]: unknown
}

export function fakeEvent(fields: Record<string, unknown> = {}): FakeEvent {
  let prevented = false
  return {
    ...fields,
    preventDefault: () => {
      prevented = true
    },
    get defaultPrevented() {
      return prevented
    }
  }
}

// ---------------------------------------------------------------------------------------------
// session

export interface StoredCookie {
  url: string
  name: string
  value: string
  path?: string
  httpOnly?: boolean
  secure?: boolean
  sameSite?: string
  expirationDate?: number
}

type HeadersListener = (
  details: { url: string; responseHeaders?: Record<string, string[]> },
  callback: (response: { responseHeaders?: Record<string, string[]>; cancel?: boolean }) => void
) => void

class FakeCookies {
  readonly jar: StoredCookie[] = []
  async set(details: StoredCookie): Promise<void> {
    if (!details.url || !/^https?:/.test(details.url)) throw new Error('Failed to set cookie')
    const i = this.jar.findIndex(
      (c) => c.name === details.name && new URL(c.url).origin === new URL(details.url).origin
    )
    if (i >= 0) this.jar.splice(i, 1)
    this.jar.push({ ...details })
  }
  async get(filter: { url?: string; name?: string } = {}): Promise<StoredCookie[]> {
    return this.jar.filter(
      (c) =>
        (!filter.name || c.name === filter.name) &&
        (!filter.url || new URL(c.url).origin === new URL(filter.url).origin)
    )
  }
  /** The Cookie header a request to `url` would carry. */
  headerFor(url: string): string | undefined {
    const origin = new URL(url).origin
    const matching = this.jar.filter((c) => new URL(c.url).origin === origin)
    return matching.length ? matching.map((c) => `${c.name}=${c.value}`).join('; ') : undefined
  }
}

export class FakeSession {
  readonly cookies = new FakeCookies()
  headersListener: HeadersListener | undefined
  headersFilter: unknown
  permissionRequestHandler:
    | ((
        wc: unknown,
        permission: string,
        callback: (granted: boolean) => void,
        details: unknown
      ) => void)
    | null
    | undefined
  permissionCheckHandler: ((wc: unknown, permission: string) => boolean) | null | undefined
  readonly webRequest = {
    onHeadersReceived: (filterOrListener: unknown, maybeListener?: HeadersListener) => {
      if (typeof filterOrListener === 'function') {
        this.headersListener = filterOrListener as HeadersListener
        this.headersFilter = undefined
      } else {
        this.headersFilter = filterOrListener
        this.headersListener = maybeListener
      }
    }
  }
  setPermissionRequestHandler(handler: FakeSession['permissionRequestHandler']): void {
    this.permissionRequestHandler = handler
  }
  setPermissionCheckHandler(handler: FakeSession['permissionCheckHandler']): void {
    this.permissionCheckHandler = handler
  }
  /** Runs a response's headers through the onHeadersReceived hook, as Chromium would. */
  applyHeaders(url: string, headers: Record<string, string[]>): Record<string, string[]> {
    if (!this.headersListener) return headers
    let out = headers
    this.headersListener({ url, responseHeaders: headers }, (r) => {
      if (r.responseHeaders) out = r.responseHeaders
    })
    return out
  }
}

export const session = { defaultSession: new FakeSession() }

// ---------------------------------------------------------------------------------------------
// web contents, frames, windows

let nextId = 1

export class FakeWebFrame {
  url = ''
  constructor(readonly parent: FakeWebFrame | null = null) {}
  get origin(): string {
    try {
      return new URL(this.url).origin
    } catch {
      return 'null'
    }
  }
}

export class FakeWebContents extends EventEmitter {
  readonly id = nextId++
  readonly mainFrame = new FakeWebFrame()
  windowOpenHandler: ((details: { url: string }) => { action: 'allow' | 'deny' }) | undefined
  /** What the last loadURL received: status and (hook-processed) headers. */
  lastResponse: { status: number; headers: Record<string, string[]> } | undefined
  constructor(readonly session: FakeSession) {
    super()
  }
  setWindowOpenHandler(handler: FakeWebContents['windowOpenHandler']): void {
    this.windowOpenHandler = handler
  }
  getURL(): string {
    return this.mainFrame.url
  }
  /** Simulates the page navigating: returns false if a will-navigate listener prevented it. */
  navigate(url: string): boolean {
    const event = fakeEvent({ url })
    this.emit('will-navigate', event, url)
    if (event.defaultPrevented) return false
    this.mainFrame.url = url
    return true
  }
}

export interface BrowserWindowOptions {
  width?: number
  height?: number
  show?: boolean
  icon?: string
  title?: string
  webPreferences?: Record<string, unknown>
  [key: string]: unknown
}

export class BrowserWindow extends EventEmitter {
  static readonly instances: BrowserWindow[] = []
  static fromWebContents(wc: unknown): BrowserWindow | null {
    return BrowserWindow.instances.find((w) => !w.destroyed && w.webContents === wc) ?? null
  }
  static getAllWindows(): BrowserWindow[] {
    return BrowserWindow.instances.filter((w) => !w.destroyed)
  }

  readonly webContents: FakeWebContents
  visible: boolean
  minimized = false
  focused = false
  destroyed = false
  readonly loadedUrls: string[] = []

  constructor(readonly options: BrowserWindowOptions = {}) {
    super()
    this.webContents = new FakeWebContents(session.defaultSession)
    this.visible = options.show !== false
    BrowserWindow.instances.push(this)
  }

  /** Like Electron: resolves once loaded (any HTTP status), rejects when nothing answers. */
  async loadURL(url: string): Promise<void> {
    if (this.destroyed) throw new Error('Object has been destroyed')
    this.loadedUrls.push(url)
    const cookie = this.webContents.session.cookies.headerFor(url)
    let res: Response
    try {
      res = await fetch(url, { headers: cookie ? { cookie } : {}, redirect: 'manual' })
    } catch {
      throw new Error(`ERR_CONNECTION_REFUSED (-102) loading '${url}'`)
    }
    await res.arrayBuffer()
    const headers: Record<string, string[]> = {}
    res.headers.forEach((value, key) => {
      headers[key] = [value]
    })
    this.webContents.lastResponse = {
      status: res.status,
      headers: this.webContents.session.applyHeaders(url, headers)
    }
    this.webContents.mainFrame.url = url
    this.webContents.emit('did-finish-load')
    this.emit('ready-to-show')
  }
  show(): void {
    this.visible = true
    this.focused = true
    this.emit('show')
  }
  hide(): void {
    this.visible = false
    this.focused = false
    this.emit('hide')
  }
  focus(): void {
    this.focused = true
  }
  isVisible(): boolean {
    return this.visible
  }
  isMinimized(): boolean {
    return this.minimized
  }
  minimize(): void {
    this.minimized = true
  }
  restore(): void {
    this.minimized = false
  }
  isDestroyed(): boolean {
    return this.destroyed
  }
  /** Like the user clicking the close button: 'close' can be prevented. */
  close(): void {
    if (this.destroyed) return
    const event = fakeEvent()
    this.emit('close', event)
    if (!event.defaultPrevented) this.destroy()
  }
  destroy(): void {
    if (this.destroyed) return
    this.destroyed = true
    this.visible = false
    this.emit('closed')
  }
}

// ---------------------------------------------------------------------------------------------
// app

export interface LoginItemSettings {
  openAtLogin: boolean
  wasOpenedAtLogin?: boolean
  args?: string[]
}

class FakeApp extends EventEmitter {
  /** Test knobs. */
  lockAvailable = true
  userDataDir = join(tmpdir(), 'pastillero-electron-mock')
  appPath = resolve('.')
  isPackaged = false
  version = '0.1.0'
  loginItem: LoginItemSettings = { openAtLogin: false }
  /** Test records. */
  quitCalls = 0
  exitCode: number | undefined
  lockRequested = false
  readonly loginItemCalls: Array<Record<string, unknown>> = []
  private ready = Promise.resolve()

  requestSingleInstanceLock(): boolean {
    this.lockRequested = true
    return this.lockAvailable
  }
  whenReady(): Promise<void> {
    return this.ready
  }
  isReady(): boolean {
    return true
  }
  getPath(name: string): string {
    if (name === 'userData') return this.userDataDir
    if (name === 'temp') return tmpdir()
    throw new Error(`getPath(${name}) is not mocked`)
  }
  getAppPath(): string {
    return this.appPath
  }
  getVersion(): string {
    return this.version
  }
  getName(): string {
    return 'Pastillero'
  }
  appUserModelId: string | undefined
  setAppUserModelId(id: string): void {
    this.appUserModelId = id
  }
  /** Like Electron: 'before-quit' may be prevented; otherwise the app quits. */
  quit(): void {
    this.quitCalls++
    const event = fakeEvent()
    this.emit('before-quit', event)
    if (event.defaultPrevented) return
    for (const w of BrowserWindow.getAllWindows()) w.close()
    this.emit('will-quit', fakeEvent())
    this.emit('quit', fakeEvent(), 0)
  }
  /** Like Electron: exits at once, no events. */
  exit(code = 0): void {
    this.exitCode = code
    for (const w of BrowserWindow.getAllWindows()) w.destroy()
  }
  setLoginItemSettings(settings: Record<string, unknown>): void {
    this.loginItemCalls.push(settings)
    this.loginItem = {
      ...this.loginItem,
      openAtLogin: Boolean(settings.openAtLogin),
      args: settings.args as string[] | undefined
    }
  }
  getLoginItemSettings(_options?: Record<string, unknown>): LoginItemSettings {
    return { ...this.loginItem }
  }
}

export const app = new FakeApp()

// ---------------------------------------------------------------------------------------------
// tray, menu, images, notifications, dialogs, shell

export interface MenuItemOptions {
  label?: string
  type?: string
  enabled?: boolean
  click?: () => void
}

export class FakeMenu {
  constructor(readonly items: MenuItemOptions[]) {}
  /** The visible labels, for assertions. */
  get labels(): string[] {
    return this.items.filter((i) => i.type !== 'separator').map((i) => i.label ?? '')
  }
  item(label: string | RegExp): MenuItemOptions {
    const found = this.items.find((i) =>
      typeof label === 'string' ? i.label === label : label.test(i.label ?? '')
    )
    if (!found) throw new Error(`no menu item ${String(label)} in ${JSON.stringify(this.labels)}`)
    return found
  }
}

export const Menu = {
  buildFromTemplate: (template: MenuItemOptions[]) => new FakeMenu(template),
  setApplicationMenu: (_menu: FakeMenu | null) => undefined
}

export class FakeNativeImage {
  constructor(readonly path: string) {}
  isEmpty(): boolean {
    return !this.path || !existsSync(this.path)
  }
  setTemplateImage(_on: boolean): void {}
}

export const nativeImage = {
  createFromPath: (path: string) => new FakeNativeImage(path),
  createEmpty: () => new FakeNativeImage('')
}

export class Tray extends EventEmitter {
  static readonly instances: Tray[] = []
  menu: FakeMenu | undefined
  tooltip = ''
  destroyed = false
  constructor(readonly image: FakeNativeImage | string) {
    super()
    // Like Electron, an empty image is accepted (the tray slot is just blank): tests check
    // image.isEmpty() themselves.
    Tray.instances.push(this)
  }
  get imageIsEmpty(): boolean {
    return typeof this.image === 'string' ? !existsSync(this.image) : this.image.isEmpty()
  }
  setContextMenu(menu: FakeMenu | null): void {
    this.menu = menu ?? undefined
  }
  setToolTip(text: string): void {
    this.tooltip = text
  }
  destroy(): void {
    this.destroyed = true
  }
  isDestroyed(): boolean {
    return this.destroyed
  }
}

export class Notification extends EventEmitter {
  static supported = true
  static readonly instances: Notification[] = []
  static isSupported(): boolean {
    return Notification.supported
  }
  shown = false
  constructor(readonly options: { title: string; body: string; [k: string]: unknown }) {
    super()
    Notification.instances.push(this)
  }
  get title(): string {
    return this.options.title
  }
  get body(): string {
    return this.options.body
  }
  show(): void {
    this.shown = true
  }
  close(): void {
    this.emit('close', fakeEvent())
  }
  /** Simulates the user clicking it. */
  click(): void {
    this.emit('click', fakeEvent())
  }
}

export const dialog = {
  errorBoxes: [] as Array<{ title: string; content: string }>,
  showErrorBox(title: string, content: string): void {
    this.errorBoxes.push({ title, content })
  }
}

export const shell = {
  opened: [] as string[],
  openedPaths: [] as string[],
  shownItems: [] as string[],
  async openExternal(url: string): Promise<void> {
    this.opened.push(url)
  },
  async openPath(path: string): Promise<string> {
    this.openedPaths.push(path)
    return existsSync(path) ? '' : `Failed to open path ${path}`
  },
  showItemInFolder(path: string): void {
    this.shownItems.push(path)
  }
}

// ---------------------------------------------------------------------------------------------
// IPC

type InvokeHandler = (event: unknown, ...args: unknown[]) => unknown

export const ipcMain = {
  handlers: new Map<string, InvokeHandler>(),
  handle(channel: string, handler: InvokeHandler): void {
    if (this.handlers.has(channel))
      throw new Error(`Attempted to register a second handler for '${channel}'`)
    this.handlers.set(channel, handler)
  },
  removeHandler(channel: string): void {
    this.handlers.delete(channel)
  },
  /** What ipcRenderer.invoke from `sender` would produce (a rejection if the handler throws). */
  async invoke(
    channel: string,
    sender: { webContents: FakeWebContents; frame?: FakeWebFrame | null },
    ...args: unknown[]
  ): Promise<unknown> {
    const handler = this.handlers.get(channel)
    if (!handler) throw new Error(`No handler registered for '${channel}'`)
    const event = {
      sender: sender.webContents,
      senderFrame: sender.frame === undefined ? sender.webContents.mainFrame : sender.frame,
      processId: 1,
      frameId: 1
    }
    return handler(event, ...structuredClone(args))
  }
}

/** Preload side: records what was exposed and what was invoked. */
export const contextBridge = {
  exposed: new Map<string, unknown>(),
  exposeInMainWorld(key: string, api: unknown): void {
    this.exposed.set(key, api)
  }
}

export const ipcRenderer = {
  invocations: [] as Array<{ channel: string; args: unknown[] }>,
  async invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    this.invocations.push({ channel, args })
    return undefined
  }
}

// ---------------------------------------------------------------------------------------------

/** Puts every fake back to a fresh state; call it in beforeEach. */
function reset(): void {
  app.removeAllListeners()
  app.lockAvailable = true
  app.lockRequested = false
  app.isPackaged = false
  app.appPath = resolve('.')
  app.userDataDir = join(tmpdir(), 'pastillero-electron-mock')
  app.loginItem = { openAtLogin: false }
  app.loginItemCalls.length = 0
  app.quitCalls = 0
  app.exitCode = undefined
  BrowserWindow.instances.length = 0
  Tray.instances.length = 0
  Notification.instances.length = 0
  Notification.supported = true
  session.defaultSession = new FakeSession()
  dialog.errorBoxes.length = 0
  shell.opened.length = 0
  shell.openedPaths.length = 0
  shell.shownItems.length = 0
  ipcMain.handlers.clear()
  contextBridge.exposed.clear()
  ipcRenderer.invocations.length = 0
}

export const electronMock = {
  reset,
  app,
  BrowserWindow,
  Tray,
  Notification,
  dialog,
  shell,
  ipcMain,
  contextBridge,
  ipcRenderer,
  get session() {
    return session.defaultSession
  }
}

export default {
  app,
  BrowserWindow,
  Menu,
  Notification,
  Tray,
  contextBridge,
  dialog,
  ipcMain,
  ipcRenderer,
  nativeImage,
  session,
  shell
}
