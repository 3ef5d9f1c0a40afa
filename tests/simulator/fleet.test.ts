import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { DeviceView, EventPage, EventView } from '../../src/shared/api-schemas'
import { startTestCore, type TestCore } from '../helpers/test-core'
import { Fleet } from '../../scripts/simulator/fleet'
import { SimulatedDevice } from '../../scripts/simulator/simulated-device'
import { identityFor } from '../../scripts/simulator/identity'
import { adminGet, FAST, startFlakyProxy, waitFor } from './helpers'

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

const devicesOnServer = async () =>
  (await adminGet<{ devices: DeviceView[] }>(`${t.url}/api/admin/devices`, cookie)).devices

async function eventsOnServer(query: Record<string, string> = {}): Promise<EventView[]> {
  const params = new URLSearchParams({ limit: '1000', ...query })
  return (await adminGet<EventPage>(`${t.url}/api/admin/events?${params}`, cookie)).events
}

describe('a simulated fleet against a real core', () => {
  it('registers every device with its name, firmware and address, and stops cleanly', async () => {
    fleet = new Fleet({
      url: t.url,
      apiKey: t.deviceKey,
      size: 5,
      seed: 'registers',
      firmwareVersion: '1.2.3',
      behaviour: FAST
    })
    fleet.start()
    await waitFor('two heartbeats from every device', () =>
      fleet!.devices.every((d) => d.stats().heartbeatsOk >= 2)
    )

    const devices = await devicesOnServer()
    expect(devices.map((d) => d.device_id).sort()).toEqual([...fleet.deviceIds].sort())
    for (const [i, simulated] of fleet.devices.entries()) {
      const device = devices.find((d) => d.device_id === simulated.id)!
      expect(device.device_id).toMatch(/^24:6F:28(:[0-9A-F]{2}){3}$/)
      expect(device.name).toBe(`Pastillero 00${i + 1}`)
      expect(device.firmware_version).toBe('1.2.3')
      expect(device.ip_address).toBe(simulated.identity.ip_address)
      expect(device.status).toBe('online')
      expect(device.online).toBe(true)
    }

    await fleet.stop()
    // stop() waited for every request: what the devices counted is exactly what the core stored,
    // and nothing arrives afterwards.
    const stats = fleet.stats()
    expect(stats.heartbeatsFailed).toBe(0)
    expect(stats.heartbeatsOk).toBe(stats.heartbeatsSent)
    const stored = async () => (await devicesOnServer()).reduce((n, d) => n + d.heartbeats, 0)
    expect(await stored()).toBe(stats.heartbeatsOk)
    await new Promise((resolve) => setTimeout(resolve, 250))
    expect(await stored()).toBe(stats.heartbeatsOk)
    expect(fleet.devices.every((d) => d.state === 'stopped')).toBe(true)
  })

  it('obeys a reboot exactly once: reboot event, silence, then beats again', async () => {
    // Heartbeats sent when the reboot starts and when the device is back: none in between.
    const sentAt: Record<string, number> = {}
    fleet = new Fleet({
      url: t.url,
      apiKey: t.deviceKey,
      size: 2,
      seed: 'reboots',
      behaviour: { ...FAST, reportBootCount: true },
      onActivity: (a) => {
        const device = fleet!.device(a.device_id)!
        if (a.kind === 'reboot' || a.kind === 'booted')
          sentAt[a.kind] = device.stats().heartbeatsSent
      }
    })
    const device = fleet.devices[0]!
    const other = fleet.devices[1]!
    fleet.start()
    await waitFor('the first heartbeat', () => device.stats().heartbeatsOk >= 1)

    const queued = await fetch(`${t.url}/api/admin/devices/${device.id}/reboot`, {
      method: 'POST',
      headers: { cookie }
    })
    expect(queued.status).toBe(202)

    await waitFor('the device back from its reboot', () => device.boots === 2, 15_000)
    const beatsAfterBoot = device.stats().heartbeatsOk
    await waitFor('three heartbeats after the reboot', () =>
      device.stats().heartbeatsOk >= beatsAfterBoot + 3 ? true : false
    )
    await fleet.stop()

    expect(device.stats().rebootsObeyed).toBe(1)
    expect(other.stats().rebootsObeyed).toBe(0)
    expect(sentAt.booted).toBe(sentAt.reboot) // silent while booting

    const reboots = await eventsOnServer({ device_id: device.id, type: 'reboot' })
    expect(reboots).toHaveLength(1)
    expect(reboots[0]!.payload).toMatchObject({ reason: 'remote', boot_count: 1 })
    expect(reboots[0]!.event_id).toMatch(/-b1-\d+$/)
    expect(await eventsOnServer({ device_id: other.id, type: 'reboot' })).toHaveLength(0)

    const onServer = (await devicesOnServer()).find((d) => d.device_id === device.id)!
    expect(onServer.last_command?.status).toBe('delivered')
    expect(onServer.last_seen > reboots[0]!.received_at).toBe(true)
  })

  it('posts alarms, acknowledgements and doses that appear in the history', async () => {
    fleet = new Fleet({
      url: t.url,
      apiKey: t.deviceKey,
      size: 3,
      seed: 'alarms',
      behaviour: {
        ...FAST,
        alarmsPerHour: 3600 * 10, // one every ~100 ms per device
        ackDelayMs: [10, 40],
        doseDelayMs: [5, 20],
        missedDoseProbability: 0.3,
        timestampFormat: 'iso'
      }
    })
    fleet.start()
    await waitFor('doses taken and missed', () => {
      const s = fleet!.stats()
      return s.dosesTaken >= 5 && s.dosesMissed >= 1
    })
    await fleet.stop()

    const stats = fleet.stats()
    expect(stats.eventsFailed).toBe(0)
    const sent = fleet.devices.flatMap((d) => d.sentEvents())
    expect(sent.length).toBe(stats.eventsSent)
    const stored = (await eventsOnServer()).filter((e) => e.type !== 'reboot')
    expect(stored.map((e) => e.event_id).sort()).toEqual(sent.map((e) => e.event_id).sort())

    const count = (type: string) => stored.filter((e) => e.type === type).length
    expect(count('alarm_triggered')).toBe(stats.alarms)
    expect(count('dose_taken')).toBe(stats.dosesTaken)
    expect(count('alarm_ack')).toBeGreaterThanOrEqual(stats.dosesTaken)
    for (const event of stored) {
      const mine = sent.find((s) => s.event_id === event.event_id)!
      expect(event.device_id).toBe(mine.device_id)
      expect(event.payload).toEqual({ alarm_label: expect.stringMatching(/^Medicamento /) })
      expect(event.device_time).toBe(mine.timestamp) // the device's clock, not arrival time
    }
    // Each dose follows an acknowledgement of the same alarm label on the same device.
    for (const dose of stored.filter((e) => e.type === 'dose_taken')) {
      const acks = stored.filter(
        (e) =>
          e.type === 'alarm_ack' &&
          e.device_id === dose.device_id &&
          e.occurred_at <= dose.occurred_at &&
          e.payload?.alarm_label === dose.payload?.alarm_label
      )
      expect(acks.length).toBeGreaterThan(0)
    }
  })
})

