import type { Request, RequestHandler } from 'express'
import { sendDeviceJson } from '../http/device-json'
import type { DeviceService } from '../devices/device-service'
import { assertNotBlocked, createEventRateLimit } from '../devices/device-gate'
import type { EventService } from './event-service'
import { parseEventBody } from './schemas'

/**
 * `POST /api/events/` (and without the slash). 200, not 201: sketches test `httpCode == 200`.
 * The answer leaves only once the event's batch is on disk.
 */
export function eventHandler(
  events: EventService,
  devices: DeviceService,
  limit: { capacity: number; perSecond: number } | undefined,
  /** The client's address; the request is Node's own here (http/device-path.ts). */
  ipOf: (req: Request) => string | null
): RequestHandler {
  const rateLimit = createEventRateLimit(limit?.capacity, limit?.perSecond)
  return (req, res, next) => {
    const body = parseEventBody(req.body)
    assertNotBlocked(devices, body.device_id)
    rateLimit(body.device_id)
    events.ingest(body, ipOf(req)).then(({ id, duplicate }) => {
      sendDeviceJson(
        res,
        duplicate ? `{"ok":true,"id":${id},"duplicate":true}` : `{"ok":true,"id":${id}}`
      )
    }, next)
  }
}
