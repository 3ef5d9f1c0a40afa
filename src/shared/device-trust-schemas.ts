import { z } from 'zod'

/** Views of device adoption and per-device tokens, shared by the core and the dashboard. */

export const pendingDeviceSchema = z.object({
  device_id: z.string(),
  name: z.string().nullable(),
  firmware_version: z.string().nullable(),
  ip_address: z.string().nullable().meta({ description: 'The address it called from' }),
  first_seen: z.string(),
  last_seen: z.string(),
  attempts: z.number().int()
})

export const adoptionViewSchema = z.object({
  ok: z.literal(true),
  open_until: z
    .string()
    .nullable()
    .meta({ description: 'While set, unknown dispensers are adopted automatically' }),
  pending: z.array(pendingDeviceSchema),
  device_key_short: z.boolean().meta({
    description:
      'The shared device key is shorter than 16 characters (a seed-era key): rotate it with a grace period'
  }),
  device_key_rotatable: z.boolean()
})
export type AdoptionView = z.infer<typeof adoptionViewSchema>

export type PendingDevice = z.infer<typeof pendingDeviceSchema>

export const tokenViewSchema = z.object({
  device_id: z.string(),
  state: z.enum(['none', 'issued', 'active', 'revoked']).meta({
    description:
      'none: uses the shared key; issued: handed out, not used yet; active: only its token works; revoked: nothing works until re-issued'
  }),
  issued_at: z.string().nullable(),
  used_at: z.string().nullable(),
  adopted_at: z.string().nullable(),
  adopted_by: z.string().nullable()
})
export const tokenAnswerSchema = z.object({ ok: z.literal(true), token: tokenViewSchema })
export type TokenView = z.infer<typeof tokenViewSchema>
