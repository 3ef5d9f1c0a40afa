import { createHash } from 'node:crypto'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startTestCore, type TestCore } from '../helpers/test-core'
import { heartbeatBody, request } from '../helpers/http'
import { buildEsp32Image, PARTITION_TABLE_BYTES, PNG_BYTES } from '../helpers/esp32-image'
import { uploadFirmware } from '../helpers/firmware-upload'

const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex')
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex')

/** The headers Arduino-ESP32's HTTPUpdate sends (see shared/esp32-device-side.md). */
function httpUpdateHeaders(
  mac: string,
  opts: { version?: string; sketchMd5?: string; free?: number } = {}
) {
  return {
    'User-Agent': 'ESP32-http-Update',
    'x-ESP32-STA-MAC': mac,
    'x-ESP32-AP-MAC': mac.replace(/.$/, '1'),
    'x-ESP32-free-space': String(opts.free ?? 1_966_080),
    'x-ESP32-sketch-size': '912384',
    'x-ESP32-sketch-md5': opts.sketchMd5 ?? 'd41d8cd98f00b204e9800998ecf8427e',
    'x-ESP32-chip-size': '4194304',
    'x-ESP32-sdk-version': 'v4.4.7',
    'x-ESP32-mode': 'sketch',
    ...(opts.version ? { 'x-ESP32-version': opts.version } : {})
  }
}

