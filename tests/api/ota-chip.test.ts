import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestCore, type TestCore } from '../helpers/test-core'
import { heartbeatBody, request } from '../helpers/http'
import { buildEsp32Image } from '../helpers/esp32-image'
import { uploadFirmware } from '../helpers/firmware-upload'

const ESP32 = 0x0000
const ESP32_S3 = 0x0009

// Issue 11: OTA offers follow the device's chip, with real images of both chips in the store.
describe('OTA offers follow the chip', () => {
  let t: TestCore
  let cookie: string
  const key = () => ({ 'X-API-Key': t.deviceKey })
  const beat = (id: string, extra: Record<string, unknown> = {}) =>
    request(`${t.url}/api/devices/heartbeat`, {
      headers: key(),
      body: heartbeatBody(id, { firmware_version: '1.0.0', ...extra })
    })
  const check = async (id: string | undefined, version = '1.0.0') =>
    (
      await request(`${t.url}/api/ota/check/${version}`, {
        headers: { ...key(), ...(id ? { 'X-Device-Id': id } : {}) }
      })
    ).body
  /** Arduino's HTTPUpdate: returns the status and, on 200, the image's chip id. */
  const httpUpdate = async (mac: string, version = '1.0.0') => {
    const res = await fetch(`${t.url}/api/ota/update`, {
      headers: {
        ...key(),
        'User-Agent': 'ESP32-http-Update',
        'x-ESP32-STA-MAC': mac,
        'x-ESP32-free-space': '1966080',
        'x-ESP32-sketch-size': '912384',
        'x-ESP32-chip-size': '4194304',
        'x-ESP32-mode': 'sketch',
        'x-ESP32-version': version
      }
    })
    const bytes = Buffer.from(await res.arrayBuffer())
    return { status: res.status, chipId: res.status === 200 ? bytes.readUInt16LE(12) : null }
  }
  const upload = async (version: string, chipId: number, seed: number) => {
    const up = await uploadFirmware(t.url, cookie, buildEsp32Image({ version, chipId, seed }), {})
    expect(up.status).toBe(201)
    return up.body.firmware
  }

  const CLASSIC = 'AA:00:00:00:00:01'
  const S3 = 'AA:00:00:00:00:02'
  const UNKNOWN = 'AA:00:00:00:00:03'

  beforeAll(async () => {
    t = await startTestCore()
    cookie = await t.login()
    // One chip released first: a device of unknown chip is offered it, as before issue 11.
    await beat(UNKNOWN)
    await upload('1.1.0', ESP32, 1)
    expect(await check(UNKNOWN)).toMatchObject({ update_available: true, version: '1.1.0' })
    // Now the releases disagree: an ESP32 1.1.0 and a newer ESP32-S3 1.2.0, both to everyone.
    expect((await upload('1.2.0', ESP32_S3, 2)).chip).toBe('ESP32-S3')
    await beat(CLASSIC, { chip: 'ESP32-D0WD-V3' })
    await beat(S3, { chip: 'ESP32-S3' })
  })
  afterAll(() => t.dispose())

  it('a device that reported ESP32 is offered the ESP32 build, never the newer ESP32-S3 one', async () => {
    expect(await check(CLASSIC)).toMatchObject({ update_available: true, version: '1.1.0' })
    expect(await httpUpdate(CLASSIC)).toEqual({ status: 200, chipId: ESP32 })
    // Already on 1.1.0: nothing left for its chip, although 1.2.0 is newer.
    expect(await check(CLASSIC, '1.1.0')).toEqual({ update_available: false })
    expect((await httpUpdate(CLASSIC, '1.1.0')).status).toBe(304)
  })

  it('a device that reported ESP32-S3 is offered the ESP32-S3 build, never an ESP32 one', async () => {
    expect(await check(S3)).toMatchObject({ update_available: true, version: '1.2.0' })
    expect(await httpUpdate(S3)).toEqual({ status: 200, chipId: ESP32_S3 })
    // A newer ESP32 build appears: still nothing for the S3.
    await upload('1.3.0', ESP32, 3)
    expect(await check(S3, '1.2.0')).toEqual({ update_available: false })
    expect((await httpUpdate(S3, '1.2.0')).status).toBe(304)
    expect(await check(CLASSIC, '1.1.0')).toMatchObject({ version: '1.3.0' })
    expect(await httpUpdate(CLASSIC, '1.1.0')).toEqual({ status: 200, chipId: ESP32 })
  })

  it('a device of unknown chip is offered nothing while the released builds disagree', async () => {
    expect(await check(UNKNOWN)).toEqual({ update_available: false })
    expect((await httpUpdate(UNKNOWN)).status).toBe(304)
    expect(await check(undefined)).toEqual({ update_available: false }) // anonymous seed check
    // Once it reports its chip it gets its build.
    await beat(UNKNOWN, { chip: 'ESP32-S3' })
    expect(await httpUpdate(UNKNOWN)).toEqual({ status: 200, chipId: ESP32_S3 })
  })

  it('a reported chip also limits which builds can be released to it', async () => {
    const list = (await request(`${t.url}/api/admin/firmware`, { headers: { cookie } })).body
    const s3Build = (list.firmware ?? list).find((f: { version: string }) => f.version === '1.2.0')
    const res = await request(`${t.url}/api/admin/firmware/${s3Build.id}/release`, {
      headers: { cookie },
      body: { devices: [CLASSIC] }
    })
    expect(res.status).toBe(422)
    expect(res.body.error).toMatchObject({ code: 'chip-mismatch', field: 'devices' })
  })
})
