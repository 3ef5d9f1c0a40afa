import { describe, expect, it } from 'vitest'
import { VirtualTime, eventually, serverEvents, useRig } from './fixture'

const ALL_DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']
const MADRID_POSIX = 'CET-1CEST,M3.5.0,M10.5.0/3'

// Europe/Madrid springs forward on the last Sunday of March: 2026-03-29 02:00 CET → 03:00 CEST.
// The virtual clock starts on the Saturday morning, 07:50 CET (06:50Z).
describe('virtual dispenser: a schedule edited in the admin API, rung across a DST change', () => {
  const time = new VirtualTime('2026-03-28T06:50:00Z')
  const rig = useRig({ time, timeZone: 'Europe/Madrid' })

  it('fetches each saved version and rings at 08:00 local on both sides of the change', async () => {
    const r = await rig()
    const id = 'D5:70:00:00:00:01'
    const d = r.dispenser({ deviceId: id })
    await d.waitEv('heartbeat', { status: 200 })

    // First version: 07:55 (also checks the device drops it for the next one).
    const v1 = await r.admin(`/devices/${id}/schedule`, {
      method: 'PUT',
      body: { alarms: [{ label: 'Mañana', time: '07:55', days: ALL_DAYS, window_min: 30 }] }
    })
    expect(v1.status).toBe(200)
    const s1 = await d.waitEv('schedule', { version: v1.body.schedule.version })
    expect(s1).toMatchObject({ alarms: 1, tz: MADRID_POSIX })

    // The edit: 08:00 instead, plus an evening alarm. A new version reaches the device.
    const v2 = await r.admin(`/devices/${id}/schedule`, {
      method: 'PUT',
      body: {
        alarms: [
          { label: 'Mañana', time: '08:00', days: ALL_DAYS, window_min: 30 },
          { label: 'Noche', time: '21:00', days: ALL_DAYS, window_min: 30 }
        ],
        expected_version: v1.body.schedule.version
      }
    })
    expect(v2.status).toBe(200)
    const version = v2.body.schedule.version
    expect(version).toBeGreaterThan(v1.body.schedule.version)
    await d.waitEv('schedule', { version, alarms: 2 })
    // ...and the device reports it applied it; the server shows that.
    await eventually(
      () => r.admin(`/devices/${id}`),
      (res) => res.body.device.applied_schedule_version === version,
      'applied_schedule_version'
    )

    // Saturday: 08:00 CET is 07:00Z. Nothing rings at 07:55 (that version is gone).
    let from = d.mark()
    time.advanceTo('2026-03-28T06:59:58Z', d) // 07:59:58 CET
    const sat = await d.waitEv('alarm', { state: 'ringing', label: 'Mañana' }, { from })
    expect(sat.local).toBe('2026-03-28T08:00')
    expect(sat.t.slice(0, 16)).toBe('2026-03-28T07:00')
    expect(d.all('alarm', from).filter((l) => l.local === '2026-03-28T07:55')).toHaveLength(0)
    d.send('press')
    d.send('press')
    await d.waitEv('alarm', { state: 'taken', label: 'Mañana' }, { from })

    // Evening 21:00 CET = 20:00Z rings and is left to give up; then to Sunday 07:59 CEST (05:59Z).
    from = d.mark()
    time.advanceTo('2026-03-28T19:59:58Z', d)
    const evening = await d.waitEv('alarm', { state: 'ringing', label: 'Noche' }, { from })
    expect(evening.local).toBe('2026-03-28T21:00')
    from = d.mark()
    time.advanceTo('2026-03-29T05:59:58Z', d)
    const sun = await d.waitEv('alarm', { state: 'ringing', label: 'Mañana' }, { from })
    // Still 08:00 on the wall clock, which is now UTC+2: 06:00Z, an hour earlier in UTC.
    expect(sun.local).toBe('2026-03-29T08:00')
    expect(sun.t.slice(0, 16)).toBe('2026-03-29T06:00')
    // The evening alarm gave up on the way (its window passed), without posting anything.
    expect(d.all('alarm', from).some((l) => l.state === 'given_up' && l.label === 'Noche')).toBe(
      true
    )

    // The server sees Sunday's ring at 06:00Z too, and its heartbeat answers carry CEST now.
    const events = await eventually(
      () => serverEvents(r, id),
      (e) =>
        e.filter((x) => x.type === 'alarm_triggered' && x.payload?.alarm_label === 'Mañana')
          .length >= 2,
      'two morning rings on the server'
    )
    const rings = events.filter(
      (x) => x.type === 'alarm_triggered' && x.payload?.alarm_label === 'Mañana'
    )
    expect(rings.map((x) => x.occurred_at.slice(0, 16))).toEqual([
      '2026-03-28T07:00',
      '2026-03-29T06:00'
    ])
    const schedule = await r.admin(`/devices/${id}/schedule`)
    expect(schedule.status).toBe(200)
  }, 120_000)
})
