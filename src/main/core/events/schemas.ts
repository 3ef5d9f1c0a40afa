import { z } from 'zod'
import { deviceIdSchema, eventTypeSchema } from '../../../shared/api-schemas'

/**
 * A device clock reading: epoch seconds (what `time(nullptr)` gives on an ESP32), epoch
 * milliseconds, or an ISO-8601 string with a zone. Normalised to a Date.
 */
export const deviceTimestampSchema = z
  .union([
    z.number().finite().nonnegative(),
    z.iso.datetime({ offset: true }),
    z.iso.datetime({ local: true })
  ])
  .transform((value, ctx) => {
    const date =
      typeof value === 'number'
        ? new Date(value > 1e11 ? value : value * 1000)
        : new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value}Z`)
    if (Number.isNaN(date.getTime())) {
      ctx.addIssue({ code: 'custom', message: 'is not a valid time' })
      return z.NEVER
    }
    return date
  })
  .meta({ description: 'Epoch seconds, epoch milliseconds or ISO-8601', example: 1735732800 })

export const eventBodySchema = z.object({
  device_id: deviceIdSchema,
  type: eventTypeSchema,
  payload: z
    .record(z.string(), z.unknown())
    .nullish()
    .transform((v) => v ?? undefined)
    .meta({ example: { alarm_label: 'Medicamento mañana' } }),
  timestamp: deviceTimestampSchema.nullish().transform((v) => v ?? undefined),
  event_id: z
    .string()
    .min(1, 'must not be empty')
    .max(64, 'must be at most 64 characters')
    .regex(/^[A-Za-z0-9:._-]+$/, 'may only contain A-Z a-z 0-9 : . _ -')
    .nullish()
    .transform((v) => v ?? undefined)
    .meta({ description: 'Made by the device; a retried POST with the same id is stored once' })
})
export type EventBody = z.infer<typeof eventBodySchema>

export const eventCreatedSchema = z.object({
  ok: z.literal(true),
  id: z.number().int(),
  duplicate: z
    .boolean()
    .optional()
    .meta({ description: 'True when this event_id was already stored' })
})

export const eventQuerySchema = z.object({
  device_id: deviceIdSchema.optional(),
  type: eventTypeSchema.optional(),
  since: z.iso.datetime({ offset: true }).optional(),
  until: z.iso.datetime({ offset: true }).optional(),
  limit: z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(1).max(1000))
    .optional(),
  cursor: z.string().max(200).optional()
})
export type EventQuery = z.infer<typeof eventQuerySchema>
