import { Router } from 'express'
import { parseOr422 } from '../http/errors'
import type { EventService } from './event-service'
import { eventQuerySchema } from './schemas'

/** `/api/admin/events` (behind the admin session): the history, newest first, by pages. */
export function eventAdminRoutes(events: EventService): Router {
  const router = Router()
  router.get('/events', (req, res) => {
    const query = parseOr422(eventQuerySchema, req.query, 'query')
    res.json(events.list(query))
  })
  return router
}