describe('OTA firmware updates', () => {
  let t: TestCore
  let cookie: string
  const key = () => ({ 'X-API-Key': t.deviceKey })
  const beat = (id: string, version = '1.0.0') =>
    request(`${t.url}/api/devices/heartbeat`, {
      headers: key(),
      body: heartbeatBody(id, { firmware_version: version })
    })
  const event = (id: string, type: string, payload: Record<string, unknown> = {}) =>
    request(`${t.url}/api/events/`, { headers: key(), body: { device_id: id, type, payload } })
  const device = async (id: string) =>
    (await request(`${t.url}/api/admin/devices/${id}`, { headers: { cookie } })).body.device

  beforeEach(async () => {
    t = await startTestCore()
    cookie = await t.login()
  })
  afterEach(() => t.dispose())

  it('upload → check → download → ota events → confirmed by the next heartbeat', async () => {
    await beat('dev-a', '1.0.0')
    const image = buildEsp32Image({ version: '1.1.0', bodySize: 64 * 1024 })
    const up = await uploadFirmware(t.url, cookie, image, {
      notes: 'Arregla la alarma',
      fileName: 'pastillero.bin'
    })
    expect(up.status).toBe(201)
    expect(up.body.firmware).toMatchObject({
      version: '1.1.0',
      chip: 'ESP32',
      project_name: 'pastillero',
      size: image.length,
      md5: md5(image),
      sha256: sha256(image),
      notes: 'Arregla la alarma',
      release: { target: 'all', paused: false },
      devices_running: 0
    })
    // Stored by content hash, no temp files left behind.
    expect(readdirSync(join(t.dataDir, 'firmware'))).toEqual([`${sha256(image)}.bin`])

    const check = await request(`${t.url}/api/ota/check/1.0.0`, {
      headers: { ...key(), 'X-Device-Id': 'dev-a' }
    })
    expect(check.body).toEqual({
      update_available: true,
      version: '1.1.0',
      // The url names the device, so a sketch that fetches it as given is identified.
      url: `${t.url}/api/ota/download/1.1.0?device_id=dev-a`,
      size: image.length,
      md5: md5(image),
      sha256: sha256(image)
    })
    expect((await device('dev-a')).ota).toMatchObject({
      version: '1.1.0',
      state: 'offered',
      from_version: '1.0.0'
    })
    expect((await request(`${t.url}/api/ota/check/1.1.0`, { headers: key() })).body).toEqual({
      update_available: false
    })

    const dl = await fetch(check.body.url, { headers: key() })
    expect(dl.status).toBe(200)
    expect(dl.headers.get('content-length')).toBe(String(image.length))
    expect(dl.headers.get('x-md5')).toBe(md5(image))
    expect(dl.headers.get('x-sha256')).toBe(sha256(image))
    expect(dl.headers.get('etag')).toBe(`"${sha256(image)}"`)
    expect(Buffer.from(await dl.arrayBuffer()).equals(image)).toBe(true)
    expect((await device('dev-a')).ota.state).toBe('downloading')

    await event('dev-a', 'ota_start', { version: '1.1.0' })
    expect((await device('dev-a')).ota.state).toBe('installing')
    await event('dev-a', 'ota_done')
    expect((await device('dev-a')).ota.state).toBe('rebooting')
    await beat('dev-a', '1.1.0')
    const done = await device('dev-a')
    expect(done.ota).toMatchObject({ state: 'done', version: '1.1.0' })
    expect(done.chip).toBe('ESP32')
    const list = await request(`${t.url}/api/admin/firmware`, { headers: { cookie } })
    expect(list.body.firmware[0].devices_running).toBe(1)
  })

  it('an ota_done that arrives after the heartbeat on the new version still completes the update', async () => {
    await beat('dev-late', '1.0.0')
    await uploadFirmware(t.url, cookie, buildEsp32Image({ version: '1.1.0' }))
    await request(`${t.url}/api/ota/check/1.0.0?device_id=dev-late`, { headers: key() })
    await event('dev-late', 'ota_start', { version: '1.1.0' })
    await beat('dev-late', '1.1.0') // the device restarted and beat before uploading ota_done
    await event('dev-late', 'ota_done', { version: '1.1.0' })
    expect((await device('dev-late')).ota).toMatchObject({ state: 'done', version: '1.1.0' })
  })

  it('an update in progress is confirmed after a server restart too', async () => {
    await beat('dev-restart', '1.0.0')
    await uploadFirmware(t.url, cookie, buildEsp32Image({ version: '1.1.0' }))
    await request(`${t.url}/api/ota/check/1.0.0?device_id=dev-restart`, { headers: key() })
    await event('dev-restart', 'ota_start', { version: '1.1.0' })
    await event('dev-restart', 'ota_done', { version: '1.1.0' })
    expect((await device('dev-restart')).ota.state).toBe('rebooting')
    await t.stop()
    t = await startTestCore({ dataDir: t.dataDir })
    cookie = await t.login()
    await beat('dev-restart', '1.1.0')
    expect((await device('dev-restart')).ota).toMatchObject({ state: 'done', version: '1.1.0' })
  })

  it('the download needs the key (header or ?key=), a device, and knows only uploaded versions', async () => {
    await uploadFirmware(t.url, cookie, buildEsp32Image({ version: '1.2.0' }))
    expect((await fetch(`${t.url}/api/ota/download/1.2.0`)).status).toBe(401)
    expect((await fetch(`${t.url}/api/ota/download/1.2.0?key=wrong`)).status).toBe(401)
    // The key alone does not say which device downloads (issue 13): refused.
    const anonymous = await request(`${t.url}/api/ota/download/1.2.0?key=${t.deviceKey}`)
    expect(anonymous.status).toBe(401)
    expect(anonymous.body.error.code).toBe('device-unidentified')
    await beat('dev-dl', '1.0.0')
    const named = `${t.url}/api/ota/download/1.2.0?key=${t.deviceKey}&device_id=dev-dl`
    expect((await fetch(named)).status).toBe(200)
    const missing = await request(`${t.url}/api/ota/download/9.9.9`, {
      headers: { ...key(), 'X-Device-Id': 'dev-dl' }
    })
    expect(missing.status).toBe(404)
    expect(missing.body.error.code).toBe('firmware-not-found')
  })

  it('supports Range requests so an interrupted download can resume', async () => {
    const image = buildEsp32Image({ version: '1.3.0', bodySize: 200 * 1024 })
    await uploadFirmware(t.url, cookie, image)
    await beat('dev-range', '1.0.0')
    const key = () => ({ 'X-API-Key': t.deviceKey, 'X-Device-Id': 'dev-range' })
    const first = await fetch(`${t.url}/api/ota/download/1.3.0`, {
      headers: { ...key(), Range: 'bytes=0-99999' }
    })
    expect(first.status).toBe(206)
    expect(first.headers.get('content-range')).toBe(`bytes 0-99999/${image.length}`)
    const head = Buffer.from(await first.arrayBuffer())
    const etag = first.headers.get('etag')!
    const rest = await fetch(`${t.url}/api/ota/download/1.3.0`, {
      headers: { ...key(), Range: `bytes=${head.length}-`, 'If-Range': etag }
    })
    expect(rest.status).toBe(206)
    const tail = Buffer.from(await rest.arrayBuffer())
    expect(Buffer.concat([head, tail]).equals(image)).toBe(true)
    // A stale validator gets the whole file rather than a mismatched piece.
    const stale = await fetch(`${t.url}/api/ota/download/1.3.0`, {
      headers: { ...key(), Range: 'bytes=100-', 'If-Range': '"not-this-one"' }
    })
    expect(stale.status).toBe(200)
    expect(Number(stale.headers.get('content-length'))).toBe(image.length)
    await stale.arrayBuffer()
    const unsatisfiable = await fetch(`${t.url}/api/ota/download/1.3.0`, {
      headers: { ...key(), Range: `bytes=${image.length + 10}-` }
    })
    expect(unsatisfiable.status).toBe(416)
  })

  it('HTTPUpdate: 304 when up to date or not targeted, 200 with Content-Length and x-MD5 otherwise', async () => {
    const mac = '24:6F:28:AA:BB:01'
    await beat(mac, '1.0.0')
    // Nothing uploaded yet.
    let res = await fetch(`${t.url}/api/ota/update?key=${t.deviceKey}`, {
      headers: httpUpdateHeaders(mac, { version: '1.0.0' })
    })
    expect(res.status).toBe(304)

    const image = buildEsp32Image({ version: '1.1.0', bodySize: 32 * 1024 })
    const up = await uploadFirmware(t.url, cookie, image)
    res = await fetch(`${t.url}/api/ota/update?key=${t.deviceKey}`, {
      headers: httpUpdateHeaders(mac, { version: '1.0.0' }),
      redirect: 'manual'
    })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-length')).toBe(String(image.length))
    expect(res.headers.get('x-md5')).toBe(md5(image))
    expect(res.headers.get('transfer-encoding')).toBeNull()
    const body = Buffer.from(await res.arrayBuffer())
    expect(body[0]).toBe(0xe9)
    expect(body.equals(image)).toBe(true)
    expect((await device(mac)).ota.state).toBe('downloading')

    // Without x-ESP32-version it falls back to the version the device reported in its heartbeat.
    res = await fetch(`${t.url}/api/ota/update`, {
      headers: { ...key(), ...httpUpdateHeaders(mac) }
    })
    expect(res.status).toBe(200)
    await res.arrayBuffer()
    // Already running that exact image (same MD5): nothing to do.
    res = await fetch(`${t.url}/api/ota/update`, {
      headers: { ...key(), ...httpUpdateHeaders(mac, { sketchMd5: md5(image) }) }
    })
    expect(res.status).toBe(304)
    // Up to date by version.
    res = await fetch(`${t.url}/api/ota/update`, {
      headers: { ...key(), ...httpUpdateHeaders(mac, { version: '1.1.0' }) }
    })
    expect(res.status).toBe(304)
    // Not targeted any more.
    await request(`${t.url}/api/admin/firmware/${up.body.firmware.id}/release`, {
      headers: { cookie },
      body: { devices: ['someone-else'] }
    }).then((r) => expect(r.status).toBe(422)) // unknown device
    await beat('someone-else')
    await request(`${t.url}/api/admin/firmware/${up.body.firmware.id}/release`, {
      headers: { cookie },
      body: { devices: ['someone-else'] }
    })
    res = await fetch(`${t.url}/api/ota/update`, {
      headers: { ...key(), ...httpUpdateHeaders(mac, { version: '1.0.0' }) }
    })
    expect(res.status).toBe(304)
    // A filesystem image request is not ours to serve.
    res = await fetch(`${t.url}/api/ota/update`, {
      headers: {
        ...key(),
        ...httpUpdateHeaders('someone-else', { version: '1.0.0' }),
        'x-ESP32-mode': 'spiffs'
      }
    })
    expect(res.status).toBe(304)
  })

  it('HTTPUpdate refuses an image that does not fit the free space', async () => {
    const image = buildEsp32Image({ version: '2.0.0', bodySize: 50_000 })
    await uploadFirmware(t.url, cookie, image)
    await beat('24:6F:28:AA:BB:02', '1.0.0')
    const res = await request(`${t.url}/api/ota/update`, {
      headers: {
        ...key(),
        ...httpUpdateHeaders('24:6F:28:AA:BB:02', { version: '1.0.0', free: 40_000 })
      }
    })
    expect(res.status).toBe(409)
    expect(res.body.error.code).toBe('insufficient-space')
  })

  it('a failed update is not offered again until someone presses retry', async () => {
    await beat('dev-f', '1.0.0')
    await uploadFirmware(t.url, cookie, buildEsp32Image({ version: '1.1.0' }))
    const check = () => request(`${t.url}/api/ota/check/1.0.0?device_id=dev-f`, { headers: key() })
    expect((await check()).body.update_available).toBe(true)
    await event('dev-f', 'ota_start')
    await event('dev-f', 'ota_fail', { error: 'MD5 mismatch' })
    const failed = await device('dev-f')
    expect(failed.ota).toMatchObject({
      state: 'failed',
      version: '1.1.0',
      detail: 'MD5 mismatch',
      blocked_versions: ['1.1.0']
    })
    for (let i = 0; i < 3; i++) expect((await check()).body).toEqual({ update_available: false })
    let res = await fetch(`${t.url}/api/ota/update`, {
      headers: { ...key(), ...httpUpdateHeaders('dev-f', { version: '1.0.0' }) }
    })
    expect(res.status).toBe(304)
    // Another device still gets it.
    await beat('dev-g', '1.0.0')
    expect(
      (await request(`${t.url}/api/ota/check/1.0.0?device_id=dev-g`, { headers: key() })).body
        .update_available
    ).toBe(true)

    // A newer version is offered: the block is for 1.1.0 only.
    await uploadFirmware(t.url, cookie, buildEsp32Image({ version: '1.2.0', seed: 2 }))
    expect((await check()).body.version).toBe('1.2.0')

    const retry = await request(`${t.url}/api/admin/devices/dev-f/ota/retry`, {
      method: 'POST',
      headers: { cookie }
    })
    expect(retry.status).toBe(200)
    expect(retry.body.device.ota.blocked_versions).toEqual([])
    res = await fetch(`${t.url}/api/ota/update`, {
      headers: { ...key(), ...httpUpdateHeaders('dev-f', { version: '1.0.0' }) }
    })
    expect(res.status).toBe(200)
    await res.arrayBuffer()
  })

  it('a staged rollout reaches the right share of a simulated fleet, and pause stops it', async () => {
    const fleet = Array.from({ length: 200 }, (_, i) => `fleet-${String(i).padStart(3, '0')}`)
    await Promise.all(fleet.map((id) => beat(id, '1.0.0')))
    const up = await uploadFirmware(t.url, cookie, buildEsp32Image({ version: '1.1.0' }))
    const id = up.body.firmware.id
    const offered = async () => {
      const results = await Promise.all(
        fleet.map((d) =>
          request(`${t.url}/api/ota/check/1.0.0`, { headers: { ...key(), 'X-Device-Id': d } })
        )
      )
      return new Set(fleet.filter((_, i) => results[i]!.body.update_available))
    }
    const release = (body: object) =>
      request(`${t.url}/api/admin/firmware/${id}/release`, { headers: { cookie }, body })

    expect((await release({ percent: 25 })).body.firmware.release).toMatchObject({
      target: 'percent',
      percent: 25
    })
    const quarter = await offered()
    expect(quarter.size).toBeGreaterThanOrEqual(35)
    expect(quarter.size).toBeLessThanOrEqual(65)
    // A device without an id cannot be placed in a rollout: it waits for a full release.
    expect(
      (await request(`${t.url}/api/ota/check/1.0.0`, { headers: key() })).body.update_available
    ).toBe(false)

    await release({ percent: 60 })
    const more = await offered()
    expect(more.size).toBeGreaterThanOrEqual(100)
    expect(more.size).toBeLessThanOrEqual(140)
    for (const d of quarter) expect(more.has(d)).toBe(true) // widening never drops anyone

    await release({ paused: true })
    expect((await offered()).size).toBe(0)
    await release({ paused: false, target: 'all' })
    expect((await offered()).size).toBe(200)

    await release({ devices: ['fleet-007', 'fleet-123'] })
    expect([...(await offered())].sort()).toEqual(['fleet-007', 'fleet-123'])
  })

  it('the newest released version a device is eligible for is the one offered', async () => {
    await beat('dev-n', '1.0.0')
    const a = await uploadFirmware(t.url, cookie, buildEsp32Image({ version: '1.1.0', seed: 1 }))
    const b = await uploadFirmware(t.url, cookie, buildEsp32Image({ version: '1.2.0', seed: 2 }))
    expect(a.status).toBe(201)
    const check = async () =>
      (await request(`${t.url}/api/ota/check/1.0.0?device_id=dev-n`, { headers: key() })).body
    expect((await check()).version).toBe('1.2.0')
    await request(`${t.url}/api/admin/firmware/${b.body.firmware.id}/release`, {
      headers: { cookie },
      body: { paused: true }
    })
    expect((await check()).version).toBe('1.1.0')
    await request(`${t.url}/api/admin/firmware/${b.body.firmware.id}`, {
      method: 'DELETE',
      headers: { cookie }
    })
    expect(readdirSync(join(t.dataDir, 'firmware'))).toHaveLength(1)
    expect((await check()).version).toBe('1.1.0')
  })

  it('rejects what is not firmware with a 422 saying why, and stores nothing', async () => {
    const cases: Array<[Buffer, RegExp, Record<string, string>?]> = [
      [PNG_BYTES, /PNG image/],
      [PARTITION_TABLE_BYTES, /partition table/],
      [buildEsp32Image().subarray(0, 3000), /truncated/],
      [buildEsp32Image({ bootloader: true }), /bootloader/],
      [
        (() => {
          const b = buildEsp32Image()
          b[b.length - 3]! ^= 1
          return b
        })(),
        /SHA-256 does not match/
      ],
      [
        buildEsp32Image({ version: 'esp-idf: v4.4.7', projectName: 'arduino-lib-builder' }),
        /placeholder/,
        { fileName: 'sketch.ino.bin' }
      ],
      [buildEsp32Image({ version: '1.0.0' }), /not a semantic version/, { version: 'latest' }]
    ]
    for (const [bytes, message, fields] of cases) {
      const res = await uploadFirmware(t.url, cookie, bytes, fields)
      expect(res.status, String(message)).toBe(422)
      expect(res.body.error.message).toMatch(message)
    }
    expect(readdirSync(join(t.dataDir, 'firmware'))).toEqual([])
    expect(
      (await request(`${t.url}/api/admin/firmware`, { headers: { cookie } })).body.firmware
    ).toEqual([])
  })

  it('takes the version from the file name when the descriptor is the Arduino placeholder', async () => {
    const res = await uploadFirmware(
      t.url,
      cookie,
      buildEsp32Image({
        version: 'esp-idf: v4.4.7 38eeba213a',
        projectName: 'arduino-lib-builder'
      }),
      { fileName: 'pastillero-1.7.0.bin' }
    )
    expect(res.status).toBe(201)
    expect(res.body.firmware.version).toBe('1.7.0')
  })

  it('an existing version gets 409; over 16 MiB gets 413; a non-multipart body 415', async () => {
    await uploadFirmware(t.url, cookie, buildEsp32Image({ version: '1.0.1' }))
    const dup = await uploadFirmware(t.url, cookie, buildEsp32Image({ version: '1.0.1', seed: 9 }))
    expect(dup.status).toBe(409)
    expect(dup.body.error.code).toBe('version-exists')

    const big = await uploadFirmware(
      t.url,
      cookie,
      buildEsp32Image({ version: '5.0.0', bodySize: 16 * 1024 * 1024 })
    )
    expect(big.status).toBe(413)
    const json = await request(`${t.url}/api/admin/firmware`, {
      headers: { cookie },
      body: { file: 'x' }
    })
    expect(json.status).toBe(415)
    expect(readdirSync(join(t.dataDir, 'firmware'))).toHaveLength(1)
  })

  it('refuses to target a device known to have another chip', async () => {
    await beat('s3-device', '1.0.0')
    const s3 = await uploadFirmware(
      t.url,
      cookie,
      buildEsp32Image({ version: '1.1.0', chipId: 0x0009 })
    )
    await request(`${t.url}/api/admin/firmware/${s3.body.firmware.id}/release`, {
      headers: { cookie },
      body: { devices: ['s3-device'] }
    })
    await request(`${t.url}/api/ota/check/1.0.0?device_id=s3-device`, { headers: key() })
    await beat('s3-device', '1.1.0') // confirms: the device is now known to be an ESP32-S3
    expect((await device('s3-device')).chip).toBe('ESP32-S3')

    const classic = await uploadFirmware(
      t.url,
      cookie,
      buildEsp32Image({ version: '1.2.0', chipId: 0x0000, seed: 3 })
    )
    const res = await request(`${t.url}/api/admin/firmware/${classic.body.firmware.id}/release`, {
      headers: { cookie },
      body: { devices: ['s3-device'] }
    })
    expect(res.status).toBe(422)
    expect(res.body.error).toMatchObject({ code: 'chip-mismatch', field: 'devices' })
    // And a release to all never offers it to that device.
    expect(
      (await request(`${t.url}/api/ota/check/1.1.0?device_id=s3-device`, { headers: key() })).body
        .update_available
    ).toBe(false)
  })

  it('bad release bodies and ids get 4xx naming the problem', async () => {
    const up = await uploadFirmware(t.url, cookie, buildEsp32Image({ version: '1.0.2' }))
    const id = up.body.firmware.id
    for (const [body, status] of [
      [{ percent: 101 }, 422],
      [{ percent: 10, target: 'all' }, 422],
      [{}, 422],
      [{ target: 'some' }, 422],
      [{ devices: [] }, 422],
      [{ devices: ['bad id!'] }, 422]
    ] as const) {
      const res = await request(`${t.url}/api/admin/firmware/${id}/release`, {
        headers: { cookie },
        body
      })
      expect(res.status, JSON.stringify(body)).toBe(status)
    }
    expect(
      (
        await request(`${t.url}/api/admin/firmware/999/release`, {
          headers: { cookie },
          body: { paused: true }
        })
      ).status
    ).toBe(404)
    expect((await request(`${t.url}/api/admin/firmware/abc`, { headers: { cookie } })).status).toBe(
      422
    )
    expect(
      (
        await request(`${t.url}/api/ota/check/1.0.0`, {
          headers: { ...key(), 'X-Device-Id': 'no spaces' }
        })
      ).status
    ).toBe(422)
  })
})
