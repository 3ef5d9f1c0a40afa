import { eventPageSchema } from '../../../shared/api-schemas'
import type { ApiOperation } from '../lib/api-operation'
import { eventBodySchema, eventCreatedSchema, eventQuerySchema } from './schemas'

// Kept apart from ./schemas.ts, which holds the event's parsers on the device write path.

/**
 * OpenAPI operations for events/event-routes.ts (a device logs an event) and
 * events/event-admin-routes.ts (the history), assembled by http/openapi.ts.
 */
export const eventOperations: ApiOperation[] = [
  {
    method: 'post',
    path: '/api/events/',
    summary: 'Log an event (also at /api/events). A repeated event_id is stored once.',
    tag: 'device',
    body: eventBodySchema,
    responses: { 200: { description: 'Stored', schema: eventCreatedSchema } }
  },
  {
    method: 'get',
    path: '/api/admin/events',
    summary: 'Event history, newest first, keyset-paginated (pass next_cursor as cursor)',
    tag: 'admin',
    query: eventQuerySchema,
    responses: { 200: { description: 'A page', schema: eventPageSchema } }
  }
]
