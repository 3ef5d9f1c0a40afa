import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestCore, type TestCore } from '../helpers/test-core'
import { heartbeatBody, request } from '../helpers/http'

// Every request and response documented in the seed's README, replayed against the real server.
describe('seed device API', () => {
  let t: TestCore
  let cookie: string
  const key = () => ({ 'X-API-Key': t.deviceKey })

  beforeAll(async () => {
    t = await startTestCore()
    cookie = await t.login()
  })
  afterAll(() => t.dispose())

  it('heartbeat answers ok with server_time in the seed format and upserts the device', async () => {
    const before = Date.now()
    const res = await request(`${t.url}/api/devices/heartbeat`, {
      headers: key(),
      body: heartbeatBody('AA:BB:CC:DD:EE:FF')
    })
    expect(res.status).toBe(200)
    // The seed's fields, unchanged; later features only add fields (schedule_version, tz).
    expect(res.body).toEqual(expect.objectContaining({ ok: true, server_time: expect.any(String) }))
    expect(res.body.command).toBeUndefined()
    expect(res.body.ok).toBe(true)
    expect(res.body.server_time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
    expect(Date.parse(res.body.server_time)).toBeGreaterThanOrEqual(
      Math.floor(before / 1000) * 1000
    )

    const device = await request(`${t.url}/api/admin/devices/AA:BB:CC:DD:EE:FF`, {
      headers: { cookie }
    })
    expect(device.status).toBe(200)
    expect(device.body.device).toMatchObject({
      device_id: 'AA:BB:CC:DD:EE:FF',
      name: 'Pastillero Cocina',
      firmware_version: '1.0.0',
      ip_address: '192.168.1.50',
      status: 'online',
      online: true,
      heartbeats: 1
    })
  })

  it('heartbeat without ip_address records the socket address; later beats update fields', async () => {
    await request(`${t.url}/api/devices/heartbeat`, {
      headers: key(),
      body: { device_id: 'no-ip-device', firmware_version: '1.0.0', status: 'online' }
    })
    let d = await request(`${t.url}/api/admin/devices/no-ip-device`, { headers: { cookie } })
    expect(d.body.device.ip_address).toBe('127.0.0.1')
    expect(d.body.device.name).toBeNull()

    await request(`${t.url}/api/devices/heartbeat`, {
      headers: key(),
      body: { device_id: 'no-ip-device', firmware_version: '1.1.0', name: 'Pastillero Baño' }
    })
    d = await request(`${t.url}/api/admin/devices/no-ip-device`, { headers: { cookie } })
    expect(d.body.device).toMatchObject({
      firmware_version: '1.1.0',
      name: 'Pastillero Baño',
      heartbeats: 2
    })
  })

  it('a pending reboot is added to the next heartbeat response, once', async () => {
    const id = 'reboot-me'
    await request(`${t.url}/api/devices/heartbeat`, { headers: key(), body: heartbeatBody(id) })
    const queued = await request(`${t.url}/api/admin/devices/${id}/reboot`, {
      method: 'POST',
      headers: { cookie }
    })
    expect(queued.status).toBe(202)
    expect(queued.body.command).toMatchObject({ command: 'reboot', status: 'pending' })

    let state = await request(`${t.url}/api/admin/devices/${id}`, { headers: { cookie } })
    expect(state.body.device.last_command.status).toBe('pending')

    const first = await request(`${t.url}/api/devices/heartbeat`, {
      headers: key(),
      body: heartbeatBody(id)
    })
    expect(first.body).toMatchObject({ ok: true, command: 'reboot' })
    const second = await request(`${t.url}/api/devices/heartbeat`, {
      headers: key(),
      body: heartbeatBody(id)
    })
    expect(second.body.command).toBeUndefined()

    state = await request(`${t.url}/api/admin/devices/${id}`, { headers: { cookie } })
    expect(state.body.device.last_command.status).toBe('delivered')
    expect(state.body.device.last_command.delivered_at).toEqual(expect.any(String))
  })

  it('pressing reboot twice before the device beats reboots it once', async () => {
    const id = 'double-press'
    await request(`${t.url}/api/devices/heartbeat`, { headers: key(), body: heartbeatBody(id) })
    const a = await request(`${t.url}/api/admin/devices/${id}/reboot`, {
      method: 'POST',
      headers: { cookie }
    })
    const b = await request(`${t.url}/api/admin/devices/${id}/reboot`, {
      method: 'POST',
      headers: { cookie }
    })
    expect(b.body.command.id).toBe(a.body.command.id)
    const beats = await Promise.all(
      [1, 2, 3].map(() =>
        request(`${t.url}/api/devices/heartbeat`, { headers: key(), body: heartbeatBody(id) })
      )
    )
    expect(beats.filter((r) => r.body.command === 'reboot')).toHaveLength(1)
  })

  it.each(['/api/events/', '/api/events'])(
    'POST %s stores the seed event and answers 200 with its id',
    async (path) => {
      const res = await request(`${t.url}${path}`, {
        headers: key(),
        body: {
          device_id: 'AA:BB:CC:DD:EE:FF',
          type: 'dose_taken',
          payload: { alarm_label: 'Medicamento mañana' }
        }
      })
      expect(res.status).toBe(200)
      expect(res.body).toEqual({ ok: true, id: expect.any(Number) })

      const page = await request(
        `${t.url}/api/admin/events?device_id=AA:BB:CC:DD:EE:FF&type=dose_taken`,
        {
          headers: { cookie }
        }
      )
      const stored = page.body.events.find((e: { id: number }) => e.id === res.body.id)
      expect(stored).toMatchObject({
        type: 'dose_taken',
        payload: { alarm_label: 'Medicamento mañana' }
      })
    }
  )

  it('accepts each of the seven seed event types', async () => {
    for (const type of [
      'alarm_triggered',
      'alarm_ack',
      'dose_taken',
      'reboot',
      'ota_start',
      'ota_done',
      'ota_fail'
    ]) {
      const res = await request(`${t.url}/api/events/`, {
        headers: key(),
        body: { device_id: 'types', type }
      })
      expect(res.status, type).toBe(200)
    }
    const page = await request(`${t.url}/api/admin/events?device_id=types&limit=100`, {
      headers: { cookie }
    })
    expect(page.body.events).toHaveLength(7)
  })

  it('accepts a device timestamp (epoch seconds or ISO) and orders history by it', async () => {
    const at = Date.parse('2026-03-01T09:00:00Z') / 1000
    await request(`${t.url}/api/events/`, {
      headers: key(),
      body: {
        device_id: 'clocked',
        type: 'alarm_triggered',
        timestamp: at,
        payload: { alarm_label: 'x' }
      }
    })
    await request(`${t.url}/api/events/`, {
      headers: key(),
      body: { device_id: 'clocked', type: 'dose_taken', timestamp: '2026-03-01T09:05:00+01:00' }
    })
    // An ESP32 without NTP counts from 1970: stored, but ordered by when we received it.
    await request(`${t.url}/api/events/`, {
      headers: key(),
      body: { device_id: 'clocked', type: 'reboot', timestamp: 42 }
    })
    const page = await request(`${t.url}/api/admin/events?device_id=clocked`, {
      headers: { cookie }
    })
    const [reboot, alarm, dose] = page.body.events
    expect(reboot).toMatchObject({ type: 'reboot', device_time: '1970-01-01T00:00:42.000Z' })
    expect(reboot.occurred_at).toBe(reboot.received_at)
    expect(alarm).toMatchObject({
      type: 'alarm_triggered',
      occurred_at: '2026-03-01T09:00:00.000Z'
    })
    expect(dose).toMatchObject({ type: 'dose_taken', occurred_at: '2026-03-01T08:05:00.000Z' })
  })

  it('health needs no key and reports the version', async () => {
    const res = await request(`${t.url}/api/health`)
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ ok: true, version: expect.stringMatching(/^\d+\.\d+\.\d+/) })
  })

  it('serves an OpenAPI document built from the validation schemas, and /docs offline', async () => {
    const doc = await request(`${t.url}/api/openapi.json`)
    expect(doc.status).toBe(200)
    const heartbeat = doc.body.paths['/api/devices/heartbeat'].post
    const schema = heartbeat.requestBody.content['application/json'].schema
    expect(schema.required).toEqual(['device_id'])
    expect(schema.properties.device_id.maxLength).toBe(64)
    expect(
      doc.body.paths['/api/events/'].post.requestBody.content['application/json'].schema.properties
        .type.enum
    ).toHaveLength(7)

    // Bodies whose fields all have defaults are optional; the device API's are not.
    expect(heartbeat.requestBody.required).toBe(true)
    expect(doc.body.paths['/api/admin/alerts/{id}/ack'].post.requestBody.required).toBe(false)

    const page = await fetch(`${t.url}/docs/`)
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(html).toContain('swagger-ui-bundle.js')
    const bundle = await fetch(`${t.url}/docs/swagger-ui-bundle.js`)
    expect(bundle.status).toBe(200)
    expect(Number(bundle.headers.get('content-length'))).toBeGreaterThan(100_000)
    const init = await (await fetch(`${t.url}/docs/init.js`)).text()
    expect(init).toContain('/api/openapi.json')
  })
})
