import Database from 'better-sqlite3'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { startTestCore, type TestCore } from '../helpers/test-core'
import { heartbeatBody, request } from '../helpers/http'

describe('durability and concurrency', () => {
  let t: TestCore | undefined
  afterEach(async () => {
    await t?.dispose()
    t = undefined
  })

  it('a restart keeps devices, events, pending commands, the key and sessions', async () => {
    const first = await startTestCore({ env: { API_SECRET_KEY: undefined } })
    const generatedKey = first.deviceKey
    const cookie = await first.login()
    await request(`${first.url}/api/devices/heartbeat`, {
      headers: { 'X-API-Key': generatedKey },
      body: heartbeatBody('persist-1')
    })
    const event = await request(`${first.url}/api/events/`, {
      headers: { 'X-API-Key': generatedKey },
      body: { device_id: 'persist-1', type: 'dose_taken', payload: { alarm_label: 'Noche' } }
    })
    await request(`${first.url}/api/admin/devices/persist-1/reboot`, {
      method: 'POST',
      headers: { cookie }
    })
    await first.stop()

    t = await startTestCore({ dataDir: first.dataDir, env: { API_SECRET_KEY: undefined } })
    expect(t.deviceKey).toBe(generatedKey)
    expect(t.info.deviceKeyGenerated).toBe(false)
    const devices = await request(`${t.url}/api/admin/devices`, { headers: { cookie } })
    expect(devices.status).toBe(200) // the session survived the restart too
    expect(devices.body.devices.map((d: { device_id: string }) => d.device_id)).toEqual([
      'persist-1'
    ])
    const events = await request(`${t.url}/api/admin/events?device_id=persist-1`, {
      headers: { cookie }
    })
    expect(events.body.events).toEqual([
      expect.objectContaining({ id: event.body.id, payload: { alarm_label: 'Noche' } })
    ])
    const beat = await request(`${t.url}/api/devices/heartbeat`, {
      headers: { 'X-API-Key': generatedKey },
      body: heartbeatBody('persist-1')
    })
    expect(beat.body.command).toBe('reboot')
  })

  it('a duplicate event_id is stored once, even when the retries race', async () => {
    t = await startTestCore()
    const cookie = await t.login()
    const body = {
      device_id: 'dup',
      type: 'dose_taken',
      event_id: 'boot3-evt-17',
      payload: { alarm_label: 'Mañana' }
    }
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        request(`${t!.url}/api/events/`, { headers: { 'X-API-Key': t!.deviceKey }, body })
      )
    )
    expect(results.every((r) => r.status === 200)).toBe(true)
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1)
    // The same event_id from another device is a different event.
    const other = await request(`${t.url}/api/events/`, {
      headers: { 'X-API-Key': t.deviceKey },
      body: { ...body, device_id: 'dup-2' }
    })
    expect(other.body.id).not.toBe(results[0]!.body.id)
    const page = await request(`${t.url}/api/admin/events?device_id=dup`, { headers: { cookie } })
    expect(page.body.events).toHaveLength(1)
  })

  it('200 simulated devices beating concurrently are all stored', async () => {
    t = await startTestCore()
    const cookie = await t.login()
    const ids = Array.from({ length: 200 }, (_, i) =>
      `AA:BB:CC:00:${(i >> 8).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}`.toUpperCase()
    )
    for (let round = 0; round < 3; round++) {
      const responses = await Promise.all(
        ids.map((id, i) =>
          request(`${t!.url}/api/devices/heartbeat`, {
            headers: { 'X-API-Key': t!.deviceKey },
            body: heartbeatBody(id, {
              name: `Pastillero ${i}`,
              ip_address: `10.0.${i >> 8}.${i & 255}`
            })
          })
        )
      )
      expect(responses.filter((r) => r.status !== 200)).toEqual([])
    }
    const devices = await request(`${t.url}/api/admin/devices`, { headers: { cookie } })
    expect(devices.body.devices).toHaveLength(200)
    expect(new Set(devices.body.devices.map((d: { device_id: string }) => d.device_id))).toEqual(
      new Set(ids)
    )
    expect(
      devices.body.devices.every(
        (d: { heartbeats: number; online: boolean }) => d.heartbeats === 3 && d.online
      )
    ).toBe(true)
  })

  it('heartbeats update rows and never grow the database', async () => {
    t = await startTestCore()
    const beatAll = () =>
      Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          request(`${t!.url}/api/devices/heartbeat`, {
            headers: { 'X-API-Key': t!.deviceKey },
            body: heartbeatBody(`grow-${i}`)
          })
        )
      )
    for (let i = 0; i < 10; i++) await beatAll()
    // Heartbeats are held in memory up to ~1 s; this test reads the file itself, so flush.
    await t.core.writer.flush()
    const db = new Database(join(t.dataDir, 'pastillero.db'), { readonly: true })
    // The logical size as this connection sees it (WAL frames included).
    const pages = () => db.pragma('page_count', { simple: true }) as number
    const before = pages()
    for (let i = 0; i < 30; i++) await beatAll()
    await t.core.writer.flush()
    expect(pages()).toBe(before)
    expect(db.prepare('SELECT COUNT(*) AS n FROM devices').get()).toEqual({ n: 20 })
    expect(db.prepare('SELECT COUNT(*) AS n FROM events').get()).toEqual({ n: 0 })
    expect(db.prepare("SELECT heartbeats FROM devices WHERE device_id = 'grow-0'").get()).toEqual({
      heartbeats: 40
    })
    db.close()
  })

  it('a reboot is delivered exactly once across concurrent heartbeats', async () => {
    t = await startTestCore()
    const cookie = await t.login()
    await request(`${t.url}/api/devices/heartbeat`, {
      headers: { 'X-API-Key': t.deviceKey },
      body: heartbeatBody('once')
    })
    for (let trial = 0; trial < 5; trial++) {
      await request(`${t.url}/api/admin/devices/once/reboot`, {
        method: 'POST',
        headers: { cookie }
      })
      const beats = await Promise.all(
        Array.from({ length: 20 }, () =>
          request(`${t!.url}/api/devices/heartbeat`, {
            headers: { 'X-API-Key': t!.deviceKey },
            body: heartbeatBody('once')
          })
        )
      )
      expect(beats.filter((b) => b.body.command === 'reboot')).toHaveLength(1)
    }
  })
})
