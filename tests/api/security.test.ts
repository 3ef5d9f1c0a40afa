import Database from 'better-sqlite3'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { heartbeatBody, request } from '../helpers/http'
import { startTestCore, type TestCore } from '../helpers/test-core'

describe('security on the LAN', () => {
  let t: TestCore | undefined
  afterEach(async () => {
    await t?.dispose()
    t = undefined
  })

  it('a blocked device gets 403 everywhere and nothing it sends is stored', async () => {
    t = await startTestCore()
    const cookie = await t.login()
    const key = { 'X-API-Key': t.deviceKey }
    await request(`${t.url}/api/devices/heartbeat`, { headers: key, body: heartbeatBody('looper') })
    const blocked = await request(`${t.url}/api/admin/devices/looper`, {
      method: 'PATCH',
      headers: { cookie },
      body: { blocked: true }
    })
    expect(blocked.body.device.blocked).toBe(true)

    const beat = await request(`${t.url}/api/devices/heartbeat`, {
      headers: key,
      body: heartbeatBody('looper', { firmware_version: '6.6.6' })
    })
    expect(beat.status).toBe(403)
    expect(beat.body.error.code).toBe('device-blocked')
    const ev = await request(`${t.url}/api/events/`, {
      headers: key,
      body: { device_id: 'looper', type: 'reboot' }
    })
    expect(ev.status).toBe(403)
    const ota = await request(`${t.url}/api/ota/check/1.0.0?device_id=looper`, { headers: key })
    expect(ota.status).toBe(403)

    const db = new Database(join(t.dataDir, 'pastillero.db'), { readonly: true })
    expect(
      db
        .prepare("SELECT firmware_version, heartbeats FROM devices WHERE device_id = 'looper'")
        .get()
    ).toEqual({
      firmware_version: '1.0.0',
      heartbeats: 1
    })
    expect(db.prepare("SELECT COUNT(*) AS n FROM events WHERE device_id = 'looper'").get()).toEqual(
      { n: 0 }
    )
    db.close()

    await request(`${t.url}/api/admin/devices/looper`, {
      method: 'PATCH',
      headers: { cookie },
      body: { blocked: false }
    })
    expect(
      (
        await request(`${t.url}/api/devices/heartbeat`, {
          headers: key,
          body: heartbeatBody('looper')
        })
      ).status
    ).toBe(200)
  })

  it('a looping firmware is rate-limited per device before it fills the disk', async () => {
    t = await startTestCore()
    const key = { 'X-API-Key': t.deviceKey }
    const results = []
    for (let i = 0; i < 140; i++) {
      results.push(
        await request(`${t.url}/api/events/`, {
          headers: key,
          body: { device_id: 'spammy', type: 'alarm_ack' }
        })
      )
    }
    const limited = results.filter((r) => r.status === 429)
    expect(limited.length).toBeGreaterThan(10)
    expect(limited[0]!.body.error.code).toBe('rate-limited')
    expect(Number(limited[0]!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
    // Another device is unaffected.
    expect(
      (
        await request(`${t.url}/api/events/`, {
          headers: key,
          body: { device_id: 'calm', type: 'alarm_ack' }
        })
      ).status
    ).toBe(200)
    const db = new Database(join(t.dataDir, 'pastillero.db'), { readonly: true })
    const stored = (
      db.prepare("SELECT COUNT(*) AS n FROM events WHERE device_id = 'spammy'").get() as {
        n: number
      }
    ).n
    db.close()
    expect(stored).toBe(results.filter((r) => r.status === 200).length)
    expect(stored).toBeLessThan(140)
  })

  it('rotating the device key keeps the old one working for the grace period only', async () => {
    t = await startTestCore({ env: { API_SECRET_KEY: undefined } })
    const cookie = await t.login()
    const oldKey = t.deviceKey
    const rotated = await request(`${t.url}/api/admin/device-key/rotate`, {
      headers: { cookie },
      body: { grace_hours: 1 }
    })
    expect(rotated.status).toBe(200)
    const newKey: string = rotated.body.device_api_key
    expect(newKey).not.toBe(oldKey)
    expect(Date.parse(rotated.body.previous_valid_until) - Date.now()).toBeGreaterThan(3_500_000)
    for (const k of [oldKey, newKey]) {
      expect(
        (
          await request(`${t.url}/api/devices/heartbeat`, {
            headers: { 'X-API-Key': k },
            body: heartbeatBody('r')
          })
        ).status
      ).toBe(200)
    }
    const settings = await request(`${t.url}/api/admin/settings`, { headers: { cookie } })
    expect(settings.body).toMatchObject({
      device_api_key: newKey,
      device_api_key_previous_until: rotated.body.previous_valid_until
    })

    // Rotating with no grace retires the previous key at once.
    const again = await request(`${t.url}/api/admin/device-key/rotate`, {
      headers: { cookie },
      body: { grace_hours: 0 }
    })
    for (const k of [oldKey, newKey]) {
      expect(
        (
          await request(`${t.url}/api/devices/heartbeat`, {
            headers: { 'X-API-Key': k },
            body: heartbeatBody('r')
          })
        ).status
      ).toBe(401)
    }
    expect(
      (
        await request(`${t.url}/api/devices/heartbeat`, {
          headers: { 'X-API-Key': again.body.device_api_key },
          body: heartbeatBody('r')
        })
      ).status
    ).toBe(200)
    // The new key survives a restart.
    await t.stop()
    t = await startTestCore({ dataDir: t.dataDir, env: { API_SECRET_KEY: undefined } })
    expect(t.deviceKey).toBe(again.body.device_api_key)
  })

  it('a key set by API_SECRET_KEY cannot be rotated from the dashboard', async () => {
    t = await startTestCore()
    const cookie = await t.login()
    const res = await request(`${t.url}/api/admin/device-key/rotate`, {
      headers: { cookie },
      body: {}
    })
    expect(res.status).toBe(409)
    expect(res.body.error.code).toBe('key-from-environment')
  })

  it('sends security headers on every response, errors included', async () => {
    t = await startTestCore()
    for (const path of ['/api/health', '/api/nope', '/api/admin/devices', '/docs/']) {
      const res = await fetch(`${t.url}${path}`)
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff')
      expect(res.headers.get('x-frame-options'), path).toBe('DENY')
      expect(res.headers.get('content-security-policy'), path).toContain("frame-ancestors 'none'")
      expect(res.headers.get('x-powered-by'), path).toBeNull()
    }
  })
})

describe('dashboard pages', () => {
  it('without a session every page but login redirects to the login page', async () => {
    const t = await startTestCore()
    try {
      const get = (path: string, cookie?: string) =>
        fetch(`${t.url}${path}`, {
          redirect: 'manual',
          headers: { accept: 'text/html', ...(cookie ? { cookie } : {}) }
        })
      const devices = await get('/devices')
      expect(devices.status).toBe(302)
      expect(devices.headers.get('location')).toBe('/login?redirect=%2Fdevices')
      expect((await get('/')).headers.get('location')).toBe('/login')
      const login = await get('/login')
      expect(login.status).toBe(200)
      expect(await login.text()).toContain('<div id="app">')
      const cookie = await t.login()
      expect((await get('/devices', cookie)).status).toBe(200)
    } finally {
      await t.dispose()
    }
  })
})
