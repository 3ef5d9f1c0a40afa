import { Router } from 'express'
import { parseOr422 } from '../http/errors'
import { clientIp } from '../http/client-ip'
import { deviceJsonBody } from '../http/json-body'
import type { EventService } from './event-service'
import { eventBodySchema } from './schemas'

/** `POST /api/events/` (and without the slash). 200, not 201: sketches test `httpCode == 200`. */
export function eventRoutes(events: EventService): Router {
  const router = Router({ strict: false })
  router.post('/', deviceJsonBody, (req, res) => {
    const body = parseOr422(eventBodySchema, req.body)
    const { id, duplicate } = events.ingest(body, clientIp(req))
    res.status(200).json({ ok: true, id, ...(duplicate ? { duplicate } : {}) })
  })
  return router
}
