import { z } from 'zod'
import { deviceIdSchema, firmwareViewSchema } from '../../../shared/api-schemas'
import type { ApiOperation } from '../lib/api-operation'
import { okSchema } from '../lib/api-operation'

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

const firmwareResponse = z.object({ ok: z.literal(true), firmware: firmwareViewSchema })
const binary = 'The image bytes (application/octet-stream) with Content-Length, x-MD5'

/**
 * OpenAPI operations for firmware/ota-routes.ts (the dispensers' side) and
 * firmware/firmware-routes.ts (the dashboard's), assembled by http/openapi.ts.
 */
export const firmwareOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/ota/check/{current_version}',
    summary:
      'Is a newer firmware released for this device? Identify it with its token, X-Device-Id or ?device_id=; the url then names the device',
    tag: 'device',
    responses: { 200: { description: 'Offer or none', schema: otaCheckResponseSchema } }
  },
  {
    method: 'get',
    path: '/api/ota/download/{version}',
    summary:
      'Download an image (device token, or X-API-Key / ?key= with the device named by X-Device-Id, ?device_id= or x-ESP32-STA-MAC); supports Range, ETag, x-MD5, x-SHA256',
    tag: 'device',
    responses: {
      200: { description: binary },
      206: { description: 'Partial content' },
      401: { description: 'No credential, or the device could not be identified' }
    }
  },
  {
    method: 'get',
    path: '/api/ota/update',
    summary:
      'Arduino-ESP32 HTTPUpdate endpoint: reads x-ESP32-* headers (x-ESP32-STA-MAC names the device); 304 = no update, 200 = image. Device token, or key as X-API-Key or ?key=',
    tag: 'device',
    responses: {
      200: { description: binary },
      304: { description: 'No update for this device' },
      409: { description: 'Does not fit the free space' }
    }
  },
  {
    method: 'get',
    path: '/api/admin/firmware',
    summary: 'Uploaded firmware, newest version first',
    tag: 'admin',
    responses: {
      200: {
        description: 'List',
        schema: z.object({ ok: z.literal(true), firmware: z.array(firmwareViewSchema) })
      }
    }
  },
  {
    method: 'post',
    path: '/api/admin/firmware',
    summary:
      'Upload an ESP32 .bin (multipart/form-data: file, optional version, notes and release). release=all (the default) offers it to every device at once; release=none stores it paused, offered to nobody until POST /api/admin/firmware/{id}/release sets a target with paused=false (what the dashboard does after the person confirms)',
    tag: 'admin',
    responses: {
      201: { description: 'Stored', schema: firmwareResponse },
      409: { description: 'That version exists' },
      413: { description: 'Over 16 MiB' },
      422: { description: 'Not a valid ESP32 application image' }
    }
  },
  {
    method: 'get',
    path: '/api/admin/firmware/{id}',
    summary: 'One firmware version with its release',
    tag: 'admin',
    responses: {
      200: { description: 'Firmware', schema: firmwareResponse },
      404: { description: 'Unknown id' }
    }
  },
  {
    method: 'delete',
    path: '/api/admin/firmware/{id}',
    summary: 'Delete a firmware version',
    tag: 'admin',
    responses: { 200: { description: 'Deleted', schema: okSchema } }
  },
  {
    method: 'post',
    path: '/api/admin/firmware/{id}/release',
    summary: 'Target all, some devices or a percentage of them; pause or resume',
    tag: 'admin',
    body: releaseBodySchema,
    responses: { 200: { description: 'Release', schema: firmwareResponse } }
  }
]
