import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { DeviceView, EventPage } from '../../src/shared/api-schemas'
import { Fleet } from '../../scripts/simulator/fleet'
import type { DeviceBehaviour } from '../../scripts/simulator/simulated-device'
import { buildEsp32Image } from '../helpers/esp32-image'
import { uploadFirmware } from '../helpers/firmware-upload'
import { startTestCore, type TestCore } from '../helpers/test-core'
import { adminGet, FAST, waitFor } from './helpers'

const FAST_OTA: Partial<DeviceBehaviour> = { ...FAST, bootDelayMs: 150, otaCheckEveryBeats: 1 }

let t: TestCore
let cookie: string
let fleet: Fleet | undefined

beforeEach(async () => {
  t = await startTestCore()
  cookie = await t.login()
})
afterEach(async () => {
  await fleet?.stop()
  fleet = undefined
  await t.dispose()
})

const devices = async () =>
  (await adminGet<{ devices: DeviceView[] }>(`${t.url}/api/admin/devices`, cookie)).devices

describe('the simulator takes firmware updates', () => {
  it('downloads, verifies the MD5, reports ota_start/ota_done and comes back on the new version', async () => {
    expect(
      (await uploadFirmware(t.url, cookie, buildEsp32Image({ version: '1.1.0', bodySize: 40_000 })))
        .status
    ).toBe(201)
    fleet = new Fleet({
      url: t.url,
      apiKey: t.deviceKey,
      size: 3,
      seed: 'ota',
      firmwareVersion: '1.0.0',
      behaviour: FAST_OTA
    })
    fleet.start()
    await waitFor(
      'every device confirmed on 1.1.0',
      async () => {
        const list = await devices()
        return (
          list.length === 3 &&
          list.every((d) => d.firmware_version === '1.1.0' && d.ota?.state === 'done')
        )
      },
      15_000
    )
    expect(fleet.stats().updatesInstalled).toBe(3)
    const events = await adminGet<EventPage>(
      `${t.url}/api/admin/events?type=ota_done&limit=100`,
      cookie
    )
    expect(events.events).toHaveLength(3)
    expect(events.events.every((e) => e.payload?.version === '1.1.0')).toBe(true)
    // Up to date now: no device downloads it again, however many more times they beat and check.
    const beats = fleet.stats().heartbeatsOk
    await waitFor('more heartbeats', () => fleet!.stats().heartbeatsOk >= beats + 15)
    expect(fleet.stats().updatesInstalled).toBe(3)
  })

  it('a device whose update fails reports ota_fail and is not offered it again', async () => {
    await uploadFirmware(t.url, cookie, buildEsp32Image({ version: '1.1.0', bodySize: 20_000 }))
    fleet = new Fleet({
      url: t.url,
      apiKey: t.deviceKey,
      size: 1,
      seed: 'ota-fail',
      behaviour: { ...FAST_OTA, otaFailureProbability: 1 }
    })
    fleet.start()
    await waitFor(
      'the failure recorded',
      async () => (await devices())[0]?.ota?.state === 'failed',
      15_000
    )
    // Many more heartbeats and checks: the failed version is never offered again.
    const beats = fleet.stats().heartbeatsOk
    await waitFor('more heartbeats', () => fleet!.stats().heartbeatsOk >= beats + 10)
    const starts = await adminGet<EventPage>(
      `${t.url}/api/admin/events?type=ota_start&limit=100`,
      cookie
    )
    expect(starts.events).toHaveLength(1)
    expect(fleet.stats().updatesFailed).toBe(1)
    const [device] = await devices()
    expect(device!.firmware_version).toBe('1.0.0')
    expect(device!.ota).toMatchObject({ state: 'failed', blocked_versions: ['1.1.0'] })
  })
})
