/**
 * /api/openapi.json against the app that really runs: every route in Express's router stack is
 * documented (and every documented operation is served), and real responses — every JSON GET,
 * plus the device API's heartbeat and event — fit their documented schemas, undocumented fields
 * included. A route added without its operation, or a field added without its schema, fails here.
 */
import { STREAM_EVENT_NAMES } from '../../src/shared/stream-events'
import type { Express } from 'express'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { buildEsp32Image } from '../helpers/esp32-image'
import { servedRoutes } from '../helpers/express-routes'
import { uploadFirmware } from '../helpers/firmware-upload'
import { heartbeatBody, request } from '../helpers/http'
import { schemaErrors } from '../helpers/json-schema'
import { startTestCore, type TestCore } from '../helpers/test-core'

// The core builds its Express app inside start(); keep a reference to walk its router stack.
const built: Express[] = []
vi.mock('../../src/main/core/http/app', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/main/core/http/app')>()
  return {
    ...real,
    createApp: (...args: Parameters<typeof real.createApp>) => {
      const entry = real.createApp(...args)
      built.push(entry.app)
      return entry
    }
  }
})

type JsonSchema = Record<string, unknown>
interface Operation {
  parameters?: Array<{ name: string; in: string; required?: boolean }>
  responses: Record<string, { content?: { 'application/json'?: { schema: JsonSchema } } }>
}
type Document = { paths: Record<string, Record<string, Operation>> }

/** GET routes whose 200 is not JSON, so they have no response schema to check. */
const NOT_JSON: Record<string, string> = {
  '/api/admin/export': 'a .tar.gz',
  '/api/admin/stream': 'server-sent events',
  '/api/ota/download/{version}': 'firmware bytes',
  '/api/ota/update': 'firmware bytes or 304',
  '/api/openapi.json': 'the document itself'
}

const DEVICE = 'AA:BB:CC:00:00:01'
// Documented paths end as the seed's did (/api/events/); Express serves both spellings.
const same = (path: string) => path.replace(/(.)\/$/, '$1')

describe('the OpenAPI document and the running app', () => {
  let t: TestCore
  let cookie: string
  let doc: Document
  let firmwareId: number
  const operation = (method: string, path: string) =>
    Object.entries(doc.paths).find(([p]) => same(p) === same(path))?.[1][method]
  const jsonSchema = (op: Operation | undefined, status: number) =>
    op?.responses[status]?.content?.['application/json']?.schema

  beforeAll(async () => {
    t = await startTestCore()
    cookie = await t.login()
    doc = (await request<Document>(`${t.url}/api/openapi.json`)).body
    // Something behind every GET: a device with a schedule, events, an alert, firmware, a backup.
    const key = { 'X-API-Key': t.deviceKey }
    await request(`${t.url}/api/devices/heartbeat`, { headers: key, body: heartbeatBody(DEVICE) })
    const put = await request(`${t.url}/api/admin/devices/${encodeURIComponent(DEVICE)}/schedule`, {
      method: 'PUT',
      headers: { cookie },
      body: { alarms: [{ label: 'Mañana', time: '09:00', days: ['mon', 'wed', 'fri'] }] }
    })
    expect(put.status).toBe(200)
    for (const type of ['alarm_triggered', 'dose_taken', 'ota_fail'])
      await request(`${t.url}/api/events`, {
        headers: key,
        body: { device_id: DEVICE, type, payload: { alarm_label: 'Mañana', version: '2.0.0' } }
      })
    const upload = await uploadFirmware(t.url, cookie, buildEsp32Image({ version: '1.1.0' }))
    expect(upload.status).toBe(201)
    firmwareId = upload.body.firmware.id
    await t.core.services.backups.backupNow('manual')
  })
  afterAll(() => t?.dispose())

  it('documents every route the app serves under /api, and serves every documented one', () => {
    expect(built).toHaveLength(1)
    const served = servedRoutes(built[0]!).filter((r) => r.path.startsWith('/api'))
    expect(served.length).toBeGreaterThan(40) // the walk really reached the mounted routers
    const undocumented = served
      .filter((r) => !operation(r.method, r.path))
      .map((r) => `${r.method.toUpperCase()} ${r.path}`)
    expect(undocumented, 'served but missing from /api/openapi.json').toEqual([])

    const servedKeys = new Set(served.map((r) => `${r.method} ${same(r.path)}`))
    const stale = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops)
        .filter((method) => !servedKeys.has(`${method} ${same(path)}`))
        .map((method) => `${method.toUpperCase()} ${path}`)
    )
    expect(stale, 'documented but not served').toEqual([])
  })

  it('every JSON GET answers with exactly its documented 200 shape', async () => {
    const gets = servedRoutes(built[0]!).filter(
      (r) => r.method === 'get' && r.path.startsWith('/api') && !(r.path in NOT_JSON)
    )
    const params: Record<string, string> = {
      device_id: DEVICE,
      id: String(firmwareId),
      current_version: '1.0.0'
    }
    const problems: string[] = []
    for (const route of gets) {
      const op = operation('get', route.path)
      const schema = jsonSchema(op, 200)
      if (!schema) {
        problems.push(`GET ${route.path}: no documented JSON schema for 200`)
        continue
      }
      const path = route.path.replace(/\{(\w+)\}/g, (_, name: string) =>
        encodeURIComponent(params[name]!)
      )
      const query = new URLSearchParams()
      for (const p of op!.parameters ?? [])
        if (p.in === 'query' && p.required) query.set(p.name, params[p.name]!)
      const res = await request(`${t.url}${path}${query.size ? `?${query}` : ''}`, {
        headers: { cookie, 'X-API-Key': t.deviceKey, 'X-Device-Id': DEVICE }
      })
      if (res.status !== 200) {
        problems.push(`GET ${path}: ${res.status} ${JSON.stringify(res.body)}`)
        continue
      }
      problems.push(...schemaErrors(schema, res.body).map((e) => `GET ${route.path} ${e}`))
    }
    expect(problems).toEqual([])
  })

  it("the device API's answers fit their schemas, the heartbeat's optional fields included", async () => {
    const key = { 'X-API-Key': t.deviceKey }
    const beat = await request(`${t.url}/api/devices/heartbeat`, {
      headers: key,
      body: heartbeatBody(DEVICE)
    })
    // With a schedule in force the answer carries schedule_version and tz.
    expect(Object.keys(beat.body as object)).toEqual(
      expect.arrayContaining(['schedule_version', 'tz'])
    )
    expect(
      schemaErrors(jsonSchema(operation('post', '/api/devices/heartbeat'), 200)!, beat.body)
    ).toEqual([])
    const event = await request(`${t.url}/api/events`, {
      headers: key,
      body: { device_id: DEVICE, type: 'dose_taken', event_id: 'openapi-1' }
    })
    expect(schemaErrors(jsonSchema(operation('post', '/api/events/'), 200)!, event.body)).toEqual(
      []
    )
  })

  it('the stream documents each of its event types', () => {
    const summary = (doc.paths['/api/admin/stream']!.get as unknown as { summary: string }).summary
    // Every type the stream can carry, so a new one cannot go undocumented.
    for (const name of STREAM_EVENT_NAMES) expect(summary).toContain(name)
  })
})
