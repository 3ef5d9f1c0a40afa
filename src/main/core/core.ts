// Long (~530 lines) because this is the composition root: every service is built and wired in
// one readable order here, and start()/stop() run the long-lived parts in order and in reverse.
import { createServer, type RequestListener, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { createAccountRepository } from './accounts/account-repository'
import { AccountService } from './accounts/account-service'
import { DeviceKeys } from './admin/device-keys'
import { createSessionRepository } from './admin/session-repository'
import { ConfigError, resolveConfig, type ConfigFlags, type CoreConfig, type Env } from './config'
import { createCommandRepository } from './devices/command-repository'
import { createDeviceRepository } from './devices/device-repository'
import { createDeviceFirmwareRepository } from './devices/device-firmware-repository'
import { createDeviceService, type DeviceService } from './devices/device-service'
import { startCoreDiscovery } from './discovery/core-discovery'
import type { MdnsAdvertiser } from './discovery/mdns-advertiser'
import { createEventRepository } from './events/event-repository'
import { createEventService, type EventService } from './events/event-service'
import { FirmwareFiles } from './firmware/firmware-files'
import { createFirmwareRepository } from './firmware/firmware-repository'
import { createFirmwareService, type FirmwareService } from './firmware/firmware-service'
import { createApp } from './http/app'
import { createCredentialRepository } from './device-trust/credential-repository'
import { createDeviceTrust, type DeviceLimits, type DeviceTrust } from './device-trust/device-trust'
import { envelopeNodeErrors } from './http/errors'
import { createOutcomeReadModel } from './schedules/outcome-read-model'
import { createScheduleRepository } from './schedules/schedule-repository'
import { createScheduleService, type ScheduleService } from './schedules/schedule-service'
import { createAlertEngine } from './alerts/alert-engine'
import { createAlertRepository } from './alerts/alert-repository'
import { createTelegramRepository } from './telegram/telegram-repository'
import { createAlertService, type AlertService } from './alerts/alert-service'
import { createWeeklySummary, type WeeklySummary } from './alerts/weekly-summary'
import { createTelegramService, type TelegramService } from './telegram/telegram-service'
import { createSseHub } from './http/sse'
import { CoreEventBus } from './lib/event-bus'
import { createLogger, redactingLogger, teeLogger, type Logger } from './lib/logger'
import { createFileLogger, readRecentLog } from './lib/file-log'
import { privatizeDataDir } from './lib/private-files'
import { createSettingsRepository } from './settings/settings-repository'
import { createSettingsService, type SettingsService } from './settings/settings-service'
import { openDatabase, type Db } from './store/db'
import { BatchWriter } from './store/batch-writer'
import { DeviceContacts } from './devices/device-contacts'
import type { Clock } from './lib/time'
import { applyPendingRestore, carryOverSecrets } from './backup/pending-restore'
import { createBackupService, type BackupService } from './backup/backup-service'

export interface CoreOptions {
  /** Environment (already merged with .env); defaults to none, so tests are hermetic. */
  env?: Env
  flags?: ConfigFlags
  /** Where data lives when neither env nor flags say: Electron's userData, or the OS data dir. */
  defaultDataDir: string
  /** The built dashboard (out/renderer); omitted, the core serves the APIs only. */
  staticDir?: string
  logger?: Logger
  /** How often online/offline is re-evaluated for devices that stopped beating. */
  presenceSweepMs?: number
  /**
   * Called after a restore or import was scheduled: the composition root should stop this core
   * and create a new one (which applies it). Without it, it is applied at the next start.
   */
  requestRestart?: () => void
  /** Structured logs to rotating files in <data>/logs (the dashboard shows the recent ones). */
  fileLogging?: boolean
  /** Automatic daily backups and event retention (off in tests unless asked). */
  backups?: boolean
  /**
   * How often open live streams are checked for sessions that reached their expiry (1 s).
   * Logout and revocation close streams at once, without waiting for this check.
   */
  streamExpiryCheckMs?: number
  /** How much an imported archive may unpack (tests lower it; see IMPORT_MAX_UNPACKED_BYTES). */
  importMaxUnpackedBytes?: number
  /** Per-device event budget (burst, refill per second); the bench raises it. */
  eventRateLimit?: { capacity: number; perSecond: number }
  /**
   * The one clock of every service (ms since epoch): last seen, received-at, presence,
   * schedules. Tests move it to replay a DST change.
   */
  clock?: Clock
  /**
   * How often held heartbeats (and presence) are written at the latest, in ms (default 1000).
   * Tests make it long to prove the flushes on stop, backup and export.
   */
  heartbeatFlushMs?: number
  /** New device ids per minute, heartbeats per device, waiting list size (tests raise them). */
  deviceLimits?: Partial<DeviceLimits>
  /** How often time-based alerts (missed doses) are checked. */
  alertTickMs?: number
  /** Overrides for the Telegram client (tests shorten the long-poll). */
  telegram?: Partial<import('./telegram/telegram-service').TelegramOptions>
  /**
   * Advertise the server by mDNS (unless the setting mdns_enabled is false). Off by default so
   * tests never multicast by accident; the headless CLI and the Electron shell turn it on.
   */
  discovery?: boolean
}

export interface StartInfo {
  url: string
  port: number
  deviceKey: string
  deviceKeyGenerated: boolean
  /** A seed-era key shorter than 16 characters: accepted, with a warning. */
  deviceKeyShort: boolean
  /** Only on the first start without ADMIN_PASSWORD: show it once, it is not stored. */
  generatedAdminPassword?: string
}

export class PortInUseError extends Error {
  constructor(
    readonly host: string,
    readonly port: number
  ) {
    super(
      `port ${port} on ${host} is already in use (is Pastillero already running?). ` +
        'Choose another with --port or PASTILLERO_PORT.'
    )
    this.name = 'PortInUseError'
  }
}

export interface Core {
  start(): Promise<StartInfo>
  stop(): Promise<void>
  readonly url: string
  readonly config: CoreConfig
  readonly bus: CoreEventBus
  /** Issues an admin session token, e.g. for the Electron window to be signed in without a prompt. */
  createSession(label: string): string
  /** The mDNS instance name being advertised ("Pastillero", or "Pastillero (2)"…), if any. */
  discoveryName(): string | undefined
  readonly services: {
    devices: DeviceService
    events: EventService
    settings: SettingsService
    firmware: FirmwareService
    alerts: AlertService
    telegram: TelegramService
    backups: BackupService
    schedules: ScheduleService
    weeklySummary: WeeklySummary
    deviceTrust: DeviceTrust
  }
  readonly db: Db
  /** The device path's group-commit writer (the bench and tests read its counters and hooks). */
  readonly writer: BatchWriter
  /** Every device contact, for features that care when a dispenser was heard from. */
  readonly contacts: DeviceContacts
}

/**
 * This file is long because it is the composition root: every service is built and wired here,
 * in one readable order, and start()/stop() run the long-lived parts in order and in reverse.
 *
 * Builds the whole backend without touching Electron: store, services and HTTP. Long-lived parts
 * start in order in start() and stop in reverse in stop(); the database closes last.
 */
export function createCore(options: CoreOptions): Core {
  const env = options.env ?? {}
  const flags = options.flags ?? {}
  // The data dir must be known before the DB (and so the DB's settings layer) can be read.
  const boot = resolveConfig({ defaults: { dataDir: options.defaultDataDir }, env, flags }).config
  // Private before anything is written into it; files older versions left readable are fixed.
  privatizeDataDir(boot.dataDir)
  const fileLog = options.fileLogging ? createFileLogger(join(boot.dataDir, 'logs')) : undefined
  const consoleLog = options.logger ?? createLogger('core')
  const log = redactingLogger(fileLog ? teeLogger(consoleLog, fileLog.logger) : consoleLog)
  const dbFile = join(boot.dataDir, 'pastillero.db')
  // A restore or import requested in the last run replaces the database before it is opened.
  const restored = applyPendingRestore(boot.dataDir, dbFile)
  if (restored) log.warn(restored.message)
  const db = openDatabase(dbFile)
  if (restored?.replacedDb && !restored.restoreSecrets) {
    try {
      carryOverSecrets(db, restored.replacedDb)
      log.info('kept the current accounts, sessions, device tokens and keys after the restore')
    } catch (err) {
      log.error('could not keep the current accounts and keys after the restore', {
        err: String(err)
      })
    }
  }
  const settingsRepo = createSettingsRepository(db)
  let config: CoreConfig
  try {
    config = resolveConfig({
      defaults: { dataDir: options.defaultDataDir },
      settings: settingsRepo.all(),
      env,
      flags
    }).config
  } catch (err) {
    db.close()
    throw err
  }

  const bus = new CoreEventBus()
  const sse = createSseHub(bus, undefined, options.streamExpiryCheckMs)
  const clock: Clock = options.clock ?? Date.now
  const writer = new BatchWriter({
    db,
    log: log.child('writer'),
    softEveryMs: options.heartbeatFlushMs
  })
  const contacts = new DeviceContacts()
  const sessions = createSessionRepository(db)
  const accountRepo = createAccountRepository(db)
  let accounts: AccountService | undefined
  const deviceKeys = DeviceKeys.load(settingsRepo, config.apiKey)
  let server: Server | undefined
  let sweepTimer: NodeJS.Timeout | undefined
  let advertiser: MdnsAdvertiser | undefined
  let url = ''

  const settings = createSettingsService({
    repo: settingsRepo,
    env,
    flags,
    dataDir: config.dataDir,
    running: {
      port: () => (server?.address() as AddressInfo | null)?.port ?? config.port,
      configuredPort: config.port,
      host: config.host
    },
    deviceKeys,
    mdnsName: () => advertiser?.name
  })
  const firmwareFiles = new FirmwareFiles(config.dataDir)
  // The firmware service needs devices and devices show OTA state: the getter breaks the cycle
  // (it is only called after both exist).
  const firmware = createFirmwareService({
    db,
    repo: createFirmwareRepository(db),
    deviceFirmware: createDeviceFirmwareRepository(db),
    files: firmwareFiles,
    devices: () => devices,
    bus,
    log: log.child('firmware')
  })
  // Shared with the alert engine: a reboot the family asked for is not a reboot loop.
  const commands = createCommandRepository(db)
  const devices = createDeviceService({
    db,
    devices: createDeviceRepository(db),
    commands,
    events: createEventRepository(db),
    bus,
    offlineAfterS: settings.offlineAfterS,
    ota: { state: (id) => firmware.otaState(id), states: () => firmware.otaStates() },
    writer,
    contacts,
    watching: () => sse.watching(),
    clock
  })
  const deviceTrust = createDeviceTrust({
    repo: createCredentialRepository(db),
    settings: settingsRepo,
    bus,
    keys: () => deviceKeys.accepted(),
    limits: options.deviceLimits,
    writer
  })
  // A forgotten device loses its adoption and token: if it calls again it is a new device.
  bus.on('device.removed', ({ device_id }) => deviceTrust.forget(device_id))
  const eventRepo = createEventRepository(db)
  // Events are stamped on the wall clock: a device's own timestamp is judged plausible against
  // real time (the schedules tests replay a week of device times on a frozen clock).
  const events = createEventService({
    events: eventRepo,
    devices,
    bus,
    writer,
    contacts,
    clock: Date.now
  })
  const schedules = createScheduleService({
    db,
    repo: createScheduleRepository(db),
    reads: createOutcomeReadModel(db),
    timeZone: () => settings.current().time_zone,
    offlineAfterS: settings.offlineAfterS,
    defaultWindowS: () => settings.current().missed_dose_after_s,
    now: clock,
    writer
  })
  // What a device contact means for each feature, in one place. Presence (online/offline) is the
  // device service's own listener; the schedules keep presence history (a missed dose vs. an
  // unknown one); a heartbeat on the version being installed confirms an update.
  contacts.subscribe((contact) => schedules.onContact(contact))
  bus.on('device.removed', ({ device_id }) => schedules.deviceRemoved(device_id))
  contacts.subscribe((contact) => {
    if (contact.via !== 'heartbeat' || !firmware.awaitsConfirmation(contact.device_id)) return
    writer.commitSoftNow() // the confirmation writes to the device's row
    firmware.onHeartbeat(contact.device_id, contact.firmware_version)
  })
  const outbox = createTelegramRepository(db)
  const alerts = createAlertService({
    db,
    repo: createAlertRepository(db),
    outbox,
    settings,
    devices,
    bus
  })
  const alertEngine = createAlertEngine({
    alerts,
    events: eventRepo,
    settings,
    bus,
    log: log.child('alerts'),
    tickMs: options.alertTickMs,
    missedScheduledAlarms: (now) => schedules.dueMissedAlarms(now),
    alarmOutcomes: (deviceId, alarms, now) => schedules.alarmOutcomes(deviceId, alarms, now),
    rebootsRequested: (deviceId, from, to) =>
      commands.deliveredBetween(deviceId, 'reboot', from, to)
  })
  const weeklySummary = createWeeklySummary({
    db,
    schedules,
    outbox,
    settings,
    settingsRepo,
    bus,
    log: log.child('summary')
  })
  const telegram = createTelegramService({
    alerts,
    outbox,
    devices,
    events: eventRepo,
    settings,
    settingsRepo,
    bus,
    log: log.child('telegram'),
    options: {
      envToken: config.telegramToken,
      apiRoot: config.telegramApiUrl,
      envChatIds: config.telegramChatIds,
      ...options.telegram
    }
  })
  bus.on('event.created', (event) => firmware.onEvent(event))
  firmware.sweep()
  const backups = createBackupService({
    db,
    dataDir: config.dataDir,
    settings,
    pruneEvents: (before) => eventRepo.deleteOlderThan(before),
    // A backup or export holds every device's last heartbeat, not a second-old one.
    beforeSnapshot: () => writer.commitSoftNow(),
    log: log.child('backup'),
    requestRestart: options.requestRestart,
    importMaxUnpackedBytes: options.importMaxUnpackedBytes
  })
  // A session that ends early (logout, password change, account removed) closes its streams.
  sessions.onEnded((hashes) => sse.endSessions(hashes))

  async function listen(listener: RequestListener): Promise<Server> {
    return new Promise((resolve, reject) => {
      const s = createServer(listener).listen(config.port, config.host)
      envelopeNodeErrors(s)
      s.once('listening', () => resolve(s))
      s.once('error', (err: NodeJS.ErrnoException) => {
        if (err.code === 'EADDRINUSE') reject(new PortInUseError(config.host, config.port))
        else if (err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND')
          reject(
            new ConfigError(
              `--host / PASTILLERO_HOST: cannot listen on ${config.host} (${err.code})`
            )
          )
        else if (err.code === 'EACCES')
          reject(
            new ConfigError(
              `--port / PASTILLERO_PORT: no permission to listen on port ${config.port}`
            )
          )
        else reject(err)
      })
    })
  }

  return stopWaitsForStart({
    config,
    bus,
    db,
    writer,
    contacts,
    services: {
      devices,
      events,
      settings,
      firmware,
      alerts,
      telegram,
      backups,
      schedules,
      weeklySummary,
      deviceTrust
    },
    get url() {
      return url
    },
    createSession: (label) => {
      if (!accounts) throw new Error('start the core before creating sessions')
      return sessions.create(accounts.first().id, label, 30 * 24 * 3600 * 1000)
    },
    discoveryName: () => advertiser?.name,

    async start() {
      const loaded = await AccountService.load(accountRepo, sessions, config.adminPassword)
      accounts = loaded.accounts
      const generatedPassword = loaded.generatedPassword
      const { listener } = createApp({
        log: log.child('http'),
        deviceTrust,
        keyRing: deviceKeys,
        eventRateLimit: options.eventRateLimit,
        devices,
        events,
        settings,
        firmware,
        firmwareFiles,
        alerts,
        telegram,
        backups,
        schedules,
        recentLog: (limit: number) => readRecentLog(join(config.dataDir, 'logs'), limit),
        sessions,
        accounts: () => accounts!,
        trustProxy: config.trustProxy,
        allowedHosts: config.allowedHosts,
        stream: sse.handler,
        staticDir: options.staticDir,
        clock,
        commitHeldState: () => writer.commitSoftNow()
      })
      server = await listen(listener)
      server.keepAliveTimeout = 65_000 // longer than typical proxies', so they do not reuse a closed socket
      const port = (server.address() as AddressInfo).port
      const shownHost =
        config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host
      url = `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`
      devices.sweepPresence()
      sweepTimer = setInterval(() => devices.sweepPresence(), options.presenceSweepMs ?? 5000)
      sweepTimer.unref()
      alertEngine.start()
      weeklySummary.start()
      telegram.start()
      if (options.backups) backups.start()
      log.info(`listening on ${config.host}:${port}`)
      if (deviceKeys.short)
        log.warn(
          `the device key (API_SECRET_KEY) is only ${deviceKeys.current().length} characters: anyone on the network could guess it. ` +
            'It is accepted so existing dispensers keep working; rotate it in the dashboard (Settings, device key): the old key keeps working for a grace period while each dispenser is updated.'
        )
      if (deviceKeys.envKeyReplaced)
        log.warn(
          'API_SECRET_KEY still holds the short key that was rotated in the dashboard; the new key is in use. Remove API_SECRET_KEY from the environment.'
        )
      if (options.discovery)
        advertiser = await startCoreDiscovery({
          settings: settingsRepo,
          port,
          host: config.host,
          log: log.child('mdns')
        })
      return {
        url,
        port,
        deviceKey: deviceKeys.current(),
        deviceKeyGenerated: deviceKeys.generated,
        deviceKeyShort: deviceKeys.short,
        generatedAdminPassword: generatedPassword
      }
    },

    async stop() {
      // Discovery first: the goodbye tells dispensers to stop using this server before it closes.
      if (advertiser) {
        const a = advertiser
        advertiser = undefined
        await a.stop()
      }
      if (sweepTimer) clearInterval(sweepTimer)
      await backups.stop()
      await telegram.stop()
      alertEngine.stop()
      weeklySummary.stop()
      sse.close()
      if (server) {
        const s = server
        server = undefined
        await new Promise<void>((resolve) => {
          s.close(() => resolve())
          s.closeAllConnections()
        })
      }
      // No request is in flight any more: what the writer holds (the last second of heartbeats,
      // presence) is written and flushed before the database closes.
      await writer.close()
      if (db.open) {
        db.pragma('optimize')
        db.close()
      }
      fileLog?.close()
    }
  })
}

/**
 * A stop() that arrives while start() is still running (a signal or a desktop quit during
 * start-up) waits for the start to settle, then stops everything: stopping half-way would miss
 * the parts still being started (the mDNS record, the HTTP server) and leave them running.
 */
function stopWaitsForStart(core: Core): Core {
  const { start, stop } = core
  let starting: Promise<unknown> = Promise.resolve()
  core.start = () => {
    const started = start()
    starting = started.catch(() => undefined) // a failed start still lets stop() clean up
    return started
  }
  core.stop = async () => {
    await starting
    await stop()
  }
  return core
}
