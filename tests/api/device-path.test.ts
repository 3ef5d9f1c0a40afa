/**
 * The device write path runs before Express's app.handle (src/main/core/http/device-path.ts):
 * the heartbeat and event handlers get Node's own request and response, not Express's (whose
 * prototype swap cost a third of a heartbeat's CPU), while everything else, errors included,
 * is answered by the app as before. Real core, real HTTP; the handlers are wrapped only to
 * record what they were given.
 */
import { IncomingMessage, ServerResponse } from 'node:http'
import type { RequestHandler } from 'express'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { heartbeatBody, request } from '../helpers/http'
import { startTestCore, type TestCore } from '../helpers/test-core'

const seen: Array<{ route: string; nodeRequest: boolean; nodeResponse: boolean }> = []
const record =
  (route: string, handler: RequestHandler): RequestHandler =>
  (req, res, next) => {
    seen.push({
      route,
      nodeRequest: Object.getPrototypeOf(req) === IncomingMessage.prototype,
      nodeResponse: Object.getPrototypeOf(res) === ServerResponse.prototype
    })
    return handler(req, res, next)
  }
vi.mock('../../src/main/core/devices/device-routes', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/main/core/devices/device-routes')>()
  return {
    ...real,
    heartbeatHandler: (...args: Parameters<typeof real.heartbeatHandler>) =>
      record('heartbeat', real.heartbeatHandler(...args))
  }
})
vi.mock('../../src/main/core/events/event-routes', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/main/core/events/event-routes')>()
  return {
    ...real,
    eventHandler: (...args: Parameters<typeof real.eventHandler>) =>
      record('event', real.eventHandler(...args))
  }
})

const DEVICE = 'AA:BB:CC:00:10:01'

describe('the device path before app.handle', () => {
  let t: TestCore | undefined
  afterEach(async () => {
    await t?.dispose()
    t = undefined
    seen.length = 0
  })

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    request(`${t!.url}${path}`, { headers: { 'X-API-Key': t!.deviceKey, ...headers }, body })

  it('hands heartbeats and events to their handlers on Node’s own request and response', async () => {
    t = await startTestCore()
    expect((await post('/api/devices/heartbeat', heartbeatBody(DEVICE))).status).toBe(200)
    for (const [i, path] of ['/api/events/', '/api/events'].entries())
      expect(
        (await post(path, { device_id: DEVICE, type: 'dose_taken', event_id: `e-${i}` })).status
      ).toBe(200)
    expect(seen).toEqual([
      { route: 'heartbeat', nodeRequest: true, nodeResponse: true },
      { route: 'event', nodeRequest: true, nodeResponse: true },
      { route: 'event', nodeRequest: true, nodeResponse: true }
    ])
    // Other POSTs go on to the app: signing in still works.
    expect((await t.login()).startsWith('pastillero_session=')).toBe(true)
  })

  it('answers errors on the device path with the app’s error handler, headers included', async () => {
    t = await startTestCore()
    const cases: Array<[Promise<Awaited<ReturnType<typeof request>>>, number, string]> = [
      [
        post('/api/devices/heartbeat', heartbeatBody(DEVICE), { 'X-API-Key': 'wrong' }),
        401,
        'invalid-api-key'
      ],
      [
        request(`${t.url}/api/events/`, {
          headers: { 'X-API-Key': t.deviceKey, 'content-type': 'application/json' },
          raw: '{"device_id":'
        }),
        400,
        'malformed-json'
      ],
      [post('/api/events/', { device_id: DEVICE, type: 'no such type' }), 422, 'validation-failed'],
      [post('/api/devices/heartbeat', { device_id: 'not a device id!' }), 422, 'validation-failed']
    ]
    for (const [pending, status, code] of cases) {
      const res = await pending
      expect(res.status, code).toBe(status)
      expect((res.body as { error: { code: string } }).error.code).toBe(code)
      expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8')
      expect(res.headers.get('x-content-type-options')).toBe('nosniff')
      expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'")
    }
  })

  it('takes the client address from a trusted proxy’s header, and only then', async () => {
    const beat = { ...heartbeatBody(DEVICE), ip_address: undefined }
    const viaProxy = { 'X-Real-IP': '192.168.1.66', 'X-Forwarded-For': '10.0.0.1, 192.168.1.67' }

    t = await startTestCore({ env: { PASTILLERO_TRUST_PROXY: '1' } })
    expect((await post('/api/devices/heartbeat', beat, viaProxy)).status).toBe(200)
    expect(t.core.services.devices.get(DEVICE)?.ip_address).toBe('192.168.1.66')
    await t.dispose()

    t = await startTestCore()
    expect((await post('/api/devices/heartbeat', beat, viaProxy)).status).toBe(200)
    expect(t.core.services.devices.get(DEVICE)?.ip_address).toBe('127.0.0.1')
  })
})
