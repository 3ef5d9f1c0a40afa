import { z } from 'zod'
import { commandViewSchema, deviceIdSchema, deviceViewSchema } from '../../../shared/api-schemas'
import { tokenHeartbeatAnswerFields, tokenHeartbeatFields } from '../device-trust/schemas'
import type { ApiOperation } from '../lib/api-operation'
import { okSchema } from '../lib/api-operation'
import { heartbeatBodySchema, heartbeatResponseSchema } from './schemas'

// The dashboard's side of devices. Kept apart from ./schemas.ts, which holds the heartbeat's
// parsers on the device write path (tuned for speed, and changed for that reason alone).

export const deviceParamsSchema = z.object({ device_id: deviceIdSchema })
export const devicePatchSchema = z
  .object({
    name: z.string().trim().max(100, 'must be at most 100 characters').nullable().optional(),
    blocked: z.boolean().optional()
  })
  .strict()
  .refine((b) => b.name !== undefined || b.blocked !== undefined, {
    message: 'give name or blocked'
  })

const deviceResponse = z.object({ ok: z.literal(true), device: deviceViewSchema })

/**
 * OpenAPI operations for devices/device-routes.ts (the heartbeat) and
 * devices/device-admin-routes.ts (assembled by http/openapi.ts).
 */
export const deviceOperations: ApiOperation[] = [
  {
    method: 'post',
    path: '/api/devices/heartbeat',
    summary: 'Heartbeat: upserts the device; may carry a pending command (reboot), once',
    tag: 'device',
    body: heartbeatBodySchema.extend(tokenHeartbeatFields),
    responses: {
      200: {
        description: 'Recorded',
        schema: heartbeatResponseSchema.extend(tokenHeartbeatAnswerFields)
      },
      401: { description: 'Key or token refused (a device with its own token must use it)' },
      403: { description: 'Blocked, or waiting to be adopted in the dashboard' },
      429: { description: 'Too many heartbeats from this device, or new devices (Retry-After)' }
    }
  },
  {
    method: 'get',
    path: '/api/admin/devices',
    summary: 'Every device with its computed online state',
    tag: 'admin',
    responses: {
      200: {
        description: 'Devices',
        schema: z.object({ ok: z.literal(true), devices: z.array(deviceViewSchema) })
      }
    }
  },
  {
    method: 'get',
    path: '/api/admin/devices/{device_id}',
    summary: 'One device',
    tag: 'admin',
    responses: {
      200: { description: 'Device', schema: deviceResponse },
      404: { description: 'Unknown device' }
    }
  },
  {
    method: 'patch',
    path: '/api/admin/devices/{device_id}',
    summary:
      'Rename a device (null restores the name it reports) or block it (blocked devices get 403)',
    tag: 'admin',
    body: devicePatchSchema,
    responses: { 200: { description: 'Renamed', schema: deviceResponse } }
  },
  {
    method: 'delete',
    path: '/api/admin/devices/{device_id}',
    summary: 'Forget a device and its history',
    tag: 'admin',
    responses: { 200: { description: 'Forgotten', schema: okSchema } }
  },
  {
    method: 'post',
    path: '/api/admin/devices/{device_id}/reboot',
    summary: 'Queue a reboot, delivered with the next heartbeat',
    tag: 'admin',
    responses: {
      202: {
        description: 'Queued',
        schema: z.object({ ok: z.literal(true), command: commandViewSchema })
      }
    }
  },
  {
    method: 'post',
    path: '/api/admin/devices/{device_id}/ota/retry',
    summary: 'Let a device be offered again a version that failed on it',
    tag: 'admin',
    responses: { 200: { description: 'Device', schema: deviceResponse } }
  }
]
