import { createHash } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { buildEsp32Image } from '../helpers/esp32-image'
import { uploadFirmware } from '../helpers/firmware-upload'
import { eventually, serverEvents, useRig, type Rig } from './fixture'

const ESP32 = 0x0000

async function upload(r: Rig, version: string, seed: number) {
  const image = buildEsp32Image({ version, chipId: ESP32, seed, bodySize: 48 * 1024 })
  const up = await uploadFirmware(r.t.url, r.cookie, image, {
    fileName: `pastillero-${version}.bin`
  })
  expect(up.status).toBe(201)
  return { image, firmware: up.body.firmware }
}

// OTA through Arduino HTTPUpdate's endpoint (/api/ota/update) with a real ESP32 image.
describe('virtual dispenser: firmware updates', () => {
  const rig = useRig()

  it('installs an uploaded build via /api/ota/update and comes back reporting it', async () => {
    const r = await rig()
    const id = '07:A0:00:00:00:01'
    const d = r.dispenser({ deviceId: id, chip: 'ESP32-D0WD-V3' })
    await d.waitEv('heartbeat', { status: 200 })
    await upload(r, '1.1.0', 1)

    const from = d.mark()
    d.send('ota')
    await d.waitEv('ota', { state: 'downloading', version: '1.1.0' }, { from })
    await d.waitEv('ota', { state: 'installed', version: '1.1.0' }, { from })
    const boot = await d.waitFor((l) => l.ev === 'boot' && l.version === '1.1.0', {
      from,
      what: 'a boot on 1.1.0'
    })
    expect(boot).toMatchObject({ boot: 2, reset_reason: 'ota' })
    await d.waitEv('ota', { state: 'confirmed', version: '1.1.0' }, { from })

    const device = await eventually(
      async () => (await r.admin(`/devices/${id}`)).body.device,
      (x) => x.ota?.state === 'done',
      'OTA done on the server'
    )
    expect(device).toMatchObject({
      firmware_version: '1.1.0',
      chip: 'ESP32',
      ota: { version: '1.1.0', state: 'done', from_version: '1.0.0' }
    })
    const events = await eventually(
      () => serverEvents(r, id),
      (e) => e.some((x) => x.type === 'ota_done'),
      'ota_done stored'
    )
    const types = events.map((x) => x.type)
    expect(types.indexOf('ota_start')).toBeGreaterThan(-1)
    expect(types.indexOf('ota_start')).toBeLessThan(types.indexOf('ota_done'))
    expect(events.filter((x) => x.type === 'ota_fail')).toEqual([])
    // Nothing newer: the next check is a 304, not a loop.
    const again = d.mark()
    d.send('ota')
    await d.waitEv('ota', { state: 'no_update' }, { from: again })
  }, 120_000)

  it('refuses a build whose bytes fail the MD5, reports ota_fail, and keeps running the old one', async () => {
    const r = await rig()
    const id = '07:A0:00:00:00:02'
    const d = r.dispenser({ deviceId: id })
    await d.waitEv('heartbeat', { status: 200 })
    const { firmware } = await upload(r, '1.2.0', 2)
    // The stored file is damaged on disk after upload (bad sector, tampering): the server still
    // announces the MD5 of the upload, the bytes no longer match it.
    const file = join(r.t.dataDir, 'firmware', `${firmware.sha256}.bin`)
    const bytes = readFileSync(file)
    const at = bytes.length - 100
    bytes[at] = bytes[at]! ^ 0xff
    writeFileSync(file, bytes)
    expect(createHash('md5').update(bytes).digest('hex')).not.toBe(firmware.md5)

    const from = d.mark()
    d.send('ota')
    const failed = await d.waitEv('ota', { state: 'failed' }, { from })
    expect(failed.error).toMatch(/md5/i)
    await d.waitFor((l) => l.ev === 'event_sent' && l.type === 'ota_fail', {
      from,
      what: 'ota_fail sent'
    })
    expect(d.all('boot', from)).toEqual([]) // nothing installed, no restart

    const device = await eventually(
      async () => (await r.admin(`/devices/${id}`)).body.device,
      (x) => x.ota?.state === 'failed',
      'OTA failed on the server'
    )
    expect(device.firmware_version).toBe('1.0.0')
    expect(device.ota).toMatchObject({ version: '1.2.0', state: 'failed' })
    expect(device.ota.blocked_versions).toContain('1.2.0')
    const fail = (await serverEvents(r, id)).find((x) => x.type === 'ota_fail')
    expect(fail.payload.error).toMatch(/md5/i)
    // Blocked for this device now: the next check offers nothing.
    const again = d.mark()
    d.send('ota')
    await d.waitEv('ota', { state: 'no_update' }, { from: again })
    await d.waitEv('heartbeat', { status: 200 }, { from: again })
  }, 120_000)
})
