import Database from 'better-sqlite3'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chipFamily } from '../../src/main/core/devices/chip'
import { startTestCore, type TestCore } from '../helpers/test-core'
import { heartbeatBody, request } from '../helpers/http'

// Issue 11: the optional fields the reference firmware adds to the heartbeat.
describe('heartbeat telemetry fields', () => {
  let t: TestCore
  let cookie: string
  const key = () => ({ 'X-API-Key': t.deviceKey })
  const beat = (body: unknown) =>
    fetch(`${t.url}/api/devices/heartbeat`, {
      method: 'POST',
      headers: { ...key(), 'content-type': 'application/json' },
      body: JSON.stringify(body)
    })
  const device = async (id: string) =>
    (await request(`${t.url}/api/admin/devices/${id}`, { headers: { cookie } })).body.device

  const TELEMETRY = {
    chip: 'ESP32-D0WD-V3',
    schedule_version: 4,
    rssi: -58,
    free_heap: 182_344,
    uptime_s: 3725,
    reset_reason: 'poweron'
  }

  beforeAll(async () => {
    t = await startTestCore()
    cookie = await t.login()
  })
  afterAll(() => t.dispose())

  it('stores them and shows them in the admin device view', async () => {
    expect((await beat(heartbeatBody('tele-1', TELEMETRY))).status).toBe(200)
    expect(await device('tele-1')).toMatchObject({
      chip_model: 'ESP32-D0WD-V3',
      chip: 'ESP32', // the family, which OTA offers compare with image headers
      applied_schedule_version: 4,
      rssi: -58,
      free_heap: 182_344,
      uptime_s: 3725,
      reset_reason: 'poweron',
      heartbeats: 1
    })
  })

  it('answers the device byte for byte as without them', async () => {
    const strip = (s: string) => s.replace(/"server_time":"[^"]+"/, '"server_time":"X"')
    const plain = await beat(heartbeatBody('tele-2'))
    const rich = await beat(heartbeatBody('tele-3', TELEMETRY))
    const plainText = await plain.text()
    expect(strip(await rich.text())).toBe(strip(plainText))
    expect(rich.headers.get('content-length')).toBe(plain.headers.get('content-length'))
    // and the seed's own fields are still first, in the seed's order
    expect(Object.keys(JSON.parse(plainText)).slice(0, 2)).toEqual(['ok', 'server_time'])
  })

  it('a heartbeat without them keeps the last values; an explicit null schedule_version clears it', async () => {
    await beat(heartbeatBody('tele-4', TELEMETRY))
    await beat(heartbeatBody('tele-4'))
    expect(await device('tele-4')).toMatchObject({ rssi: -58, applied_schedule_version: 4 })
    await beat(heartbeatBody('tele-4', { rssi: -71, schedule_version: null }))
    expect(await device('tele-4')).toMatchObject({
      rssi: -71,
      applied_schedule_version: null,
      heartbeats: 3
    })
  })

  it('old firmware (no new fields, empty strings, nulls) is accepted as before', async () => {
    const res = await beat(
      heartbeatBody('tele-5', { chip: '', reset_reason: '', rssi: null, uptime_s: null })
    )
    expect(res.status).toBe(200)
    expect(await device('tele-5')).toMatchObject({
      chip: null,
      chip_model: null,
      rssi: null,
      uptime_s: null,
      reset_reason: null
    })
  })

  const BAD: Array<[string, Record<string, unknown>, RegExp]> = [
    ['chip', { chip: 'X'.repeat(33) }, /at most 32/],
    ['chip', { chip: 32 }, /./],
    ['schedule_version', { schedule_version: -1 }, /whole number from 0/],
    ['schedule_version', { schedule_version: 1.5 }, /whole number from 0/],
    ['schedule_version', { schedule_version: '3' }, /whole number from 0/],
    ['rssi', { rssi: 12 }, /whole number from -128 to 0 \(dBm\)/],
    ['rssi', { rssi: -58.5 }, /whole number/],
    ['rssi', { rssi: '-58' }, /whole number/],
    ['free_heap', { free_heap: -1 }, /whole number from 0/],
    ['free_heap', { free_heap: 2 ** 32 }, /whole number from 0 to 4294967295/],
    ['uptime_s', { uptime_s: -5 }, /whole number from 0/],
    ['uptime_s', { uptime_s: 1e300 }, /whole number/],
    ['reset_reason', { reset_reason: 'r'.repeat(33) }, /at most 32/],
    ['reset_reason', { reset_reason: { code: 1 } }, /./]
  ]
  it.each(BAD)(
    '%s: %j is a 422 naming the field, and nothing is stored',
    async (field, extra, message) => {
      const id = `bad-${field}`
      const res = await request(`${t.url}/api/devices/heartbeat`, {
        headers: key(),
        body: heartbeatBody(id, extra)
      })
      expect(res.status).toBe(422)
      expect(res.body).toEqual({
        ok: false,
        error: { code: 'validation-failed', message: expect.stringMatching(message), field }
      })
      expect(res.body.error.message.startsWith(`${field}: `)).toBe(true)
      const after = await request(`${t.url}/api/admin/devices/${id}`, { headers: { cookie } })
      expect(after.status).toBe(404)
    }
  )

  it('documents the fields in OpenAPI (request, response and device view)', async () => {
    const doc = (await request(`${t.url}/api/openapi.json`)).body
    const json = JSON.stringify(doc)
    const hb = doc.paths['/api/devices/heartbeat'].post
    const reqSchema = JSON.stringify(hb.requestBody)
    for (const f of ['chip', 'schedule_version', 'rssi', 'free_heap', 'uptime_s', 'reset_reason'])
      expect(reqSchema).toContain(`"${f}"`)
    const resSchema = JSON.stringify(hb.responses['200'])
    expect(resSchema).toContain('"schedule_version"')
    expect(resSchema).toContain('"tz"')
    for (const f of ['chip_model', 'applied_schedule_version', 'free_heap', 'reset_reason'])
      expect(json).toContain(`"${f}"`)
  })

  it('the stored columns are the ones migration 0007 added', () => {
    const db = new Database(join(t.dataDir, 'pastillero.db'), { readonly: true })
    try {
      const row = db
        .prepare('SELECT chip_model, rssi, reset_reason FROM devices WHERE device_id = ?')
        .get('tele-1')
      expect(row).toEqual({ chip_model: 'ESP32-D0WD-V3', rssi: -58, reset_reason: 'poweron' })
    } finally {
      db.close()
    }
  })
})

describe('chip family of a reported model', () => {
  it.each([
    ['ESP32', 'ESP32'],
    ['ESP32-D0WDQ6', 'ESP32'],
    ['ESP32-D0WD-V3', 'ESP32'],
    ['ESP32-D0WDR2-V3', 'ESP32'],
    ['esp32-pico-d4', 'ESP32'],
    ['ESP32-PICO-V3-02', 'ESP32'],
    ['ESP32-S3', 'ESP32-S3'],
    ['ESP32S3', 'ESP32-S3'],
    ['ESP32-C3', 'ESP32-C3'],
    ['ESP32-S2', 'ESP32-S2'],
    ['ESP32-C6', 'ESP32-C6'],
    ['ESP32-C61', 'ESP32-C61'],
    ['ESP8266', 'ESP8266'], // unknown: kept, so it matches no image
    ['ESP32-X9', 'ESP32-X9']
  ])('%s → %s', (model, family) => {
    expect(chipFamily(model)).toBe(family)
  })
})
