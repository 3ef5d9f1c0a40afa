import express, {
  type ErrorRequestHandler,
  type Express,
  type Request,
  type Response,
  type Router
} from 'express'
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http'
import { deviceGate } from '../device-trust/device-gate-middleware'
import type { DeviceTrust } from '../device-trust/device-trust'
import { heartbeatHandler } from '../devices/device-routes'
import type { DeviceService } from '../devices/device-service'
import { eventHandler } from '../events/event-routes'
import type { EventService } from '../events/event-service'
import type { ScheduleService } from '../schedules/schedule-service'
import type { Clock } from '../lib/time'
import { clientIpOf } from './client-ip'
import { deviceErrorHeaders } from './device-json'

/*
 * The device API's two write routes, `POST /api/devices/heartbeat` and `POST /api/events/`,
 * served ahead of Express's application handler.
 *
 * Why: `app.handle()` gives every request Express's request and response by swapping the
 * prototypes of Node's two objects (`Object.setPrototypeOf`). That changes their hidden class,
 * and everything Node's HTTP code then does with them (parsing the body, writing the head and
 * the answer) runs on slower, generic paths. Measured on this machine (2 cores, autocannon, 64
 * connections, one small JSON POST, CPU per request of the server process): a bare node:http
 * handler 73 µs; the same handler behind an Express Router 80 µs; behind the two prototype
 * swaps alone 193 µs; as a route of an Express app 251 µs. That swap was a third of a
 * heartbeat's cost (docs/performance.md, "The device path before app.handle").
 *
 * The routes are still Express: an Express Router, express.json (through the device-trust
 * gate) and the same middleware as before, which the app also mounts first, so the app alone
 * routes exactly as it always did (route listings and the OpenAPI check walk it). The server's
 * listener (`deviceFirst`) hands each POST to this router first; whatever it does not answer
 * goes on to the app untouched. What the routes use is Node's own: headers, socket,
 * `writeHead`/`end`, plus `res.locals`, set here as app.handle would. An error leaves the lean
 * path: the request and response become Express's, as app.handle would have made them, and the
 * app's own error handler answers, so every error answer is the one it always was.
 */

export interface DevicePathDeps {
  deviceTrust: DeviceTrust
  devices: DeviceService
  events: EventService
  schedules: ScheduleService
  eventRateLimit?: { capacity: number; perSecond: number }
  trustProxy?: boolean
  clock?: Clock
}

/** The heartbeat and event routes as one Express Router (mounted first by the app, too). */
export function deviceWriteRoutes(deps: DevicePathDeps): Router {
  const trustProxy = deps.trustProxy === true
  const ipOf = (req: Request) => clientIpOf(req, trustProxy)
  const routes = express.Router()
  const heartbeat = express.Router()
  heartbeat.post(
    '/heartbeat',
    deviceGate(deps.deviceTrust, 'heartbeat', ipOf),
    heartbeatHandler(
      deps.devices,
      (id) => ({ ...deps.schedules.heartbeatFields(id), ...deps.deviceTrust.heartbeatFields(id) }),
      deps.clock ?? Date.now,
      ipOf
    ),
    deviceErrorHeaders
  )
  routes.use('/api/devices', heartbeat)
  routes.post(
    '/api/events',
    deviceGate(deps.deviceTrust, 'events', ipOf),
    eventHandler(deps.events, deps.devices, deps.eventRateLimit, ipOf),
    deviceErrorHeaders
  )
  return routes
}

/**
 * The server's request listener: POSTs try the device routes first, on Node's request and
 * response; everything else, and every POST they do not answer, goes to the app.
 */
export function deviceFirst(
  app: Express,
  routes: Router,
  onError: ErrorRequestHandler
): RequestListener {
  return (req, res) => {
    if (req.method !== 'POST') return void app(req, res)
    const request = req as unknown as Request
    const response = res as unknown as Response
    response.locals = Object.create(null) as Response['locals']
    routes(request, response, (err?: unknown) => {
      if (err === undefined || err === null || err === 'route' || err === 'router')
        return void app(req, res)
      asExpress(app, req, res)
      onError(err, request, response, () => {
        // What Express's final handler does when the answer had already started.
        if (res.headersSent) req.socket.destroy()
      })
    })
  }
}

/** What app.handle() gives a request before routing it (express/lib/application.js). */
function asExpress(app: Express, req: IncomingMessage, res: ServerResponse): void {
  ;(req as unknown as { res: ServerResponse }).res = res
  ;(res as unknown as { req: IncomingMessage }).req = req
  Object.setPrototypeOf(req, app.request)
  Object.setPrototypeOf(res, app.response)
}
