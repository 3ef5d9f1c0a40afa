import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { heartbeatBody, request } from '../helpers/http'
import { startTestCore, type TestCore } from '../helpers/test-core'

// The schedule reaches devices through the seed's heartbeat (only new fields) and its own endpoint.
describe('schedules for devices', () => {
  let t: TestCore
  let cookie: string
  const key = () => ({ 'X-API-Key': t.deviceKey })

  beforeAll(async () => {
    t = await startTestCore()
    cookie = await t.login()
    await request(`${t.url}/api/admin/settings`, {
      method: 'PATCH',
      headers: { cookie },
      body: { time_zone: 'Europe/Madrid' }
    })
  })
  afterAll(() => t.dispose())

  it('a seed-format heartbeat is accepted unchanged and only gains fields', async () => {
    const res = await request(`${t.url}/api/devices/heartbeat`, {
      headers: key(),
      body: heartbeatBody('sched-1')
    })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({
      ok: true,
      server_time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      schedule_version: null,
      tz: {
        name: 'Europe/Madrid',
        posix: 'CET-1CEST,M3.5.0,M10.5.0/3',
        utc_offset_s: expect.any(Number)
      }
    })
    expect([3600, 7200]).toContain(res.body.tz.utc_offset_s)
  })

  it('serves the schedule edited in the admin API, and its version in the heartbeat', async () => {
    const put = await request(`${t.url}/api/admin/devices/sched-1/schedule`, {
      method: 'PUT',
      headers: { cookie },
      body: {
        alarms: [
          {
            label: 'Medicamento mañana',
            time: '09:00',
            days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
            compartment: 1,
            pill_count: 2
          },
          { label: 'Noche', time: '21:30', days: ['mon', 'wed', 'fri'] }
        ]
      }
    })
    expect(put.status, JSON.stringify(put.body)).toBe(200)
    const version = put.body.schedule.version
    expect(version).toBeGreaterThan(0)

    const beat = await request(`${t.url}/api/devices/heartbeat`, {
      headers: key(),
      body: heartbeatBody('sched-1')
    })
    expect(beat.body.schedule_version).toBe(version)

    const schedule = await request(`${t.url}/api/devices/sched-1/schedule`, { headers: key() })
    expect(schedule.status).toBe(200)
    expect(schedule.body).toMatchObject({
      ok: true,
      device_id: 'sched-1',
      schedule_version: version
    })
    expect(
      schedule.body.alarms.map((a: { label: string; time: string }) => [a.label, a.time])
    ).toEqual([
      ['Medicamento mañana', '09:00'],
      ['Noche', '21:30']
    ])
    expect((await request(`${t.url}/api/devices/sched-1/schedule`)).status).toBe(401)
  })

  it('a schedule survives a restart in the heartbeat, and goes with a removed device', async () => {
    const version = (
      await request(`${t.url}/api/admin/devices/sched-1/schedule`, { headers: { cookie } })
    ).body.schedule.version
    expect(version).toBeGreaterThan(0)
    await t.stop()
    t = await startTestCore({ dataDir: t.dataDir })
    cookie = await t.login()
    const beat = () =>
      request(`${t.url}/api/devices/heartbeat`, { headers: key(), body: heartbeatBody('sched-1') })
    expect((await beat()).body.schedule_version).toBe(version)

    const del = await request(`${t.url}/api/admin/devices/sched-1`, {
      method: 'DELETE',
      headers: { cookie }
    })
    expect(del.status).toBe(200)
    // Back as a new device: no schedule, so no version to fetch.
    expect((await beat()).body.schedule_version).toBeNull()
  })
})
