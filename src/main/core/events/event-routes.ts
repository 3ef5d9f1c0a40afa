import { Router } from 'express'
import { parseOr422 } from '../http/errors'
import { clientIp } from '../http/client-ip'
import { deviceJsonBody } from '../http/json-body'
import type { DeviceService } from '../devices/device-service'
import { assertNotBlocked, createEventRateLimit } from '../devices/device-gate'
import type { EventService } from './event-service'
import { eventBodySchema } from './schemas'

/** `POST /api/events/` (and without the slash). 200, not 201: sketches test `httpCode == 200`. */
export function eventRoutes(
  events: EventService,
  devices: DeviceService,
  limit?: { capacity: number; perSecond: number }
): Router {
  const rateLimit = createEventRateLimit(limit?.capacity, limit?.perSecond)
  const router = Router({ strict: false })
  router.post('/', deviceJsonBody, (req, res) => {
    const body = parseOr422(eventBodySchema, req.body)
    assertNotBlocked(devices, body.device_id)
    rateLimit(body.device_id)
    const { id, duplicate } = events.ingest(body, clientIp(req))
    res.status(200).json({ ok: true, id, ...(duplicate ? { duplicate } : {}) })
  })
  return router
}
