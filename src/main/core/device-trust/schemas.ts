import { z } from 'zod'
import { deviceIdSchema } from '../../../shared/api-schemas'

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

export {
  adoptionViewSchema,
  pendingDeviceSchema,
  tokenAnswerSchema,
  tokenViewSchema
} from '../../../shared/device-trust-schemas'
