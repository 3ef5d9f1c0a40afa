import { z } from 'zod'
import { deviceIdSchema } from '../../../shared/api-schemas'

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
