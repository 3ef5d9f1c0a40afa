import express from 'express'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { requireDeviceKey } from '../../src/main/core/http/device-auth'
import { errorHandler, notFound } from '../../src/main/core/http/errors'
import { createLogger, silentSink } from '../../src/main/core/lib/logger'
import {
  deviceScheduleRoute,
  scheduleAdminRoutes
} from '../../src/main/core/schedules/schedule-routes'
import {
  createScheduleService,
  type ScheduleService
} from '../../src/main/core/schedules/schedule-service'
import type { TestCore } from '../helpers/test-core'

export interface ScheduleApp {
  url: string
  service: ScheduleService
  /** The service's clock: tests move it by hand. */
  clock: { now: number }
  close(): Promise<void>
}

/**
 * Mounts the schedule routers the way the core will (device route behind the device key, admin
 * routes under /api/admin) on their own server, over a running test core's database and
 * settings, with a clock the test controls. Devices and events still go through the core's own
 * HTTP API.
 */
export async function startScheduleApp(t: TestCore, startAt: string): Promise<ScheduleApp> {
  const clock = { now: Date.parse(startAt) }
  const settings = t.core.services.settings
  const service = createScheduleService({
    db: t.core.db,
    timeZone: () => settings.current().time_zone,
    offlineAfterS: settings.offlineAfterS,
    now: () => clock.now
  })
  const unlisten = service.listen(t.core.bus)
  const app = express()
  app.use(
    '/api/devices',
    requireDeviceKey(() => [t.deviceKey]),
    deviceScheduleRoute(service)
  )
  app.use('/api/admin', scheduleAdminRoutes(service))
  app.use(notFound)
  app.use(errorHandler(createLogger('test', silentSink)))
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s))
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    service,
    clock,
    async close() {
      unlisten()
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
    }
  }
}
