import { z } from 'zod'
import { alertViewSchema, deviceIdSchema } from '../../../shared/api-schemas'
import type { ApiOperation } from '../lib/api-operation'

export const alertQuerySchema = z.object({
  device_id: deviceIdSchema.optional(),
  open: z.enum(['true', 'false']).optional(),
  limit: z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(1).max(500))
    .optional(),
  before_id: z
    .string()
    .regex(/^\d{1,15}$/, 'must be an alert id')
    .transform(Number)
    .optional()
})

export const ackBodySchema = z
  .object({
    by: z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(60, 'must be at most 60 characters')
      .optional()
  })
  .strict()

export const alertIdParamsSchema = z.object({
  id: z
    .string()
    .regex(/^\d{1,15}$/, 'must be an alert id')
    .transform(Number)
})
/** OpenAPI operations for alerts/alert-routes.ts (assembled by http/openapi.ts). */
export const alertOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/admin/alerts',
    summary:
      'Alerts, newest first, with their Telegram deliveries; open_by_device counts unacknowledged ones',
    tag: 'admin',
    query: alertQuerySchema,
    responses: {
      200: {
        description: 'Alerts',
        schema: z.object({
          ok: z.literal(true),
          alerts: z.array(alertViewSchema),
          open_by_device: z.record(z.string(), z.number())
        })
      }
    }
  },
  {
    method: 'post',
    path: '/api/admin/alerts/{id}/ack',
    summary: 'Acknowledge an alert (Telegram messages are edited to say so); optional {by}',
    tag: 'admin',
    body: ackBodySchema,
    bodyOptional: true,
    responses: {
      200: {
        description: 'Alert',
        schema: z.object({ ok: z.literal(true), alert: alertViewSchema })
      }
    }
  }
]
