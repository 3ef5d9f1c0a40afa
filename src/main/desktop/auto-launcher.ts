import { app } from 'electron'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { dirname, join } from 'node:path'

/** Passed when the OS starts the app at login: it then starts in the tray, window hidden. */
export const HIDDEN_ARG = '--hidden'

export interface AutoLauncherOptions {
  platform?: NodeJS.Platform
  env?: NodeJS.ProcessEnv
  /** The program the OS should start (process.execPath, or the AppImage file). */
  execPath?: string
}

/**
 * "Start Pastillero when I log in". Electron's login item API only works on macOS and Windows;
 * on Linux the freedesktop way is a .desktop file in ~/.config/autostart, which GNOME, KDE, XFCE
 * and the other desktops honour.
 */
export class AutoLauncher {
  private readonly platform: NodeJS.Platform
  private readonly env: NodeJS.ProcessEnv

  constructor(private readonly options: AutoLauncherOptions = {}) {
    this.platform = options.platform ?? process.platform
    this.env = options.env ?? process.env
  }

  isEnabled(): boolean {
    if (this.platform === 'linux') return existsSync(this.desktopFile())
    return app.getLoginItemSettings({ args: this.launchArgs() }).openAtLogin
  }

  /** Returns the state read back from the OS, which is what the settings screen should show. */
  setEnabled(enabled: boolean): boolean {
    if (this.platform === 'linux') {
      const file = this.desktopFile()
      if (enabled) {
        mkdirSync(dirname(file), { recursive: true })
        writeFileSync(file, this.desktopEntry())
      } else {
        rmSync(file, { force: true })
      }
    } else {
      app.setLoginItemSettings({ openAtLogin: enabled, args: this.launchArgs() })
    }
    return this.isEnabled()
  }

  /** True when this run was started by the OS at login (so the window should stay hidden). */
  wasLaunchedAtLogin(argv: readonly string[] = process.argv): boolean {
    if (argv.includes(HIDDEN_ARG)) return true
    return this.platform === 'darwin' && app.getLoginItemSettings().wasOpenedAtLogin === true
  }

  desktopFile(): string {
    const config = this.env.XDG_CONFIG_HOME || join(homedir(), '.config')
    return join(config, 'autostart', 'pastillero.desktop')
  }

  desktopEntry(): string {
    const exec = [this.execPath(), ...this.launchArgs()].map(quoteExecArg).join(' ')
    return [
      '[Desktop Entry]',
      'Type=Application',
      'Name=Pastillero',
      'Comment=Servidor de los pastilleros ESP32',
      `Exec=${exec}`,
      'Terminal=false',
      'X-GNOME-Autostart-enabled=true',
      ''
    ].join('\n')
  }

  /** The file currently registered, if any (for diagnostics). */
  readDesktopEntry(): string | undefined {
    const file = this.desktopFile()
    return existsSync(file) ? readFileSync(file, 'utf8') : undefined
  }

  private execPath(): string {
    // Inside an AppImage, execPath points into a temporary mount; APPIMAGE is the real file.
    return this.options.execPath ?? this.env.APPIMAGE ?? process.execPath
  }

  private launchArgs(): string[] {
    // Unpackaged (development), the Electron binary needs the app folder as its argument.
    return app.isPackaged ? [HIDDEN_ARG] : [app.getAppPath(), HIDDEN_ARG]
  }
}

/** Desktop Entry spec: quote arguments and escape `"`, backquote, `$` and `\` inside quotes. */
function quoteExecArg(arg: string): string {
  if (/^[\w@%+=:,./-]+$/.test(arg)) return arg
  return `"${arg.replace(/(["`$\\])/g, '\\$1')}"`
}
