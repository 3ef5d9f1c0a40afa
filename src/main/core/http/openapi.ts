import { z } from 'zod'
import {
  deviceViewSchema,
  editableSettingsSchema,
  errorEnvelopeSchema,
  eventPageSchema,
  commandViewSchema,
  settingsViewSchema
} from '../../../shared/api-schemas'
import { heartbeatBodySchema, heartbeatResponseSchema } from '../devices/schemas'
import { deviceTrustOperations } from '../device-trust/device-trust-routes'
import { tokenHeartbeatAnswerFields, tokenHeartbeatFields } from '../device-trust/schemas'
import { eventBodySchema, eventCreatedSchema, eventQuerySchema } from '../events/schemas'
import { loginBodySchema, passwordChangeSchema } from '../admin/auth'
import { accountCreateSchema, accountPatchSchema, roleSchema } from '../accounts/account-routes'
import { exportQuerySchema, restoreBodySchema } from '../backup/backup-routes'
import { devicePatchSchema, rotateKeySchema } from '../admin/admin-routes'
import { APP_VERSION } from '../lib/version'
import { otaCheckResponseSchema, releaseBodySchema } from '../firmware/schemas'
import { scheduleOperations } from '../schedules/schemas'
import { todayOperations } from '../today/schemas'
import {
  alertViewSchema,
  firmwareViewSchema,
  telegramStatusSchema
} from '../../../shared/api-schemas'
import { ackBodySchema, alertQuerySchema, telegramPatchSchema } from '../alerts/alert-routes'
import { STREAM_EVENT_NAMES } from '../../../shared/stream-events'
import { logLinesResponseSchema, logQuerySchema } from './log-schemas'

/**
 * The OpenAPI document is built from the same zod schemas the routes validate with, so the docs
 * cannot drift from what the server accepts.
 */
interface Operation {
  method: 'get' | 'post' | 'patch' | 'put' | 'delete'
  path: string
  summary: string
  tag: 'device' | 'admin' | 'public'
  body?: z.ZodType
  /** The body may be left out (its fields all have defaults). */
  bodyOptional?: boolean
  query?: z.ZodObject
  responses: Record<number, { description: string; schema?: z.ZodType }>
}

const ok = z.object({ ok: z.literal(true) })
const deviceParam = { name: 'device_id', in: 'path', required: true, schema: { type: 'string' } }

const firmwareResponse = z.object({ ok: z.literal(true), firmware: firmwareViewSchema })
const familyClock = z.object({
  time_zone: z.string(),
  language: z.enum(['es', 'en']),
  zone_confirmed: z.boolean().meta({ description: 'The family has chosen its zone' })
})
const signedInAccount = z.object({ id: z.number().int(), name: z.string(), role: roleSchema })
const accountView = signedInAccount.extend({
  created_at: z.string(),
  password_changed_at: z.string(),
  password_from_env: z
    .boolean()
    .meta({ description: 'The first account while ADMIN_PASSWORD sets its password' })
})
const accountResponse = z.object({ ok: z.literal(true), account: accountView })
const binary = 'The image bytes (application/octet-stream) with Content-Length, x-MD5'

