import express, { type Express, type RequestHandler } from 'express'
import type { RequestListener } from 'node:http'
import { accountRoutes } from '../accounts/account-routes'
import type { AccountService } from '../accounts/account-service'
import {
  authRoutes,
  readCookie,
  requireRole,
  requireSession,
  sameOriginWrites,
  SESSION_COOKIE
} from '../admin/auth'
import type { SessionRepository } from '../admin/session-repository'
import { deviceAdminRoutes } from '../devices/device-admin-routes'
import type { DeviceService } from '../devices/device-service'
import { eventAdminRoutes } from '../events/event-admin-routes'
import { alertAdminRoutes } from '../alerts/alert-routes'
import { backupAdminRoutes } from '../backup/backup-routes'
import { deviceScheduleRoute, scheduleAdminRoutes } from '../schedules/schedule-routes'
import type { ScheduleService } from '../schedules/schedule-service'
import { createTodayService } from '../today/today-service'
import { todayRoutes } from '../today/today-routes'
import type { BackupService } from '../backup/backup-service'
import type { AlertService } from '../alerts/alert-service'
import type { TelegramService } from '../telegram/telegram-service'
import type { FirmwareFiles } from '../firmware/firmware-files'
import { firmwareAdminRoutes } from '../firmware/firmware-routes'
import type { FirmwareService } from '../firmware/firmware-service'
import { otaRoutes } from '../firmware/ota-routes'
import type { EventService } from '../events/event-service'
import type { Logger } from '../lib/logger'
import { APP_VERSION } from '../lib/version'
import type { SettingsService } from '../settings/settings-service'
import { settingsAdminRoutes } from '../settings/settings-routes'
import { telegramAdminRoutes } from '../telegram/telegram-routes'
import { clientIp, TRUST_PROXY_SETTING } from './client-ip'
import { requireKnownHost } from './host-check'
import { deviceGate } from '../device-trust/device-gate-middleware'
import type { DeviceTrust } from '../device-trust/device-trust'
import { deviceTrustAdminRoutes } from '../device-trust/device-trust-routes'
import { deviceFirst, deviceWriteRoutes } from './device-path'
import { securityHeaders } from './security-headers'
import { docsRoutes } from './docs'
import { errorHandler, notFound, parseOr422 } from './errors'
import { logQuerySchema } from './log-schemas'
import { openApiDocument } from './openapi'
import { dashboardRoutes } from './static-dashboard'

export interface AppDeps {
  log: Logger
  deviceTrust: DeviceTrust
  keyRing: import('../admin/device-keys').DeviceKeys
  eventRateLimit?: { capacity: number; perSecond: number }
  devices: DeviceService
  events: EventService
  settings: SettingsService
  firmware: FirmwareService
  firmwareFiles: FirmwareFiles
  alerts: AlertService
  telegram: TelegramService
  backups: BackupService
  schedules: ScheduleService
  recentLog: (limit: number) => import('../lib/file-log').LogLine[]
  sessions: SessionRepository
  accounts: () => AccountService
  /** PASTILLERO_TRUST_PROXY: client address and scheme from the proxy's headers. */
  trustProxy?: boolean
  /** Names besides this machine's own that the admin API answers to. */
  allowedHosts?: readonly string[]
  stream: RequestHandler
  staticDir?: string
  clock?: import('../lib/time').Clock
  /**
   * Writes what the device path holds in memory (the last second of heartbeats) so the routes
   * that read or write device rows with SQL see every device heard from.
   */
  commitHeldState?: () => void
}

/** The Express app, and the server's request listener, which puts the device path first. */
export interface HttpEntry {
  app: Express
  listener: RequestListener
}

/** Composes every router. Exported on its own so tests and the bench can mount it directly. */
export function createApp(deps: AppDeps): HttpEntry {
  const app = express()
  app.disable('x-powered-by')
  app.set('etag', false)
  app.set(TRUST_PROXY_SETTING, deps.trustProxy === true)

  // The device write path first, with only what it needs (http/device-path.ts): the server's
  // listener reaches these routes before app.handle; the app mounts them first too, so on its
  // own it routes exactly the same. Nothing of the dashboard's stack runs before them.
  const devicePath = deviceWriteRoutes(deps)
  app.use(devicePath)

  app.use(securityHeaders)
  const commitHeld: RequestHandler = (_req, _res, next) => {
    deps.commitHeldState?.()
    next()
  }
  app.get('/api/health', (_req, res) => {
    res.json({ ok: true, version: APP_VERSION })
  })
  app.get('/api/openapi.json', (_req, res) => {
    res.json(openApiDocument())
  })
  // Device credentials (enrolment key or per-device token) and adoption are checked by the
  // device-trust gate before the feature routes, which stay unaware of them.
  app.use(
    '/api/devices',
    deviceGate(deps.deviceTrust, 'devices', clientIp),
    deviceScheduleRoute(deps.schedules)
  )
  app.use('/api/events', deviceGate(deps.deviceTrust, 'events', clientIp))
  app.use('/api/ota', commitHeld, otaRoutes(deps.firmware, deps.devices, deps.deviceTrust))

  // DNS rebinding: a page on an attacker's name must not reach the admin API through the browser.
  const family = () => {
    const { time_zone, language } = deps.settings.current()
    return { time_zone, language, zone_confirmed: deps.settings.zoneConfirmed() }
  }
  app.use(
    '/api/admin',
    commitHeld,
    requireKnownHost(deps.allowedHosts),
    sameOriginWrites,
    authRoutes({ ...deps, family })
  )
  // Everything else under /api/admin needs a session and the right role: one check each, then
  // the feature routers.
  const admin = express.Router()
  admin.use(requireSession(deps.sessions), requireRole)
  admin.use(accountRoutes(deps.accounts))
  admin.use('/firmware', firmwareAdminRoutes(deps.firmware, deps.firmwareFiles))
  admin.use(alertAdminRoutes(deps.alerts))
  admin.use(telegramAdminRoutes(deps.telegram))
  admin.use(backupAdminRoutes(deps.backups))
  admin.use(scheduleAdminRoutes(deps.schedules))
  admin.use(deviceTrustAdminRoutes(deps.deviceTrust, deps.keyRing))
  admin.use(
    todayRoutes(
      createTodayService({
        devices: deps.devices,
        schedules: deps.schedules,
        alerts: deps.alerts,
        settings: deps.settings
      })
    )
  )
  admin.get('/logs', (req, res) => {
    const { limit } = parseOr422(logQuerySchema, req.query, 'query')
    res.json({ ok: true, lines: deps.recentLog(limit ?? 200) })
  })
  admin.use(deviceAdminRoutes(deps.devices, deps.firmware))
  admin.use(eventAdminRoutes(deps.events))
  admin.use(settingsAdminRoutes(deps.settings))
  admin.get('/stream', deps.stream)
  app.use('/api/admin', admin)
  app.use('/docs', docsRoutes())
  app.use('/api', notFound)
  app.use(
    dashboardRoutes(deps.staticDir, (req) => {
      const token = readCookie(req, SESSION_COOKIE)
      return !!token && deps.sessions.isValid(token)
    })
  )
  app.use(notFound)
  const onError = errorHandler(deps.log)
  app.use(onError)
  return { app, listener: deviceFirst(app, devicePath, onError) }
}
