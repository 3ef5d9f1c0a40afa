import { describe, expect, it } from 'vitest'
import { eventually, serverEvents, useRig } from './fixture'

// Several virtual dispensers (the firmware's host build) against the real core over HTTP.
describe('virtual dispensers: heartbeats and a remote reboot', () => {
  const rig = useRig()

  it('several dispensers beat, and the server shows what each reported', async () => {
    const r = await rig()
    const fleet = [
      { deviceId: 'F1:EE:70:00:00:01', chip: 'ESP32-D0WD-V3', name: 'Cocina' },
      { deviceId: 'F1:EE:70:00:00:02', chip: 'ESP32-S3', name: 'Baño' },
      { deviceId: 'F1:EE:70:00:00:03', chip: 'ESP32-C3', name: 'Salón' }
    ].map((o) => ({ ...o, d: r.dispenser(o) }))
    for (const { d } of fleet) {
      const boot = await d.waitEv('boot')
      expect(boot).toMatchObject({ boot: 1, version: '1.0.0', reset_reason: 'poweron' })
      await d.waitEv('heartbeat', { status: 200 })
    }
    // Beats keep coming (1–2 s apart with jitter), not a single one.
    for (const { d } of fleet)
      await d.waitFor((l) => l.ev === 'heartbeat' && d.all('heartbeat').length >= 3, {
        what: 'three heartbeats'
      })

    const list = await r.admin('/devices')
    const devices = new Map<string, any>(list.body.devices.map((x: any) => [x.device_id, x]))
    for (const { deviceId, chip, name } of fleet) {
      const seen = devices.get(deviceId)
      expect(seen, deviceId).toMatchObject({
        name,
        online: true,
        firmware_version: '1.0.0',
        chip_model: chip,
        chip: chip.startsWith('ESP32-D0WD') ? 'ESP32' : chip,
        reset_reason: 'poweron',
        ip_address: '127.0.0.1'
      })
      expect(seen.heartbeats).toBeGreaterThanOrEqual(3)
      expect(seen.uptime_s).toBeGreaterThanOrEqual(0)
      // Every boot posts a reboot event with its reason and boot counter.
      const events = await eventually(
        () => serverEvents(r, deviceId),
        (e) => e.some((x) => x.type === 'reboot'),
        `${deviceId} boot event`
      )
      expect(events.find((x) => x.type === 'reboot')).toMatchObject({
        payload: { reason: 'poweron', boot_count: 1 },
        event_id: expect.stringMatching(/^1-\d+$/)
      })
    }
  })

  it('obeys a reboot from the admin API: the process restarts with a higher boot counter', async () => {
    const r = await rig()
    const id = 'F1:EE:70:00:00:09'
    const d = r.dispenser({ deviceId: id })
    await d.waitEv('heartbeat', { status: 200 })
    const pid = d.child.pid

    const queued = await r.admin(`/devices/${id}/reboot`, { method: 'POST' })
    expect(queued.status).toBeLessThan(300)
    const from = d.mark()
    await d.waitEv('command', { command: 'reboot' }, { from })
    await d.waitEv('restarting', { reason: 'remote' }, { from })
    const boot = await d.waitEv('boot', {}, { from })
    expect(boot).toMatchObject({ boot: 2, reset_reason: 'software' })
    expect(d.child.pid).toBe(pid) // re-exec'd in place, as a reset keeps the "device"
    await d.waitEv('heartbeat', { status: 200 }, { from: d.lines.indexOf(boot) })

    // The server delivered the command once and has both reboot events, in order.
    const device = (await r.admin(`/devices/${id}`)).body.device
    expect(device.last_command).toMatchObject({ command: 'reboot', status: 'delivered' })
    const reboots = (
      await eventually(
        () => serverEvents(r, id),
        (e) => e.filter((x) => x.type === 'reboot').length >= 3,
        'three reboot events'
      )
    ).filter((x) => x.type === 'reboot')
    expect(reboots.map((x) => x.payload)).toEqual([
      { reason: 'poweron', boot_count: 1 },
      { reason: 'remote' },
      { reason: 'software', boot_count: 2 }
    ])
    expect(reboots.map((x) => x.event_id.split('-')[0])).toEqual(['1', '1', '2'])
    expect(device.reset_reason).toBeDefined()
    expect(d.all('command', from)).toHaveLength(1) // delivered exactly once
  })
})
