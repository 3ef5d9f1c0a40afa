import { z } from 'zod'
import { deviceIdSchema } from '../../../shared/api-schemas'
import { adoptionViewSchema, tokenAnswerSchema } from '../../../shared/device-trust-schemas'
import type { ApiOperation } from '../lib/api-operation'

/** What the heartbeat gains for per-device tokens (documented on the heartbeat operation). */
export const tokenHeartbeatFields = {
  supports_device_token: z.boolean().optional().meta({
    description:
      'The firmware can store a token of its own: an adopted device that sends true with the enrolment key gets device_token in the answer, once'
  })
}
export const tokenHeartbeatAnswerFields = {
  device_token: z.string().optional().meta({
    description:
      'Only when the device sent supports_device_token: true with the enrolment key. Store it and send `Authorization: DeviceToken <token>` from then on; after its first use the shared key no longer works for this device id'
  })
}

export const deviceParamsSchema = z.object({ device_id: deviceIdSchema })

export const adoptionPatchSchema = z
  .object({
    open: z.boolean().meta({ description: 'true opens "accept new dispensers", false closes it' }),
    minutes: z
      .number()
      .int('must be whole minutes')
      .min(1)
      .max(1440)
      .default(60)
      .meta({ description: 'How long it stays open (default 60)' })
  })
  .strict()

export const rotateKeySchema = z
  .object({ grace_hours: z.number().int('must be whole hours').min(0).max(720).default(72) })
  .strict()

export {
  adoptionViewSchema,
  pendingDeviceSchema,
  tokenAnswerSchema,
  tokenViewSchema
} from '../../../shared/device-trust-schemas'

const adoptionAnswer = { 200: { description: 'Adoption state', schema: adoptionViewSchema } }
const tokenAnswer = { 200: { description: 'Token state', schema: tokenAnswerSchema } }

/** OpenAPI operations for device-trust/device-trust-routes.ts (assembled by http/openapi.ts). */
export const deviceTrustOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/admin/adoption',
    summary:
      '"Accept new dispensers" (open_until), dispensers waiting for adoption, and whether the shared key is a short seed-era key',
    tag: 'admin',
    responses: adoptionAnswer
  },
  {
    method: 'patch',
    path: '/api/admin/adoption',
    summary: 'Open "accept new dispensers" for some minutes (default 60), or close it',
    tag: 'admin',
    body: adoptionPatchSchema,
    responses: adoptionAnswer
  },
  {
    method: 'post',
    path: '/api/admin/adoption/pending/{device_id}/adopt',
    summary: 'Adopt a dispenser that is waiting; its next heartbeat is accepted',
    tag: 'admin',
    responses: { ...adoptionAnswer, 404: { description: 'Not waiting for adoption' } }
  },
  {
    method: 'delete',
    path: '/api/admin/adoption/pending/{device_id}',
    summary: 'Remove a dispenser from the waiting list (it reappears if it calls again)',
    tag: 'admin',
    responses: { ...adoptionAnswer, 404: { description: 'Not waiting for adoption' } }
  },
  {
    method: 'get',
    path: '/api/admin/devices/{device_id}/token',
    summary: "A dispenser's own token: none, issued, active or revoked (never the token itself)",
    tag: 'admin',
    responses: { ...tokenAnswer, 404: { description: 'No adopted device with that id' } }
  },
  {
    method: 'post',
    path: '/api/admin/devices/{device_id}/token/revoke',
    summary:
      'Revoke its token: neither the token nor the shared key works for this dispenser until re-issued',
    tag: 'admin',
    responses: { ...tokenAnswer, 404: { description: 'No adopted device with that id' } }
  },
  {
    method: 'post',
    path: '/api/admin/devices/{device_id}/token/reissue',
    summary:
      'Re-issue: the current token stops working; the next heartbeat made with the shared key gets a new one',
    tag: 'admin',
    responses: { ...tokenAnswer, 404: { description: 'No adopted device with that id' } }
  },
  {
    method: 'post',
    path: '/api/admin/device-key/rotate',
    summary: 'Make a new device key; the old one keeps working for grace_hours (default 72)',
    tag: 'admin',
    body: rotateKeySchema,
    bodyOptional: true,
    responses: {
      200: {
        description: 'The new key',
        schema: z.object({
          ok: z.literal(true),
          device_api_key: z.string(),
          previous_valid_until: z.string().nullable()
        })
      }
    }
  }
]