const operations: Operation[] = [
  {
    method: 'get',
    path: '/api/admin/backups',
    summary: 'Stored backups (daily automatic ones and manual ones), newest first',
    tag: 'admin',
    responses: {
      200: {
        description: 'Backups',
        schema: z.object({
          ok: z.literal(true),
          backups: z.array(
            z.object({
              name: z.string(),
              kind: z.enum(['auto', 'manual']),
              size: z.number(),
              created_at: z.string()
            })
          )
        })
      }
    }
  },
  {
    method: 'post',
    path: '/api/admin/backups',
    summary: 'Back up now (online: the app keeps running)',
    tag: 'admin',
    responses: { 201: { description: 'The new backup' } }
  },
  {
    method: 'post',
    path: '/api/admin/backups/{name}/restore',
    summary:
      'Restore a backup into a fresh database; Pastillero restarts (the replaced data is kept). ' +
      'The current accounts, sessions, device tokens, device key and Telegram token are kept ' +
      'unless restore_secrets is true. Admin accounts only.',
    tag: 'admin',
    body: restoreBodySchema,
    bodyOptional: true,
    responses: {
      202: { description: 'Scheduled' },
      422: { description: 'Damaged or newer backup' }
    }
  },
  {
    method: 'get',
    path: '/api/admin/export',
    summary:
      'The whole state (database and firmware files) as one .tar.gz; the Telegram bot token is ' +
      'left out unless include_telegram_token=true. Admin accounts only.',
    tag: 'admin',
    query: exportQuerySchema,
    responses: { 200: { description: 'application/gzip' } }
  },
  {
    method: 'post',
    path: '/api/admin/import',
    summary:
      'Replace the whole state with an exported archive (multipart "file"; optional field ' +
      'restore_secrets=true also brings back its accounts, device tokens and keys); Pastillero ' +
      'restarts. Admin accounts only.',
    tag: 'admin',
    responses: {
      202: { description: 'Scheduled' },
      413: { description: 'The archive unpacks to more than the limit' },
      422: { description: 'Not an export' }
    }
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
  },
  {
    method: 'get',
    path: '/api/admin/alerts',
    summary:
      'Alerts, newest first, with their Telegram deliveries; open_by_device counts unacknowledged ones',
    tag: 'admin',
    query: alertQuerySchema,
    responses: {
      200: {
        description: 'Alerts',
        schema: z.object({
          ok: z.literal(true),
          alerts: z.array(alertViewSchema),
          open_by_device: z.record(z.string(), z.number())
        })
      }
    }
  },
  {
    method: 'post',
    path: '/api/admin/alerts/{id}/ack',
    summary: 'Acknowledge an alert (Telegram messages are edited to say so); optional {by}',
    tag: 'admin',
    body: ackBodySchema,
    bodyOptional: true,
    responses: {
      200: {
        description: 'Alert',
        schema: z.object({ ok: z.literal(true), alert: alertViewSchema })
      }
    }
  },
  {
    method: 'get',
    path: '/api/admin/telegram',
    summary: 'Bot status (ok, conflict, error…), link code and recipients',
    tag: 'admin',
    responses: { 200: { description: 'Status', schema: telegramStatusSchema } }
  },
  {
    method: 'patch',
    path: '/api/admin/telegram',
    summary: 'Set or clear the bot token (unless TELEGRAM_BOT_TOKEN sets it)',
    tag: 'admin',
    body: telegramPatchSchema,
    responses: { 200: { description: 'Status', schema: telegramStatusSchema } }
  },
  {
    method: 'post',
    path: '/api/admin/telegram/test',
    summary: 'Send a test message to every recipient now',
    tag: 'admin',
    responses: { 200: { description: 'Per-recipient results' } }
  },
  {
    method: 'post',
    path: '/api/admin/telegram/link-code',
    summary: 'Make a new link code (the old one stops working)',
    tag: 'admin',
    responses: {
      200: {
        description: 'The code',
        schema: z.object({ ok: z.literal(true), link_code: z.string() })
      }
    }
  },
  {
    method: 'delete',
    path: '/api/admin/telegram/recipients/{chat_id}',
    summary: 'Stop sending alerts to a chat',
    tag: 'admin',
    responses: { 200: { description: 'Status', schema: telegramStatusSchema } }
  },
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
    responses: { 200: { description: 'Deleted', schema: ok } }
  },
  {
    method: 'post',
    path: '/api/admin/firmware/{id}/release',
    summary: 'Target all, some devices or a percentage of them; pause or resume',
    tag: 'admin',
    body: releaseBodySchema,
    responses: { 200: { description: 'Release', schema: firmwareResponse } }
  },
  {
    method: 'post',
    path: '/api/admin/devices/{device_id}/ota/retry',
    summary: 'Let a device be offered again a version that failed on it',
    tag: 'admin',
    responses: {
      200: {
        description: 'Device',
        schema: z.object({ ok: z.literal(true), device: deviceViewSchema })
      }
    }
  },
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
    method: 'post',
    path: '/api/events/',
    summary: 'Log an event (also at /api/events). A repeated event_id is stored once.',
    tag: 'device',
    body: eventBodySchema,
    responses: { 200: { description: 'Stored', schema: eventCreatedSchema } }
  },
  {
    method: 'get',
    path: '/api/health',
    summary: 'Liveness; needs no key',
    tag: 'public',
    responses: {
      200: { description: 'Up', schema: z.object({ ok: z.literal(true), version: z.string() }) }
    }
  },
  {
    method: 'post',
    path: '/api/admin/login',
    summary:
      'Sign in with an account name and password (no name: the first admin account); sets an ' +
      'HttpOnly SameSite=Strict session cookie (Secure behind a trusted HTTPS proxy). At most 5 ' +
      'failed attempts per client address and 20 per account name in 15 minutes, counted before ' +
      'the password is checked.',
    tag: 'public',
    body: loginBodySchema,
    responses: {
      200: {
        description: 'Signed in',
        schema: z.object({
          ok: z.literal(true),
          account: signedInAccount,
          family: familyClock.optional()
        })
      },
      401: { description: 'Wrong name or password' },
      429: { description: 'Too many failed attempts (Retry-After)' }
    }
  },
  {
    method: 'get',
    path: '/api/admin/session',
    summary: 'Whether this browser is signed in, and as whom',
    tag: 'public',
    responses: {
      200: {
        description: 'Session state',
        schema: z.object({
          ok: z.literal(true),
          signed_in: z.boolean(),
          account: signedInAccount.optional(),
          family: familyClock.optional().meta({ description: 'Only when signed in' })
        })
      }
    }
  },
  {
    method: 'get',
    path: '/api/admin/accounts',
    summary: 'The family accounts (admin accounts only)',
    tag: 'admin',
    responses: {
      200: {
        description: 'Accounts',
        schema: z.object({ ok: z.literal(true), accounts: z.array(accountView) })
      }
    }
  },
  {
    method: 'post',
    path: '/api/admin/accounts',
    summary:
      'Add a family member: role "family" sees, acknowledges and edits schedules; "admin" also ' +
      'settings, firmware, accounts and keys (admin accounts only)',
    tag: 'admin',
    body: accountCreateSchema,
    responses: {
      201: { description: 'Created', schema: accountResponse },
      409: { description: 'The name is taken' }
    }
  },
  {
    method: 'patch',
    path: '/api/admin/accounts/{id}',
    summary:
      'Change a role, or set a new password (ends every session of that account); admin accounts only',
    tag: 'admin',
    body: accountPatchSchema,
    responses: {
      200: { description: 'Updated', schema: accountResponse },
      409: { description: 'The last admin, or a password set by ADMIN_PASSWORD' }
    }
  },
  {
    method: 'delete',
    path: '/api/admin/accounts/{id}',
    summary: 'Remove an account and end its sessions (not oneself, not the last admin)',
    tag: 'admin',
    responses: { 200: { description: 'Removed', schema: ok }, 409: { description: 'Refused' } }
  },
  {
    method: 'get',
    path: '/api/openapi.json',
    summary: 'This document',
    tag: 'public',
    responses: { 200: { description: 'OpenAPI 3.0 (application/json)' } }
  },
  {
    method: 'get',
    path: '/api/admin/logs',
    summary: 'The newest lines of the structured log (secrets redacted)',
    tag: 'admin',
    query: logQuerySchema,
    responses: { 200: { description: 'Log lines', schema: logLinesResponseSchema } }
  },
  {
    method: 'post',
    path: '/api/admin/logout',
    summary: 'Sign out',
    tag: 'admin',
    responses: { 200: { description: 'Signed out', schema: ok } }
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
      200: {
        description: 'Device',
        schema: z.object({ ok: z.literal(true), device: deviceViewSchema })
      },
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
    responses: {
      200: {
        description: 'Renamed',
        schema: z.object({ ok: z.literal(true), device: deviceViewSchema })
      }
    }
  },
  {
    method: 'delete',
    path: '/api/admin/devices/{device_id}',
    summary: 'Forget a device and its history',
    tag: 'admin',
    responses: { 200: { description: 'Forgotten', schema: ok } }
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
    method: 'get',
    path: '/api/admin/events',
    summary: 'Event history, newest first, keyset-paginated (pass next_cursor as cursor)',
    tag: 'admin',
    query: eventQuerySchema,
    responses: { 200: { description: 'A page', schema: eventPageSchema } }
  },
  {
    method: 'get',
    path: '/api/admin/settings',
    summary: 'Settings, device key and server address',
    tag: 'admin',
    responses: { 200: { description: 'Settings', schema: settingsViewSchema } }
  },
  {
    method: 'patch',
    path: '/api/admin/settings',
    summary: 'Change settings',
    tag: 'admin',
    body: editableSettingsSchema.partial(),
    responses: { 200: { description: 'Settings', schema: settingsViewSchema } }
  },
  {
    method: 'post',
    path: '/api/admin/password',
    summary: 'Change your own password; your other sessions end (and their live streams close)',
    tag: 'admin',
    body: passwordChangeSchema,
    responses: { 200: { description: 'Changed', schema: ok } }
  },
  {
    method: 'get',
    path: '/api/admin/stream',
    summary: `Server-sent events: ${STREAM_EVENT_NAMES.join(', ')}`,
    tag: 'admin',
    responses: { 200: { description: 'text/event-stream' } }
  }
]

