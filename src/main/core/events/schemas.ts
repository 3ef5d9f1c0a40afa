import { z } from 'zod'
import {
  DEVICE_ID_PATTERN,
  deviceIdSchema,
  EVENT_TYPES,
  eventTypeSchema
} from '../../../shared/api-schemas'
import { parseOr422 } from '../http/errors'

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

const EVENT_TYPE_SET: ReadonlySet<string> = new Set(EVENT_TYPES)
const EVENT_ID_PATTERN = /^[A-Za-z0-9:._-]+$/

/**
 * The event body, checked cheaply: the common valid shape (a known type, an object payload, an
 * epoch timestamp) is accepted by plain checks that accept a subset of what the schema accepts,
 * with the same result; anything else (ISO timestamps, wrong types) goes through the schema, so
 * every 422 is the one it always was.
 */
export function parseEventBody(value: unknown): EventBody {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const b = value as Record<string, unknown>
    const { device_id: id, type, payload, timestamp, event_id: eventId } = b
    const payloadOk =
      payload === undefined ||
      payload === null ||
      (typeof payload === 'object' &&
        !Array.isArray(payload) &&
        Object.getPrototypeOf(payload) === Object.prototype &&
        !Object.hasOwn(payload, '__proto__'))
    let when: Date | undefined
    if (typeof timestamp === 'number' && Number.isFinite(timestamp) && timestamp >= 0) {
      when = new Date(timestamp > 1e11 ? timestamp : timestamp * 1000)
      if (Number.isNaN(when.getTime())) when = undefined
    }
    const timestampOk = timestamp === undefined || timestamp === null || when !== undefined
    const eventIdOk =
      eventId === undefined ||
      eventId === null ||
      (typeof eventId === 'string' &&
        eventId.length > 0 &&
        eventId.length <= 64 &&
        EVENT_ID_PATTERN.test(eventId))
    if (
      typeof id === 'string' &&
      id.length > 0 &&
      id.length <= 64 &&
      DEVICE_ID_PATTERN.test(id) &&
      typeof type === 'string' &&
      EVENT_TYPE_SET.has(type) &&
      payloadOk &&
      timestampOk &&
      eventIdOk
    )
      return {
        device_id: id,
        type: type as EventBody['type'],
        payload: (payload ?? undefined) as Record<string, unknown> | undefined,
        timestamp: when,
        event_id: (eventId ?? undefined) as string | undefined
      }
  }
  return parseOr422(eventBodySchema, value)
}
