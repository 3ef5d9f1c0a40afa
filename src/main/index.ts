/**
 * The Electron composition root: the only place where the core, the window, the tray, the IPC
 * bridge and the OS integrations are wired together. startDesktop() runs the setupX() steps in
 * order; each service is a small class in ./desktop.
 */
import { app, dialog, shell } from 'electron'
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { IPC } from '../shared/ipc-contract'
import type { ConfigFlags, Env } from './core/config'
import { createCore, type Core } from './core/core'
import type { Clock } from './core/lib/time'
import { environmentWithDotenv } from './core/lib/dotenv'
import { createLogger, type Logger } from './core/lib/logger'
import { APP_ID } from './desktop/app-identity'
import { AutoLauncher } from './desktop/auto-launcher'
import { DesktopNotifier } from './desktop/desktop-notifier'
import { IpcRouter } from './desktop/ipc'
import { MainWindow } from './desktop/main-window'
import { desktopPaths, type DesktopPaths } from './desktop/paths'
import { SingleInstance } from './desktop/single-instance'
import { STARTUP_ERROR_TITLE, startupErrorMessage } from './desktop/startup-error'
import { TrayIcon, summarizePresence } from './desktop/tray-icon'

export interface DesktopOptions {
  /** The directory of this bundle (out/main); the preload and renderer are found from it. */
  bundleDir: string
  env: Env
  flags?: ConfigFlags
  /** Advertise by mDNS (the app does; tests leave it off). */
  discovery?: boolean
  /** Daily backups and log files in userData (the app does; tests leave them off). */
  housekeeping?: boolean
  argv?: readonly string[]
  logger?: Logger
  autoLauncher?: AutoLauncher
  /** Longest wait for a graceful stop before the process exits anyway. */
  quitTimeoutMs?: number
  /** The core's clock (tests move it to make a dispenser fall silent). */
  clock?: Clock
}

export interface DesktopApp {
  core: Core
  window: MainWindow
  tray: TrayIcon
  ipc: IpcRouter
  notifier: DesktopNotifier
  autoLauncher: AutoLauncher
  /** Resolves once a quit (from the tray, the OS or app.quit()) has stopped the core. */
  stopped: Promise<void>
}

/**
 * Starts the desktop app. Resolves to undefined when it must not run: another instance holds the
 * lock (that one is focused instead), the core could not start (the user was told why), or a
 * quit arrived during start-up (then once that quit has stopped the core).
 */
export async function startDesktop(options: DesktopOptions): Promise<DesktopApp | undefined> {
  const log = options.logger ?? createLogger('desktop')
  const argv = options.argv ?? process.argv
  const autoLauncher = options.autoLauncher ?? new AutoLauncher()
  let window: MainWindow | undefined
  let showWhenReady = false

  const showWindow = () => {
    if (window) window.show()
    else showWhenReady = true // a second launch or click during startup: show once ready
  }

  if (!setupSingleInstance(showWindow)) return undefined
  // The quit path exists before anything starts: a quit during start-up (the session ending,
  // Ctrl+C on `npm start`) waits for the start to settle, then stops what was started.
  const parts: ShellParts = {}
  let startupSettled!: () => void
  const startup = new Promise<void>((resolve) => (startupSettled = resolve))
  const quit = setupGracefulQuit(parts, startup, log, options)
  try {
    await app.whenReady()
    setupLifecycle(showWindow)
    const paths = desktopPaths(options.bundleDir, app.getAppPath())

    const core = await setupCore(options, paths, log)
    if (!core) return undefined
    parts.core = core
    if (quit.requested()) {
      // No window for an app that is already quitting; resolve once the core has stopped.
      startupSettled()
      await quit.stopped
      return undefined
    }

    try {
      window = parts.window = await setupMainWindow(core, paths, log)
      const tray = (parts.tray = setupTray(core, paths, showWindow, log))
      const notifier = (parts.notifier = setupNotifications(core, showWindow, log))
      const ipc = (parts.ipc = setupIpc(core, window, autoLauncher, log))

      if (showWhenReady || !autoLauncher.wasLaunchedAtLogin(argv)) window.show()
      log.info(`Pastillero ${app.getVersion()} running at ${core.url}`)
      return { core, window, tray, ipc, notifier, autoLauncher, stopped: quit.stopped }
    } catch (err) {
      // The shell failed around a running core: stop it cleanly rather than leave a window-less
      // server holding the port.
      parts.tray?.destroy()
      await core.stop().catch(() => undefined)
      reportStartupError(err, log)
      app.exit(1)
      return undefined
    }
  } finally {
    startupSettled()
  }
}

function reportStartupError(err: unknown, log: Logger): void {
  log.error('could not start', {
    error: err instanceof Error ? (err.stack ?? err.message) : String(err)
  })
  dialog.showErrorBox(STARTUP_ERROR_TITLE, startupErrorMessage(err))
}

function setupSingleInstance(onSecondInstance: () => void): boolean {
  return new SingleInstance(onSecondInstance).acquire()
}

/** A tray app: closing the last window does not quit; the dock icon (macOS) reopens it. */
function setupLifecycle(showWindow: () => void): void {
  if (process.platform === 'win32') app.setAppUserModelId(APP_ID) // or toasts never show
  app.on('window-all-closed', () => {
    // Without a listener Electron would quit here; the server must keep running.
  })
  app.on('activate', showWindow)
}