const jsonSchema = (schema: z.ZodType, io: 'input' | 'output') =>
  z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'openapi-3.0' })

function queryParameters(schema: z.ZodObject) {
  const json = jsonSchema(schema, 'input') as {
    properties?: Record<string, object>
    required?: string[]
  }
  return Object.entries(json.properties ?? {}).map(([name, s]) => ({
    name,
    in: 'query',
    required: json.required?.includes(name) ?? false,
    schema: s
  }))
}

operations.push(...(scheduleOperations as unknown as Operation[]))
operations.push(...(deviceTrustOperations as unknown as Operation[]))
operations.push(...(todayOperations as unknown as Operation[]))

let cached: object | undefined

export function openApiDocument(): object {
  if (cached) return cached
  const paths: Record<string, Record<string, object>> = {}
  for (const op of operations) {
    const responses: Record<string, object> = {}
    for (const [status, r] of Object.entries(op.responses)) {
      responses[status] = r.schema
        ? {
            description: r.description,
            content: { 'application/json': { schema: jsonSchema(r.schema, 'output') } }
          }
        : { description: r.description }
    }
    responses.default = {
      description: 'Error (400, 401, 404, 413, 422…)',
      content: { 'application/json': { schema: jsonSchema(errorEnvelopeSchema, 'output') } }
    }
    const parameters: object[] = []
    for (const name of ['device_id', 'id', 'version', 'current_version', 'chat_id', 'name']) {
      if (op.path.includes(`{${name}}`)) parameters.push({ ...deviceParam, name })
    }
    if (op.query) parameters.push(...queryParameters(op.query))
    ;(paths[op.path] ??= {})[op.method] = {
      summary: op.summary,
      tags: [op.tag],
      security:
        op.tag === 'device'
          ? [{ deviceKey: [] }, { deviceToken: [] }]
          : op.tag === 'admin'
            ? [{ session: [] }]
            : [],
      ...(parameters.length ? { parameters } : {}),
      ...(op.body
        ? {
            requestBody: {
              required: !op.bodyOptional,
              content: { 'application/json': { schema: jsonSchema(op.body, 'input') } }
            }
          }
        : {}),
      responses
    }
  }
  cached = {
    openapi: '3.0.3',
    info: {
      title: 'Pastillero API',
      version: APP_VERSION,
      description:
        'Device API compatible with the original Pastillero FastAPI server (X-API-Key), plus the admin API used by the dashboard.'
    },
    tags: [
      {
        name: 'device',
        description:
          'Called by ESP32 dispensers with the shared enrolment key (X-API-Key) or, once they have one, their own token (Authorization: DeviceToken <token>)'
      },
      {
        name: 'admin',
        description:
          'Dashboard and scripts; needs a session from /api/admin/login. Accounts with role ' +
          '"family" may read (except logs, backups, export, firmware and accounts), acknowledge ' +
          'alerts, edit schedules, change their own password and get a Telegram link code; ' +
          'anything else answers 403 admin-only. A Host header that is not one of this ' +
          "server's names answers 421 (DNS rebinding)."
      },
      { name: 'public', description: 'No credentials' }
    ],
    components: {
      securitySchemes: {
        deviceKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
        deviceToken: {
          type: 'apiKey',
          in: 'header',
          name: 'Authorization',
          description:
            "The device's own token, as `DeviceToken <token>` (from device_token in a heartbeat answer)"
        },
        session: { type: 'apiKey', in: 'cookie', name: 'pastillero_session' }
      }
    },
    paths
  }
  return cached
}
