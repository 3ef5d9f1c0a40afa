import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestCore, type TestCore } from '../helpers/test-core'

/**
 * The seed firmware parses these answers with ArduinoJson and some sketches compare strings:
 * the exact bytes (key order, no spaces, second-precision time) and the JSON content type must
 * never change. The expected strings are written out in full, not rebuilt from the answer.
 */
describe('seed device answers, byte for byte', () => {
  let t: TestCore
  beforeAll(async () => {
    t = await startTestCore()
  })
  afterAll(async () => {
    await t.dispose()
  })

  const post = async (path: string, raw: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${t.url}${path}`, {
      method: 'POST',
      headers: { 'X-API-Key': t.deviceKey, ...headers },
      body: raw
    })
    return { status: res.status, type: res.headers.get('content-type'), text: await res.text() }
  }
  const TZ = '"tz":{"name":"UTC","posix":"UTC0","utc_offset_s":0}'

  it('heartbeat', async () => {
    const res = await post(
      '/api/devices/heartbeat',
      '{"device_id":"AA:BB:CC:DD:EE:01","firmware_version":"1.0.0","ip_address":"192.168.1.50","status":"online","name":"Pastillero Cocina"}'
    )
    expect(res.status).toBe(200)
    expect(res.type).toBe('application/json; charset=utf-8')
    const time = /^\{"ok":true,"server_time":"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)",/.exec(res.text)
    expect(time, res.text).not.toBeNull()
    expect(res.text).toBe(`{"ok":true,"server_time":"${time![1]}","schedule_version":null,${TZ}}`)
    // Without a Content-Type, as many sketches send it.
    const bare = await post('/api/devices/heartbeat', '{"device_id":"AA:BB:CC:DD:EE:02"}', {
      'content-type': ''
    })
    expect(bare.status).toBe(200)
    expect(bare.text).toMatch(
      /^\{"ok":true,"server_time":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ","schedule_version":null,"tz":\{"name":"UTC","posix":"UTC0","utc_offset_s":0\}\}$/
    )
  })

  it('events, and a retried event', async () => {
    const body =
      '{"device_id":"AA:BB:CC:DD:EE:01","type":"dose_taken","payload":{"alarm_label":"Medicamento mañana"},"timestamp":1735732800,"event_id":"bytes-1"}'
    const first = await post('/api/events/', body, { 'content-type': 'application/json' })
    expect(first.status).toBe(200)
    expect(first.type).toBe('application/json; charset=utf-8')
    const id = /^\{"ok":true,"id":(\d+)\}$/.exec(first.text)
    expect(id, first.text).not.toBeNull()
    const retry = await post('/api/events', body)
    expect(retry.status).toBe(200)
    expect(retry.text).toBe(`{"ok":true,"id":${id![1]},"duplicate":true}`)
  })

  it('the error answers', async () => {
    const noKey = await fetch(`${t.url}/api/devices/heartbeat`, { method: 'POST', body: '{}' })
    expect(noKey.status).toBe(401)
    expect(await noKey.text()).toBe(
      '{"ok":false,"error":{"code":"missing-api-key","message":"the X-API-Key header (or Authorization: DeviceToken) is required"}}'
    )
    const malformed = await post('/api/events/', '{"device_id":')
    expect(malformed.status).toBe(400)
    expect(malformed.text).toBe(
      '{"ok":false,"error":{"code":"malformed-json","message":"the request body is not valid JSON"}}'
    )
    const badId = await post('/api/devices/heartbeat', '{"device_id":"a/b"}')
    expect(badId.status).toBe(422)
    expect(badId.text).toBe(
      '{"ok":false,"error":{"code":"validation-failed","message":"device_id: may only contain A-Z a-z 0-9 : . _ -","field":"device_id"}}'
    )
    const badType = await post('/api/events/', '{"device_id":"x","type":"nope"}')
    expect(badType.status).toBe(422)
    expect(badType.text).toBe(
      '{"ok":false,"error":{"code":"validation-failed","message":"type: Invalid option: expected one of \\"alarm_triggered\\"|\\"alarm_ack\\"|\\"dose_taken\\"|\\"reboot\\"|\\"ota_start\\"|\\"ota_done\\"|\\"ota_fail\\"","field":"type"}}'
    )
    const big = await post('/api/events/', `{"device_id":"x","pad":"${'x'.repeat(17_000)}"}`)
    expect(big.status).toBe(413)
    expect(big.text).toBe(
      '{"ok":false,"error":{"code":"payload-too-large","message":"the request body is too large"}}'
    )
  })
})
