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
import { heartbeatHandler } from '../devices/device-routes'
import type { DeviceService } from '../devices/device-service'
import { eventHandler } from '../events/event-routes'
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
import { deviceJsonBody } from './json-body'
import { securityHeaders } from './security-headers'
import { docsRoutes } from './docs'
import { errorHandler, notFound, parseOr422 } from './errors'
import { z } from 'zod'

const logQuerySchema = z.object({
  limit: z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(1).max(1000))
    .optional()
})
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
  clock?: import('../lib/time').Clock
  /**
   * Writes what the device path holds in memory (the last second of heartbeats) so the routes
   * that read or write device rows with SQL see every device heard from.
   */
  commitHeldState?: () => void
}

/** Composes every router. Exported on its own so tests and the bench can mount it directly. */
export function createApp(deps: AppDeps): Express {
  const app = express()
  app.disable('x-powered-by')
  app.set('etag', false)

  // The device path first, with only what it needs: the headers every answer carries, the
  // device's credentials (a middleware step of its own), the body, the handler. Nothing of the
  // dashboard's stack runs before it.
  const deviceKey = requireDeviceKey(deps.deviceKeys)
  app.post(
    '/api/devices/heartbeat',
    securityHeaders,
    deviceKey,
    deviceJsonBody,
    heartbeatHandler(deps.devices, (id) => deps.schedules.heartbeatFields(id), deps.clock)
  )
  app.post(
    '/api/events',
    securityHeaders,
    deviceKey,
    deviceJsonBody,
    eventHandler(deps.events, deps.devices, deps.eventRateLimit)
  )

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
  app.use('/api/devices', deviceKey, deviceScheduleRoute(deps.schedules))
  app.use('/api/events', deviceKey)
  app.use('/api/ota', commitHeld, otaRoutes(deps.firmware, deps.devices, deps.deviceKeys))

  app.use('/api/admin', commitHeld, sameOriginWrites, authRoutes(deps))
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
