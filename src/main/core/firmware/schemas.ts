import { z } from 'zod'
import { deviceIdSchema } from '../../../shared/api-schemas'

export const releaseBodySchema = z
  .object({
    target: z.literal('all').optional(),
    devices: z.array(deviceIdSchema).min(1, 'must name at least one device').max(1000).optional(),
    percent: z.number().int('must be a whole number').min(0).max(100).optional(),
    paused: z.boolean().optional()
  })
  .strict()
  .refine((b) => [b.target, b.devices, b.percent].filter((x) => x !== undefined).length <= 1, {
    message: 'give only one of target, devices or percent'
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'give target, devices, percent or paused' })
export type ReleaseBody = z.infer<typeof releaseBodySchema>

export const firmwareIdParamsSchema = z.object({
  id: z
    .string()
    .regex(/^\d{1,12}$/, 'must be a firmware id')
    .transform(Number)
})

export const versionParamSchema = z.object({
  version: z.string().min(1).max(64, 'must be at most 64 characters')
})

export const otaCheckQuerySchema = z.object({ device_id: deviceIdSchema.optional() }).passthrough()

export const otaCheckResponseSchema = z.union([
  z.object({
    update_available: z.literal(true),
    version: z.string(),
    url: z.string().meta({ description: 'Absolute URL of the image' }),
    size: z.number().int(),
    md5: z.string(),
    sha256: z.string()
  }),
  z.object({ update_available: z.literal(false) })
])
