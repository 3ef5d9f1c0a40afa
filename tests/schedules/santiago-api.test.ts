import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { outcomesResponseSchema } from '../../src/shared/schedule-schemas'
import { heartbeatBody, request } from '../helpers/http'
import { startTestCore, type TestCore } from '../helpers/test-core'
import { startScheduleApp, testClock, type ScheduleApp } from './schedule-app'

const EVERY_DAY = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']

describe('America/Santiago: outcomes across both DST changes; devices without a schedule', () => {
  let t: TestCore
  let s: ScheduleApp
  const key = () => ({ 'X-API-Key': t.deviceKey })
  const scheduled = 'santiago-1'
  const bare = 'santiago-no-schedule'
  let n = 0

  async function event(device: string, type: string, time: string, label: string) {
    const res = await request(`${t.url}/api/events`, {
      headers: key(),
      body: {
        device_id: device,
        type,
        timestamp: time,
        payload: { alarm_label: label },
        event_id: `s${++n}`
      }
    })
    expect(res.status).toBe(200)
  }

  async function outcomes(device: string, from: string, to: string) {
    const res = await request(
      `${s.url}/api/admin/outcomes?device_id=${device}&from=${from}&to=${to}`
    )
    expect(res.status).toBe(200)
    return outcomesResponseSchema.parse(res.body).outcomes
  }

  beforeAll(async () => {
    const clock = testClock('2025-04-01T12:00:00Z')
    t = await startTestCore({ clock: () => clock.now })
    t.core.services.settings.update({ time_zone: 'America/Santiago' })
    s = await startScheduleApp(t, clock)
    for (const id of [scheduled, bare])
      await request(`${t.url}/api/devices/heartbeat`, { headers: key(), body: heartbeatBody(id) })
    const res = await request(`${s.url}/api/admin/devices/${scheduled}/schedule`, {
      method: 'PUT',
      body: {
        alarms: [
          { label: 'Medicamento mañana', time: '09:00', days: EVERY_DAY, window_min: 30 },
          { label: 'Medianoche', time: '00:00', days: ['sun'] }
        ]
      }
    })
    expect(res.status).toBe(200)
  })
  afterAll(async () => {
    await s.close()
    await t.dispose()
  })

  it('April (clocks back at midnight on the 5th): 09:00 stays 09:00 local, one UTC hour later', async () => {
    // Taken 5 minutes after 09:00 local each day. Were the dose placed an hour off after the
    // change, the 6th would read late (65 min) or early-by-55, not on time.
    await event(scheduled, 'dose_taken', '2025-04-05T12:05:00Z', 'Medicamento mañana') // -03
    await event(scheduled, 'dose_taken', '2025-04-06T13:05:00Z', 'Medicamento mañana') // -04
    await event(scheduled, 'dose_taken', '2025-04-07T13:05:00Z', 'Medicamento mañana')
    s.clock.now = Date.parse('2025-04-08T00:00:00Z')
    const list = await outcomes(scheduled, '2025-04-05', '2025-04-07')
    expect(
      list.map((o) => [o.local_date, o.local_time, o.scheduled_at, o.status, o.delay_s])
    ).toEqual([
      ['2025-04-05', '09:00', '2025-04-05T12:00:00.000Z', 'on_time', 300],
      ['2025-04-06', '00:00', '2025-04-06T04:00:00.000Z', 'unknown', null], // 23:00–24:00 on the 5th repeats; midnight once
      ['2025-04-06', '09:00', '2025-04-06T13:00:00.000Z', 'on_time', 300],
      ['2025-04-07', '09:00', '2025-04-07T13:00:00.000Z', 'on_time', 300]
    ])
  })

  it('September (midnight skipped on the 7th): the 00:00 dose is due at 01:00, 09:00 stays 09:00', async () => {
    s.clock.now = Date.parse('2025-09-08T00:00:00Z')
    await event(scheduled, 'alarm_triggered', '2025-09-07T04:00:00Z', 'Medianoche')
    await event(scheduled, 'dose_taken', '2025-09-07T04:02:00Z', 'Medianoche')
    await event(scheduled, 'dose_taken', '2025-09-06T13:20:00Z', 'Medicamento mañana') // -04
    await event(scheduled, 'dose_taken', '2025-09-07T12:20:00Z', 'Medicamento mañana') // -03
    const list = await outcomes(scheduled, '2025-09-06', '2025-09-07')
    expect(list.map((o) => [o.local_date, o.local_time, o.scheduled_at, o.status])).toEqual([
      ['2025-09-06', '09:00', '2025-09-06T13:00:00.000Z', 'on_time'],
      ['2025-09-07', '01:00', '2025-09-07T04:00:00.000Z', 'on_time'],
      ['2025-09-07', '09:00', '2025-09-07T12:00:00.000Z', 'on_time']
    ])
    expect(s.service.heartbeatFields(scheduled).tz).toMatchObject({ utc_offset_s: -3 * 3600 })
  })

  it('a device without a schedule gets outcomes from its alarms alone', async () => {
    s.clock.now = Date.parse('2025-09-10T12:00:00Z')
    await event(bare, 'alarm_triggered', '2025-09-09T12:00:00Z', 'Pastilla')
    await event(bare, 'alarm_triggered', '2025-09-09T12:05:00Z', 'Pastilla') // re-ring
    await event(bare, 'alarm_ack', '2025-09-09T12:06:00Z', 'Pastilla')
    await event(bare, 'dose_taken', '2025-09-09T12:07:00Z', 'Pastilla')
    await event(bare, 'alarm_triggered', '2025-09-09T23:00:00Z', 'Noche')
    await event(bare, 'alarm_triggered', '2025-09-10T11:45:00Z', 'Pastilla')
    const list = await outcomes(bare, '2025-09-09', '2025-09-10')
    expect(list.map((o) => [o.source, o.alarm_label, o.local_time, o.status, o.rings])).toEqual([
      ['alarm', 'Pastilla', '09:00', 'on_time', 2],
      ['alarm', 'Noche', '20:00', 'missed', 1],
      ['alarm', 'Pastilla', '08:45', 'pending', 1]
    ])
    const adherence = await request(`${s.url}/api/admin/adherence?device_id=${bare}&days=7`)
    expect(adherence.body.devices[0]).toMatchObject({
      has_schedule: false,
      overall: { doses: 3, taken: 1, missed: 1, pending: 1, taken_pct: 50 }
    })
    // Alarm-only doses are not "scheduled doses": the alert engine is not told about them.
    expect(s.service.dueMissedAlarms().filter((d) => d.device_id === bare)).toEqual([])
  })
})
