import Database from 'better-sqlite3'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestCore, type TestCore } from '../helpers/test-core'
import { heartbeatBody, request } from '../helpers/http'

describe('bad input to the device API', () => {
  let t: TestCore
  const key = () => ({ 'X-API-Key': t.deviceKey })

  beforeAll(async () => {
    t = await startTestCore()
  })
  afterAll(() => t.dispose())

  const expectEnvelope = (body: any, code: string) => {
    expect(body).toEqual({
      ok: false,
      error: expect.objectContaining({ code, message: expect.any(String) })
    })
  }

  it('a missing key gets 401', async () => {
    const res = await request(`${t.url}/api/devices/heartbeat`, { body: heartbeatBody('k1') })
    expect(res.status).toBe(401)
    expectEnvelope(res.body, 'missing-api-key')
  })

  it('a wrong key gets 401, also on events', async () => {
    for (const path of ['/api/devices/heartbeat', '/api/events/']) {
      const res = await request(`${t.url}${path}`, {
        headers: { 'X-API-Key': `${t.deviceKey}x` },
        body: { device_id: 'k2', type: 'reboot' }
      })
      expect(res.status).toBe(401)
      expectEnvelope(res.body, 'invalid-api-key')
    }
  })

  it('malformed JSON gets 400', async () => {
    for (const raw of ['{"device_id": ', '{device_id: 1}', 'null', '"text"']) {
      const res = await request(`${t.url}/api/devices/heartbeat`, {
        headers: { ...key(), 'content-type': 'application/json' },
        raw
      })
      expect(res.status, raw).toBe(400)
      expectEnvelope(res.body, 'malformed-json')
    }
  })

  it('JSON without a Content-Type header is still accepted, as ESP32 sketches often omit it', async () => {
    const res = await request(`${t.url}/api/devices/heartbeat`, {
      headers: key(),
      raw: JSON.stringify(heartbeatBody('no-content-type'))
    })
    expect(res.status).toBe(200)
  })

  it('a body over 16 KiB gets 413', async () => {
    const res = await request(`${t.url}/api/events/`, {
      headers: key(),
      body: { device_id: 'big', type: 'reboot', payload: { blob: 'x'.repeat(17 * 1024) } }
    })
    expect(res.status).toBe(413)
    expectEnvelope(res.body, 'payload-too-large')
  })

  const violations: Array<[string, string, Record<string, unknown>, string]> = [
    ['heartbeat', 'missing device_id', { firmware_version: '1.0.0' }, 'device_id'],
    ['heartbeat', 'empty device_id', { device_id: '' }, 'device_id'],
    ['heartbeat', 'device_id over 64', { device_id: 'A'.repeat(65) }, 'device_id'],
    ['heartbeat', 'device_id with a slash', { device_id: 'a/b' }, 'device_id'],
    ['heartbeat', 'device_id with a space', { device_id: 'a b' }, 'device_id'],
    ['heartbeat', 'device_id with unicode', { device_id: 'pastillero-ñ' }, 'device_id'],
    ['heartbeat', 'device_id a number', { device_id: 12 }, 'device_id'],
    [
      'heartbeat',
      'firmware_version a number',
      { device_id: 'ok', firmware_version: 1 },
      'firmware_version'
    ],
    ['heartbeat', 'ip_address not an IP', { device_id: 'ok', ip_address: 'kitchen' }, 'ip_address'],
    ['heartbeat', 'name an object', { device_id: 'ok', name: { a: 1 } }, 'name'],
    ['heartbeat', 'a JSON array', [] as unknown as Record<string, unknown>, ''],
    ['events', 'unknown event type', { device_id: 'ok', type: 'pill_eaten' }, 'type'],
    ['events', 'missing type', { device_id: 'ok' }, 'type'],
    ['events', 'payload a string', { device_id: 'ok', type: 'reboot', payload: 'x' }, 'payload'],
    [
      'events',
      'timestamp garbage',
      { device_id: 'ok', type: 'reboot', timestamp: 'yesterday' },
      'timestamp'
    ],
    [
      'events',
      'timestamp negative',
      { device_id: 'ok', type: 'reboot', timestamp: -5 },
      'timestamp'
    ],
    [
      'events',
      'event_id with spaces',
      { device_id: 'ok', type: 'reboot', event_id: 'a b' },
      'event_id'
    ],
    [
      'events',
      'event_id too long',
      { device_id: 'ok', type: 'reboot', event_id: 'e'.repeat(65) },
      'event_id'
    ]
  ]

  it.each(violations)('%s: %s gets 422 naming the field', async (endpoint, _what, body, field) => {
    const path = endpoint === 'heartbeat' ? '/api/devices/heartbeat' : '/api/events/'
    const res = await request(`${t.url}${path}`, { headers: key(), body })
    expect(res.status).toBe(422)
    expectEnvelope(res.body, 'validation-failed')
    if (field) expect(res.body.error.field).toBe(field)
    expect(res.body.error.message).toContain(field || 'body')
  })

  it('an empty body gets 422 naming the missing device_id', async () => {
    const res = await request(`${t.url}/api/devices/heartbeat`, { method: 'POST', headers: key() })
    expect(res.status).toBe(422)
    expect(res.body.error.field).toBe('device_id')
  })

  it('unknown routes get a JSON 404', async () => {
    for (const [method, path] of [
      ['GET', '/api/nope'],
      ['POST', '/api/devices/nope'],
      ['GET', '/api/events/'],
      ['DELETE', '/api/health'],
      ['GET', '/api']
    ] as const) {
      const res = await request(`${t.url}${path}`, { method, headers: key() })
      expect(res.status, `${method} ${path}`).toBe(404)
      expectEnvelope(res.body, 'not-found')
    }
  })

  it('malformed percent-encoding in a path is a 4xx, never a 500', async () => {
    const res = await request(`${t.url}/api/admin/devices/%E0%A4%A`)
    expect(res.status).toBeGreaterThanOrEqual(400)
    expect(res.status).toBeLessThan(500)
  })

  it('nothing of a rejected request is stored', async () => {
    // Accepted heartbeats are held in memory up to ~1 s: write them before reading the file.
    await t.core.writer.flush()
    const db = new Database(join(t.dataDir, 'pastillero.db'), { readonly: true })
    try {
      const ids = db.prepare('SELECT device_id FROM devices').all() as Array<{ device_id: string }>
      const stored = new Set(ids.map((r) => r.device_id))
      for (const rejected of ['k1', 'k2', 'big', 'ok', 'a/b', 'A'.repeat(65)])
        expect(stored.has(rejected)).toBe(false)
      expect(stored.has('no-content-type')).toBe(true)
      const events = db
        .prepare("SELECT COUNT(*) AS n FROM events WHERE device_id IN ('k2', 'big', 'ok')")
        .get() as {
        n: number
      }
      expect(events.n).toBe(0)
    } finally {
      db.close()
    }
  })
})
