import { describe, expect, it } from 'vitest'
import { VirtualTime, eventually, useRig } from './fixture'

const ALL_DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']

// The alarm cycle as the dispenser posts it, judged by the server. Clocks: the server computes
// outcomes from its own clock, and a schedule is valid from when it is saved; so the core's
// schedule clock is the dispensers' virtual clock (VirtualTime), the schedule is saved at the
// start of that virtual day, and the outcomes are read once the virtual evening has passed.
// Monday 2026-05-04 in Madrid (CEST, UTC+2); the clock starts at 07:50 local.
describe('virtual dispenser: the alarm cycle, judged on time, late and missed', () => {
  const time = new VirtualTime('2026-05-04T05:50:00Z')
  const rig = useRig({ time, timeZone: 'Europe/Madrid' })

  it('rings, is acknowledged and taken: on time; rings and is ignored: missed', async () => {
    const r = await rig()
    const id = '0C:70:00:00:00:01'
    const d = r.dispenser({ deviceId: id, doseBy: 'compartment' })
    await d.waitEv('heartbeat', { status: 200 })
    const saved = await r.admin(`/devices/${id}/schedule`, {
      method: 'PUT',
      body: {
        alarms: [
          { label: 'Desayuno', time: '08:00', days: ALL_DAYS, window_min: 10 },
          { label: 'Comida', time: '14:00', days: ALL_DAYS, window_min: 10 },
          { label: 'Cena', time: '21:00', days: ALL_DAYS, window_min: 10 }
        ]
      }
    })
    expect(saved.status).toBe(200)
    await d.waitEv('schedule', { version: saved.body.schedule.version, alarms: 3 })

    const sent = (type: string, label: string, from: number) =>
      d.waitFor((l) => l.ev === 'event_sent' && l.type === type && l.status === 200, {
        from,
        what: `${type} for ${label} delivered`
      })

    // 08:00 — rings, a press acknowledges, the compartment opens two minutes later: on time.
    let from = d.mark()
    time.advanceTo('2026-05-04T05:59:58Z', d)
    await d.waitEv('alarm', { state: 'ringing', label: 'Desayuno' }, { from })
    await sent('alarm_triggered', 'Desayuno', from)
    d.send('press')
    await d.waitEv('alarm', { state: 'acked', label: 'Desayuno' }, { from })
    time.advance(120, d)
    d.send('compartment')
    await d.waitEv('alarm', { state: 'taken', label: 'Desayuno' }, { from })
    await sent('dose_taken', 'Desayuno', from)

    // 21:00 — rings and is ignored: missed.
    from = d.mark()
    time.advanceTo('2026-05-04T18:59:58Z', d)
    await d.waitEv('alarm', { state: 'ringing', label: 'Cena' }, { from })
    await sent('alarm_triggered', 'Cena', from)
    time.advanceTo('2026-05-04T19:10:05Z', d)
    await d.waitEv('alarm', { state: 'given_up', label: 'Cena' }, { from })
    expect(d.all('event_queued', from).map((l) => l.type)).toEqual([
      'alarm_triggered' // one ring (the clock jumped past the repeat); nothing for giving up
    ])

    const outcomes = await eventually(
      () => r.admin(`/outcomes?device_id=${id}&from=2026-05-04&to=2026-05-04`),
      (res) =>
        res.status === 200 &&
        res.body.outcomes.length >= 3 &&
        res.body.outcomes.every((o: any) => o.status !== 'pending'),
      'outcomes of the day'
    )
    const byLabel = Object.fromEntries(outcomes.body.outcomes.map((o: any) => [o.alarm_label, o]))
    expect(byLabel.Desayuno).toMatchObject({
      status: 'on_time',
      source: 'schedule',
      local_time: '08:00',
      rings: 1
    })
    expect(byLabel.Desayuno.ack_at.slice(0, 16)).toBe('2026-05-04T06:00')
    expect(byLabel.Desayuno.taken_at.slice(0, 16)).toBe('2026-05-04T06:02')
    expect(byLabel.Cena).toMatchObject({ status: 'missed', local_time: '21:00', taken_at: null })
    expect(byLabel.Cena.rings).toBeGreaterThanOrEqual(1)
  }, 150_000)
})

describe('virtual dispenser: a dose taken after the alarm gave up', () => {
  const time = new VirtualTime('2026-05-04T11:50:00Z')
  const rig = useRig({ time, timeZone: 'Europe/Madrid' })

  it('a dose taken after the alarm gave up is posted, and the server shows it late', async () => {
    const r = await rig()
    const id = '0C:70:00:00:00:02'
    const d = r.dispenser({ deviceId: id, doseBy: 'compartment' })
    await d.waitEv('heartbeat', { status: 200 })
    const saved = await r.admin(`/devices/${id}/schedule`, {
      method: 'PUT',
      body: { alarms: [{ label: 'Comida', time: '14:00', days: ALL_DAYS, window_min: 10 }] }
    })
    expect(saved.status).toBe(200)
    await d.waitEv('schedule', { version: saved.body.schedule.version, alarms: 1 })
    const sent = (type: string, label: string, from: number) =>
      d.waitFor((l) => l.ev === 'event_sent' && l.type === type && l.status === 200, {
        from,
        what: `${type} for ${label} delivered`
      })

    const from = d.mark()
    // 14:00 — rings (and rings again after 5 min), nobody comes; it gives up after its window.
    // At 14:25 the compartment is opened: the dose was taken, late.
    time.advanceTo('2026-05-04T11:59:58Z', d)
    await d.waitEv('alarm', { state: 'ringing', label: 'Comida', ring: 1 }, { from })
    time.advanceTo('2026-05-04T12:04:58Z', d)
    await d.waitEv('alarm', { state: 'ringing', label: 'Comida', ring: 2 }, { from })
    time.advanceTo('2026-05-04T12:10:05Z', d)
    await d.waitEv('alarm', { state: 'given_up', label: 'Comida' }, { from })
    time.advanceTo('2026-05-04T12:25:05Z', d)
    d.send('compartment')
    await sent('dose_taken', 'Comida', from)

    const outcomes = await eventually(
      () => r.admin(`/outcomes?device_id=${id}&from=2026-05-04&to=2026-05-04`),
      (res) => res.status === 200 && res.body.outcomes.some((o: any) => o.taken_at),
      'the late dose on the server'
    )
    const comida = outcomes.body.outcomes.find((o: any) => o.alarm_label === 'Comida')
    expect(comida).toMatchObject({ status: 'late', local_time: '14:00', rings: 2 })
    expect(comida.taken_at.slice(0, 16)).toBe('2026-05-04T12:25')
  }, 120_000)
})