describe('idempotent retries', () => {
  it('stores an event once when its answers are lost and it is posted again', async () => {
    const device = new SimulatedDevice({
      url: t.url,
      apiKey: t.deviceKey,
      identity: identityFor(0, 1, { seed: 'lost' }),
      behaviour: {
        ...FAST,
        lostResponseProbability: 1, // every answer "lost": the device never learns it succeeded
        retry: { attempts: 3, baseDelayMs: 10, maxDelayMs: 20 }
      }
    })
    expect(await device.postEvent('dose_taken', { alarm_label: 'Medicamento noche' })).toBe(false)
    await device.stop()

    const stats = device.stats()
    expect(stats.eventPosts).toBe(3)
    expect(stats.eventRetries).toBe(2)
    const [sent] = device.sentEvents()
    const stored = await eventsOnServer({ device_id: device.id })
    expect(stored).toHaveLength(1)
    expect(stored[0]!.event_id).toBe(sent!.event_id)
  })

  it('retries after a real network failure with the same event_id', async () => {
    // The first two event answers are cut after the core has stored the event.
    const proxy = await startFlakyProxy(t.url, { path: '/api/events/', cutFirst: 2 })
    try {
      const device = new SimulatedDevice({
        url: proxy.url,
        apiKey: t.deviceKey,
        identity: identityFor(0, 1, { seed: 'flaky' }),
        behaviour: FAST
      })
      expect(await device.postEvent('alarm_triggered', { alarm_label: 'Medicamento mañana' })).toBe(
        true
      )
      expect(await device.postEvent('alarm_ack', { alarm_label: 'Medicamento mañana' })).toBe(true)
      await device.stop()

      expect(proxy.cut).toBe(2)
      const stats = device.stats()
      expect(stats).toMatchObject({ eventsSent: 2, eventsOk: 2, eventRetries: 2, eventPosts: 4 })
      expect(stats.eventDuplicates).toBe(1) // the first event's retry found it already stored
      const stored = await eventsOnServer({ device_id: device.id })
      expect(stored.map((e) => e.type).sort()).toEqual(['alarm_ack', 'alarm_triggered'])
      expect(stored.map((e) => e.event_id).sort()).toEqual(
        device
          .sentEvents()
          .map((e) => e.event_id)
          .sort()
      )
    } finally {
      await proxy.close()
    }
  })

  it('keeps every event exactly once across a fleet with lossy answers', async () => {
    fleet = new Fleet({
      url: t.url,
      apiKey: t.deviceKey,
      size: 3,
      seed: 'lossy',
      behaviour: {
        ...FAST,
        alarmsPerHour: 3600 * 10,
        ackDelayMs: [10, 30],
        doseDelayMs: [5, 10],
        lostResponseProbability: 0.4,
        retry: { attempts: 12, baseDelayMs: 5, maxDelayMs: 20 }
      }
    })
    fleet.start()
    await waitFor('several duplicates', () => fleet!.stats().eventDuplicates >= 5)
    await fleet.stop()

    const stats = fleet.stats()
    const stored = await eventsOnServer()
    const sent = fleet.devices.flatMap((d) => d.sentEvents())
    const ids = stored.map((e) => e.event_id)
    expect(new Set(ids).size).toBe(ids.length)
    // Events cut short by stop() may or may not have reached the core; all others did, once.
    const delivered = stats.eventsSent - stats.eventsFailed
    expect(stats.eventsOk).toBe(delivered)
    expect(stored.length).toBeGreaterThanOrEqual(delivered)
    expect(stored.length).toBeLessThanOrEqual(sent.length)
    expect(stats.eventPosts).toBeGreaterThan(stats.eventsSent)
  })
})
