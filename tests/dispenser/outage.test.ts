import { describe, expect, it } from 'vitest'
import { VirtualTime, eventually, serverEvents, useRig } from './fixture'

const ALL_DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']

// The server goes away (stopped), the dispenser keeps working from what it stored, and when the
// server is back on the same data dir and port every queued event arrives exactly once.
describe('virtual dispenser: a server outage', () => {
  const time = new VirtualTime('2026-06-01T05:55:00Z') // Monday 07:55 in Madrid
  const rig = useRig({ time, timeZone: 'Europe/Madrid' })

  it('rings offline, survives a power cycle, and delivers every queued event once', async () => {
    const r = await rig()
    const id = '0A:7A:6E:00:00:01'
    const d = r.dispenser({ deviceId: id })
    await d.waitEv('heartbeat', { status: 200 })
    const saved = await r.admin(`/devices/${id}/schedule`, {
      method: 'PUT',
      body: { alarms: [{ label: 'Mañana', time: '08:00', days: ALL_DAYS, window_min: 30 }] }
    })
    await d.waitEv('schedule', { version: saved.body.schedule.version })
    // Everything sent so far has arrived.
    await eventually(
      async () => d.all('event_queued').length === d.all('event_sent').length,
      Boolean,
      'queue drained before the outage'
    )

    await r.stopCore()
    const outage = d.mark()
    await d.waitFor((l) => l.ev === 'heartbeat_failed', { from: outage, what: 'a failed beat' })

    // Offline: the alarm rings from the stored schedule and the dose is taken...
    time.advanceTo('2026-06-01T05:59:58Z', d)
    await d.waitEv('alarm', { state: 'ringing', label: 'Mañana' }, { from: outage })
    d.send('press')
    d.send('press')
    await d.waitEv('alarm', { state: 'taken', label: 'Mañana' }, { from: outage })
    // ...and the dispenser is power-cycled before it could send anything.
    d.send('reboot')
    const boot = await d.waitFor((l) => l.ev === 'boot' && l.boot === 2, {
      from: outage,
      what: 'second boot'
    })
    await d.waitFor((l) => l.ev === 'heartbeat_failed', {
      from: d.lines.indexOf(boot),
      what: 'a failed beat after the reboot'
    })
    const queued = d.all('event_queued', outage)
    expect(queued.map((l) => l.type)).toEqual([
      'alarm_triggered',
      'alarm_ack',
      'dose_taken',
      'reboot'
    ])
    expect(d.all('event_sent', outage).filter((l) => l.status === 200)).toEqual([])

    // The server is back on the same port and data: the queue drains, in order, once.
    await r.restartCore()
    for (const q of queued)
      await d.waitFor((l) => l.ev === 'event_sent' && l.event_id === q.event_id, {
        from: outage,
        what: `event ${q.event_id} sent`,
        timeoutMs: 90_000 // the retry backoff may have grown to a minute
      })
    const events = await eventually(
      () => serverEvents(r, id),
      (e) => queued.every((q) => e.some((x) => x.event_id === q.event_id)),
      'every queued event stored'
    )
    // Every event the device ever queued is on the server exactly once, none twice.
    const allQueued = d.all('event_queued').map((l) => l.event_id)
    const stored = events.map((x) => x.event_id)
    expect(stored.filter((e, i) => stored.indexOf(e) !== i)).toEqual([])
    expect([...stored].sort()).toEqual([...allQueued].sort())
    // The offline ones carry the device's time, not their late arrival.
    const taken = events.find((x) => x.type === 'dose_taken')
    expect(taken.occurred_at.slice(0, 16)).toBe('2026-06-01T06:00')
    expect(taken.payload).toEqual({ alarm_label: 'Mañana' })
    expect(events.find((x) => x.event_id === queued[3]!.event_id).payload).toMatchObject({
      boot_count: 2
    })
  }, 150_000)
})
