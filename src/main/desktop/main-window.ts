import { BrowserWindow } from 'electron'
import { SESSION_COOKIE } from '../core/admin/auth'
import { hardenSession, hardenWebContents, secureWebPreferences } from './security'

export interface MainWindowOptions {
  /** The core's URL; the only origin the window may show. */
  url: string
  preload: string
  icon?: string
  openExternal: (url: string) => void
}

/**
 * The dashboard window. Closing it only hides it: the server keeps running in the tray for the
 * dispensers, until the user picks "Salir" (prepareToQuit lets the close through then).
 */
export class MainWindow {
  private window: BrowserWindow | undefined
  private quitting = false
  readonly origin: string

  constructor(private readonly options: MainWindowOptions) {
    this.origin = new URL(options.url).origin
  }

  get browserWindow(): BrowserWindow | undefined {
    return this.window && !this.window.isDestroyed() ? this.window : undefined
  }

  /** Creates the (hidden) window; call signIn and load next, then show. */
  create(): BrowserWindow {
    const win = new BrowserWindow({
      width: 1100,
      height: 760,
      minWidth: 420,
      minHeight: 480,
      show: false,
      title: 'Pastillero',
      icon: this.options.icon,
      autoHideMenuBar: true,
      backgroundColor: '#f7f9fb',
      webPreferences: secureWebPreferences(this.options.preload)
    })
    hardenSession(win.webContents.session, this.origin)
    hardenWebContents(win.webContents, this.origin, this.options.openExternal)
    win.on('close', (event) => {
      if (this.quitting) return
      event.preventDefault()
      win.hide()
    })
    win.on('closed', () => {
      if (this.window === win) this.window = undefined
    })
    this.window = win
    return win
  }

  /**
   * Signs the window in as admin: the same HttpOnly cookie a browser gets from the login form,
   * put straight into the window's cookie store for the core's URL, so no password prompt.
   */
  async signIn(token: string): Promise<void> {
    const win = this.require()
    await win.webContents.session.cookies.set({
      url: this.options.url,
      name: SESSION_COOKIE,
      value: token,
      path: '/',
      httpOnly: true,
      sameSite: 'strict'
      // No expirationDate: a session cookie is not written to disk; each launch gets a new one.
    })
  }

  async load(): Promise<void> {
    await this.require().loadURL(this.options.url)
  }

  show(): void {
    const win = this.browserWindow
    if (!win) return
    if (win.isMinimized()) win.restore()
    win.show()
    win.focus()
  }

  hide(): void {
    this.browserWindow?.hide()
  }

  isVisible(): boolean {
    return this.browserWindow?.isVisible() ?? false
  }

  /** From now on, closing really closes (the app is quitting). */
  prepareToQuit(): void {
    this.quitting = true
  }

  private require(): BrowserWindow {
    const win = this.browserWindow
    if (!win) throw new Error('the main window has not been created')
    return win
  }
}
