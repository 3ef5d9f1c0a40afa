import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { EventPage } from '../../src/shared/api-schemas'
import { Fleet } from '../../scripts/simulator/fleet'
import { startTestCore, type TestCore } from '../helpers/test-core'
import { adminGet, FAST, waitFor } from './helpers'

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

const tokenState = async (id: string) =>
  (await adminGet<{ token: { state: string } }>(`${t.url}/api/admin/devices/${id}/token`, cookie))
    .token.state
const post = (path: string) =>
  fetch(`${t.url}/api/admin${path}`, { method: 'POST', headers: { cookie } })

describe('the simulator uses device tokens', () => {
  it('asks for a token, switches to it, and falls back to the key when it is re-issued', async () => {
    fleet = new Fleet({ url: t.url, apiKey: t.deviceKey, size: 1, seed: 'tokens', behaviour: FAST })
    const device = fleet.devices[0]!
    fleet.start()
    await waitFor('a token on the device', () => device.hasToken)
    await waitFor('the token in use', async () => (await tokenState(device.id)) === 'active')
    // From now on the shared key is refused for it, and it keeps beating and logging.
    const keyBeat = await fetch(`${t.url}/api/devices/heartbeat`, {
      method: 'POST',
      headers: { 'x-api-key': t.deviceKey },
      body: JSON.stringify({ device_id: device.id })
    })
    expect(keyBeat.status).toBe(401)
    expect(await device.postEvent('dose_taken', { alarm_label: 'Mañana' })).toBe(true)
    const events = await adminGet<EventPage>(
      `${t.url}/api/admin/events?device_id=${encodeURIComponent(device.id)}`,
      cookie
    )
    expect(events.events.map((e) => e.type)).toContain('dose_taken')

    // Re-issued in the dashboard: the old token gets 401, the device falls back and gets another.
    const before = device.stats().heartbeatsOk
    expect((await post(`/devices/${device.id}/token/reissue`)).status).toBe(200)
    await waitFor('the token re-issued and in use again', async () =>
      device.hasToken && device.stats().heartbeatsOk > before + 2
        ? (await tokenState(device.id)) === 'active'
        : false
    )
    expect(device.stats().heartbeatsFailed).toBeGreaterThanOrEqual(1)
  })

  it('with useDeviceToken off it behaves as seed firmware: shared key only, no token', async () => {
    fleet = new Fleet({
      url: t.url,
      apiKey: t.deviceKey,
      size: 1,
      seed: 'no-tokens',
      behaviour: { ...FAST, useDeviceToken: false }
    })
    const device = fleet.devices[0]!
    fleet.start()
    await waitFor('three heartbeats', () => device.stats().heartbeatsOk >= 3)
    expect(device.hasToken).toBe(false)
    expect(await tokenState(device.id)).toBe('none')
  })
})