async function setupCore(
  options: DesktopOptions,
  paths: DesktopPaths,
  log: Logger
): Promise<Core | undefined> {
  let core: Core | undefined
  try {
    core = createCore({
      env: options.env,
      flags: options.flags,
      defaultDataDir: app.getPath('userData'),
      staticDir: paths.renderer,
      logger: log.child('core'),
      discovery: options.discovery ?? false,
      backups: options.housekeeping ?? false,
      fileLogging: options.housekeeping ?? false,
      clock: options.clock,
      // A restore is applied at start: relaunch through the graceful quit.
      requestRestart: () => {
        app.relaunch()
        app.quit()
      }
    })
    const info = await core.start()
    if (info.generatedAdminPassword)
      log.info('an admin password was generated for browsers on the LAN; change it in Ajustes')
    return core
  } catch (err) {
    await core?.stop().catch(() => undefined)
    reportStartupError(err, log)
    app.quit()
    return undefined
  }
}

async function setupMainWindow(core: Core, paths: DesktopPaths, log: Logger): Promise<MainWindow> {
  const window = new MainWindow({
    url: core.url,
    preload: paths.preload,
    icon: paths.windowIcon,
    openExternal: (url) => void shell.openExternal(url)
  })
  window.create()
  await window.signIn(core.createSession('desktop'))
  try {
    await window.load()
  } catch (err) {
    // The core is local and already listening, so this is unexpected; the window stays usable
    // (it can be reloaded) rather than the app failing.
    log.error(`the dashboard did not load: ${err instanceof Error ? err.message : String(err)}`)
  }
  return window
}

function setupTray(core: Core, paths: DesktopPaths, showWindow: () => void, log: Logger): TrayIcon {
  const tray = new TrayIcon({
    iconPath: paths.trayIcon,
    onOpen: showWindow,
    onQuit: () => app.quit(),
    log
  })
  tray.create()
  const refresh = () => tray.setStatus(summarizePresence(core.services.devices.list()))
  refresh()
  for (const event of ['device.online', 'device.offline', 'device.removed'] as const)
    core.bus.on(event, refresh)
  return tray
}

function setupNotifications(core: Core, showWindow: () => void, log: Logger): DesktopNotifier {
  const notifier = new DesktopNotifier({
    bus: core.bus,
    onClick: showWindow,
    log: log.child('notify'),
    locale: () => {
      const { language, time_zone } = core.services.settings.current()
      return { language, time_zone }
    }
  })
  notifier.start()
  return notifier
}

function setupIpc(
  core: Core,
  window: MainWindow,
  autoLauncher: AutoLauncher,
  log: Logger
): IpcRouter {
  const ipc = new IpcRouter({
    origin: window.origin,
    mainWindow: () => window.browserWindow,
    log: log.child('ipc')
  })
  ipc.handle(IPC.appVersion, () => app.getVersion())
  ipc.handle(IPC.getLaunchAtLogin, () => autoLauncher.isEnabled())
  ipc.handle(IPC.setLaunchAtLogin, (enabled) => autoLauncher.setEnabled(enabled))
  ipc.handle(IPC.openDataFolder, async () => {
    const problem = await shell.openPath(core.config.dataDir)
    if (problem) throw new Error(problem)
  })
  // The log files are in <data>/logs (written when housekeeping is on): show that folder
  // selected in the data folder, or the data folder itself when no log was written yet.
  ipc.handle(IPC.revealLogs, () => {
    const logs = join(core.config.dataDir, 'logs')
    shell.showItemInFolder(existsSync(logs) ? logs : core.config.dataDir)
  })
  return ipc
}

/** What start-up has built so far; the quit path stops whatever is there. */
interface ShellParts {
  core?: Core
  window?: MainWindow
  tray?: TrayIcon
  notifier?: DesktopNotifier
  ipc?: IpcRouter
}

/**
 * Quitting waits for start-up to settle, then for core.stop() (mDNS goodbye, HTTP, live streams,
 * database) before the process exits: Electron's before-quit is cancelled, the core stopped, then
 * app.exit(). The time limit covers both waits, so a stuck start-up cannot block a quit forever.
 */
function setupGracefulQuit(
  parts: ShellParts,
  startup: Promise<void>,
  log: Logger,
  options: DesktopOptions
): { stopped: Promise<void>; requested: () => boolean } {
  let stopping: Promise<void> | undefined
  let resolveStopped!: () => void
  const stopped = new Promise<void>((resolve) => (resolveStopped = resolve))

  app.on('before-quit', (event) => {
    parts.window?.prepareToQuit()
    event.preventDefault()
    if (stopping) return
    log.info('quitting: stopping the server')
    const timeoutMs = options.quitTimeoutMs ?? 10_000
    let timer: NodeJS.Timeout | undefined
    const giveUp = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        log.error(`the server did not stop within ${timeoutMs} ms; exiting anyway`)
        resolve()
      }, timeoutMs)
    })
    stopping = (async () => {
      try {
        await Promise.race([
          (async () => {
            await startup
            parts.window?.prepareToQuit() // it may have been created while we waited
            parts.notifier?.stop()
            parts.ipc?.dispose()
            await parts.core?.stop()
          })(),
          giveUp
        ])
      } catch (err) {
        log.error(`error while stopping: ${err instanceof Error ? err.message : String(err)}`)
      } finally {
        clearTimeout(timer)
        parts.tray?.destroy()
        resolveStopped()
        app.exit(0)
      }
    })()
  })
  return { stopped, requested: () => stopping !== undefined }
}

// Started by Electron. Under vitest the module is imported for startDesktop() only.
if (!process.env.VITEST) {
  const log = createLogger('desktop')
  // Ctrl+C on `npm start`, or the session ending: quit through the graceful path.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => app.quit())
  startDesktop({
    bundleDir: dirname(fileURLToPath(import.meta.url)),
    env: environmentWithDotenv(join(process.cwd(), '.env')),
    discovery: true,
    housekeeping: true,
    logger: log
  }).catch((err: unknown) => {
    reportStartupError(err, log)
    app.exit(1)
  })
}
