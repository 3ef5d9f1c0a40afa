import { z } from 'zod'
import { DEVICE_ID_PATTERN, deviceIdSchema } from '../../../shared/api-schemas'
import { parseOr422 } from '../http/errors'

/** An empty string from firmware means "not given" rather than a value to store. */
const optionalText = (max: number) =>
  z
    .string()
    .max(max, `must be at most ${max} characters`)
    .nullish()
    .transform((v) => (v === '' || v == null ? undefined : v))

/** The seed's heartbeat body. Unknown fields are ignored, as pydantic did. */
export const heartbeatBodySchema = z.object({
  device_id: deviceIdSchema,
  firmware_version: optionalText(64).meta({ example: '1.0.0' }),
  ip_address: z
    .union([z.ipv4(), z.ipv6(), z.literal('')])
    .nullish()
    .transform((v) => (v ? v : undefined))
    .meta({ example: '192.168.1.50' }),
  status: optionalText(32).meta({ example: 'online' }),
  name: optionalText(100).meta({ example: 'Pastillero Cocina' })
})
export type HeartbeatBody = z.infer<typeof heartbeatBodySchema>

export const heartbeatResponseSchema = z.object({
  ok: z.literal(true),
  server_time: z.string().meta({ example: '2025-01-01T12:00:00Z' }),
  command: z
    .literal('reboot')
    .optional()
    .meta({ description: 'Present once when a reboot is pending' })
})

const IPV4 = z.regexes.ipv4

/** undefined for "not given", the string when it fits, or false: let zod decide (and explain). */
function text(value: unknown, max: number): string | undefined | false {
  if (value === undefined || value === null || value === '') return undefined
  return typeof value === 'string' && value.length <= max ? value : false
}

/**
 * The heartbeat body, checked cheaply: the common, valid shape is accepted by plain checks that
 * accept a subset of what the schema accepts, with the same result; anything else (an IPv6
 * address, a wrong type, a missing id) goes through the schema, which gives the same 422 as
 * ever.
 */
export function parseHeartbeatBody(value: unknown): HeartbeatBody {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const b = value as Record<string, unknown>
    const id = b.device_id
    const firmware = text(b.firmware_version, 64)
    const status = text(b.status, 32)
    const name = text(b.name, 100)
    const ip = b.ip_address
    const ipOk =
      ip === undefined || ip === null || ip === '' || (typeof ip === 'string' && IPV4.test(ip))
    if (
      typeof id === 'string' &&
      id.length > 0 &&
      id.length <= 64 &&
      DEVICE_ID_PATTERN.test(id) &&
      firmware !== false &&
      status !== false &&
      name !== false &&
      ipOk
    )
      return {
        device_id: id,
        firmware_version: firmware,
        ip_address: ip ? (ip as string) : undefined,
        status,
        name
      }
  }
  return parseOr422(heartbeatBodySchema, value)
}
