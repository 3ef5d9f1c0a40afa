import express, { type Express, type RequestHandler } from 'express'
import { adminRoutes } from '../admin/admin-routes'
import {
  authRoutes,
  readCookie,
  requireAdmin,
  sameOriginWrites,
  SESSION_COOKIE
} from '../admin/auth'
import type { AdminCredentials } from '../admin/credentials'
import type { SessionRepository } from '../admin/session-repository'
import { deviceRoutes } from '../devices/device-routes'
import type { DeviceService } from '../devices/device-service'
import { eventRoutes } from '../events/event-routes'
import { alertAdminRoutes } from '../alerts/alert-routes'
import { backupAdminRoutes } from '../backup/backup-routes'
import { deviceScheduleRoute, scheduleAdminRoutes } from '../schedules/schedule-routes'
import type { ScheduleService } from '../schedules/schedule-service'
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
import { requireDeviceKey } from './device-auth'
import { docsRoutes } from './docs'
import { errorHandler, notFound, parseOr422 } from './errors'
import { logQuerySchema } from './log-schemas'
import { openApiDocument } from './openapi'
import { dashboardRoutes } from './static-dashboard'

export interface AppDeps {
  log: Logger
  deviceKeys: () => readonly string[]
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
  credentials: AdminCredentials
  stream: RequestHandler
  staticDir?: string
}

const securityHeaders: RequestHandler = (_req, res, next) => {
  res.set({
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Content-Security-Policy':
      "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
  })
  next()
}

/** Composes every router. Exported on its own so tests and the bench can mount it directly. */
export function createApp(deps: AppDeps): Express {
  const app = express()
  app.disable('x-powered-by')
  app.set('etag', false)
  app.use(securityHeaders)

  const deviceKey = requireDeviceKey(deps.deviceKeys)
  app.get('/api/health', (_req, res) => {
    res.json({ ok: true, version: APP_VERSION })
  })
  app.get('/api/openapi.json', (_req, res) => {
    res.json(openApiDocument())
  })
  app.use(
    '/api/devices',
    deviceKey,
    deviceRoutes(deps.devices, (id) => deps.schedules.heartbeatFields(id)),
    deviceScheduleRoute(deps.schedules)
  )
  app.use('/api/events', deviceKey, eventRoutes(deps.events, deps.devices, deps.eventRateLimit))
  app.use('/api/ota', otaRoutes(deps.firmware, deps.devices, deps.deviceKeys))

  app.use('/api/admin', sameOriginWrites, authRoutes(deps))
  // Everything else under /api/admin needs a session: one check, then the feature routers.
  const admin = express.Router()
  admin.use(requireAdmin(deps.sessions))
  admin.use('/firmware', firmwareAdminRoutes(deps.firmware, deps.firmwareFiles))
  admin.use(alertAdminRoutes(deps.alerts, deps.telegram))
  admin.use(backupAdminRoutes(deps.backups))
  admin.use(scheduleAdminRoutes(deps.schedules))
  admin.get('/logs', (req, res) => {
    const { limit } = parseOr422(logQuerySchema, req.query, 'query')
    res.json({ ok: true, lines: deps.recentLog(limit ?? 200) })
  })
  admin.use(adminRoutes({ ...deps, stream: deps.stream }))
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
  app.use(errorHandler(deps.log))
  return app
}
