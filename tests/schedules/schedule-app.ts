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
import type { ScheduleService } from '../../src/main/core/schedules/schedule-service'
import type { TestCore } from '../helpers/test-core'

export interface ScheduleApp {
  url: string
  service: ScheduleService
  /** The service's clock: tests move it by hand. */
  clock: { now: number }
  close(): Promise<void>
}

/**
 * Mounts the core's schedule routers on their own server without the admin session, so the
 * tests can call them plainly; the service is the core's, on a clock the test controls. Devices
 * and events go through the core's own HTTP API.
 */
export function testClock(startAt: string): { now: number } {
  return { now: Date.parse(startAt) }
}

export async function startScheduleApp(t: TestCore, clock: { now: number }): Promise<ScheduleApp> {
  // The core's own schedule service (created with `clock: () => clock.now`), so presence is
  // recorded once, by the core, on the test's clock.
  const service = t.core.services.schedules
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
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
    }
  }
}
