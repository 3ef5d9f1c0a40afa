import { z } from 'zod'
import { errorEnvelopeSchema } from '../../../shared/api-schemas'
import { STREAM_EVENT_NAMES } from '../../../shared/stream-events'
import { accountOperations } from '../accounts/schemas'
import { authOperations } from '../admin/schemas'
import { alertOperations } from '../alerts/schemas'
import { backupOperations } from '../backup/schemas'
import { deviceTrustOperations } from '../device-trust/schemas'
import { deviceOperations } from '../devices/admin-schemas'
import { eventOperations } from '../events/admin-schemas'
import { firmwareOperations } from '../firmware/schemas'
import type { ApiOperation } from '../lib/api-operation'
import { APP_VERSION } from '../lib/version'
import { scheduleOperations } from '../schedules/schemas'
import { settingsOperations } from '../settings/schemas'
import { telegramOperations } from '../telegram/schemas'
import { todayOperations } from '../today/schemas'
import { logLinesResponseSchema, logQuerySchema } from './log-schemas'

/**
 * The OpenAPI document. Each feature lists its operations in its own schemas file, built from
 * the zod schemas its routes validate with, so the docs cannot drift from what the server
 * accepts; this file only adds the few routes http/app.ts serves itself and assembles the rest.
 * tests/api/openapi-completeness.test.ts fails on any served route missing here.
 */

/** The routes http/app.ts serves itself: health, this document, the logs and the live stream. */
const httpOperations: ApiOperation[] = [
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
    method: 'get',
    path: '/api/admin/stream',
    summary: `Server-sent events: ${STREAM_EVENT_NAMES.join(', ')}`,
    tag: 'admin',
    responses: { 200: { description: 'text/event-stream' } }
  }
]

const operations: ApiOperation[] = [
  ...backupOperations,
  ...deviceTrustOperations,
  ...alertOperations,
  ...telegramOperations,
  ...firmwareOperations,
  ...deviceOperations,
  ...eventOperations,
  ...authOperations,
  ...accountOperations,
  ...settingsOperations,
  ...scheduleOperations,
  ...todayOperations,
  ...httpOperations
]

const pathParam = (name: string) => ({
  name,
  in: 'path',
  required: true,
  schema: { type: 'string' }
})

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
      if (op.path.includes(`{${name}}`)) parameters.push(pathParam(name))
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
