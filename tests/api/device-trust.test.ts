import Database from 'better-sqlite3'
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { DEFAULT_DEVICE_LIMITS } from '../../src/main/core/device-trust/device-trust'
import { createLogger } from '../../src/main/core/lib/logger'
import { buildEsp32Image } from '../helpers/esp32-image'
import { uploadFirmware } from '../helpers/firmware-upload'
import { heartbeatBody, request } from '../helpers/http'
import { startTestCore, type TestCore } from '../helpers/test-core'

/**
 * Issue 13, device half: the shared key is the enrolment key, devices may get their own token,
 * unknown ids wait for adoption, and limits hold per device. Real HTTP against a real core with
 * the production limits (the test harness raises them for other suites).
 */
describe('device trust', () => {
  let t: TestCore
  let cookie: string
  afterEach(async () => t?.dispose())

  const start = async (overrides: Parameters<typeof startTestCore>[0] = {}) => {
    t = await startTestCore({ deviceLimits: DEFAULT_DEVICE_LIMITS, ...overrides })
    cookie = await t.login()
    return t
  }
  const withKey = (key = t.deviceKey) => ({ 'X-API-Key': key })
  const withToken = (token: string) => ({ Authorization: `DeviceToken ${token}` })
  const beat = (id: string, headers: Record<string, string>, extra: Record<string, unknown> = {}) =>
    request(`${t.url}/api/devices/heartbeat`, { headers, body: heartbeatBody(id, extra) })
  const event = (id: string, headers: Record<string, string>, type = 'dose_taken') =>
    request(`${t.url}/api/events/`, {
      headers,
      body: { device_id: id, type, payload: { alarm_label: 'Mañana' } }
    })
  const admin = (path: string, init: { method?: string; body?: unknown } = {}) =>
    request(`${t.url}/api/admin${path}`, {
      ...init,
      method: init.method ?? (init.body !== undefined ? 'POST' : 'GET'),
      headers: { cookie }
    })
  const tokenState = async (id: string) => (await admin(`/devices/${id}/token`)).body.token.state
  const eventsOf = async (id: string) =>
    (await admin(`/events?device_id=${encodeURIComponent(id)}`)).body.events as unknown[]
  const closeAdoption = async () => {
    const res = await admin('/adoption', { method: 'PATCH', body: { open: false } })
    expect(res.status).toBe(200)
    expect(res.body.open_until).toBeNull()
  }

  it('gives a device that asks its own token; then the shared key is refused for it and the token accepted', async () => {
    await start()
    // Old firmware: the answer is exactly the seed's fields (plus the schedule ones), no token.
    const old = await beat('old-firmware', withKey())
    expect(old.status).toBe(200)
    expect(old.body).not.toHaveProperty('device_token')
    const again = await beat('old-firmware', withKey(), { supports_device_token: false })
    expect(Object.keys(again.body).sort()).toEqual(Object.keys(old.body).sort())

    const first = await beat('kitchen', withKey(), { supports_device_token: true })
    expect(first.status).toBe(200)
    const lost = first.body.device_token as string
    expect(lost).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(await tokenState('kitchen')).toBe('issued')
    // The answer was "lost": until a token is used, the key still works and hands out a new one,
    // and the first token stops working.
    const second = await beat('kitchen', withKey(), { supports_device_token: true })
    const token = second.body.device_token as string
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(token).not.toBe(lost)
    expect((await beat('kitchen', withToken(lost))).body.error.code).toBe('invalid-device-token')

    const withOwn = await beat('kitchen', withToken(token), { supports_device_token: true })
    expect(withOwn.status).toBe(200)
    expect(withOwn.body).not.toHaveProperty('device_token') // handed out once
    expect(await tokenState('kitchen')).toBe('active')

    const refusedBeat = await beat('kitchen', withKey())
    expect(refusedBeat.status).toBe(401)
    expect(refusedBeat.body.error.code).toBe('device-token-required')
    const refusedEvent = await event('kitchen', withKey())
    expect(refusedEvent.status).toBe(401)
    expect(await eventsOf('kitchen')).toHaveLength(0)
    expect((await event('kitchen', withToken(token))).status).toBe(200)
    expect(await eventsOf('kitchen')).toHaveLength(1)
    expect(
      (await request(`${t.url}/api/devices/kitchen/schedule`, { headers: withToken(token) })).status
    ).toBe(200)
    expect(
      (await request(`${t.url}/api/devices/kitchen/schedule`, { headers: withKey() })).status
    ).toBe(401)

    // A token speaks for its own device only.
    const other = await event('old-firmware', withToken(token))
    expect(other.status).toBe(403)
    expect(other.body.error.code).toBe('device-token-mismatch')
    // Other devices keep using the shared key.
    expect((await beat('old-firmware', withKey())).status).toBe(200)

    // Stored hashed only, and it survives a restart.
    await t.stop()
    const db = new Database(join(t.dataDir, 'pastillero.db'), { readonly: true })
    const row = db
      .prepare("SELECT token_hash, token_state FROM device_credentials WHERE device_id = 'kitchen'")
      .get() as { token_hash: string; token_state: string }
    db.close()
    expect(row).toEqual({
      token_hash: createHash('sha256').update(token).digest('hex'),
      token_state: 'active'
    })
    expect(readFileSync(join(t.dataDir, 'pastillero.db')).includes(token)).toBe(false)
    t = await startTestCore({ dataDir: t.dataDir, deviceLimits: DEFAULT_DEVICE_LIMITS })
    cookie = await t.login()
    expect((await beat('kitchen', withToken(token))).status).toBe(200)
    expect((await beat('kitchen', withKey())).status).toBe(401)
  })

  it('revokes and re-issues a token from the device page', async () => {
    await start()
    const token = (await beat('hall', withKey(), { supports_device_token: true })).body.device_token
    expect((await beat('hall', withToken(token))).status).toBe(200)

    const revoked = await admin('/devices/hall/token/revoke', { method: 'POST' })
    expect(revoked.status).toBe(200)
    expect(revoked.body.token).toMatchObject({ device_id: 'hall', state: 'revoked' })
    expect((await beat('hall', withToken(token))).body.error.code).toBe('invalid-device-token')
    const keyAfterRevoke = await beat('hall', withKey(), { supports_device_token: true })
    expect(keyAfterRevoke.status).toBe(401)
    expect(keyAfterRevoke.body.error.code).toBe('device-token-revoked')
    expect(keyAfterRevoke.body).not.toHaveProperty('device_token')

    const reissued = await admin('/devices/hall/token/reissue', { method: 'POST' })
    expect(reissued.body.token.state).toBe('none')
    // The firmware's token is refused, it falls back to the key and gets a new token.
    expect((await beat('hall', withToken(token))).status).toBe(401)
    const fresh = (await beat('hall', withKey(), { supports_device_token: true })).body
      .device_token as string
    expect(fresh).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(fresh).not.toBe(token)
    expect((await beat('hall', withToken(fresh))).status).toBe(200)
    expect((await beat('hall', withKey())).status).toBe(401)

    expect((await admin('/devices/nobody/token')).status).toBe(404)
    expect((await admin('/devices/nobody/token/revoke', { method: 'POST' })).status).toBe(404)
    expect((await admin('/devices/bad%20id/token')).status).toBe(422)
  })

  it('a blocked device cannot get round the block with another id while adoption is closed', async () => {
    await start()
    expect((await admin('/adoption')).body.open_until).not.toBeNull() // first hour after setup
    expect((await beat('pillbox-a', withKey())).status).toBe(200) // adopted automatically
    await closeAdoption()
    const blocked = await admin('/devices/pillbox-a', { method: 'PATCH', body: { blocked: true } })
    expect(blocked.body.device.blocked).toBe(true)
    expect((await event('pillbox-a', withKey())).body.error.code).toBe('device-blocked')

    // Same key, another id: recorded as waiting, refused, nothing stored.
    const hb = await beat('pillbox-b', withKey())
    expect(hb.status).toBe(403)
    expect(hb.body.error.code).toBe('device-not-adopted')
    const ev = await event('pillbox-b', withKey())
    expect(ev.status).toBe(403)
    expect(ev.body.error.code).toBe('device-not-adopted')
    expect(await eventsOf('pillbox-b')).toHaveLength(0)
    const devices = (await admin('/devices')).body.devices.map(
      (d: { device_id: string }) => d.device_id
    )
    expect(devices).toEqual(['pillbox-a'])
    const waiting = (await admin('/adoption')).body.pending
    expect(waiting).toEqual([
      expect.objectContaining({ device_id: 'pillbox-b', name: 'Pastillero Cocina', attempts: 2 })
    ])

    // Inventing ids is limited per minute (10 at once, then one every 6 s).
    const statuses: number[] = []
    let retryAfter: string | null = null
    for (let i = 0; i < 15; i++) {
      const res = await beat(`invented-${i}`, withKey())
      statuses.push(res.status)
      if (res.status === 429) retryAfter ??= res.headers.get('retry-after')
    }
    expect(statuses.filter((s) => s === 403).length).toBeLessThanOrEqual(10)
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(4)
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1)
    expect((await admin('/devices')).body.devices).toHaveLength(1)

    // The family adopts the real new one; it is accepted from its next heartbeat.
    const adopted = await admin('/adoption/pending/pillbox-b/adopt', { method: 'POST' })
    expect(adopted.status).toBe(200)
    expect(adopted.body.pending.map((p: { device_id: string }) => p.device_id)).not.toContain(
      'pillbox-b'
    )
    expect((await beat('pillbox-b', withKey())).status).toBe(200)
    expect((await event('pillbox-b', withKey())).status).toBe(200)
    expect((await admin('/adoption/pending/pillbox-b/adopt', { method: 'POST' })).status).toBe(404)
    // Dismissed ones leave the list.
    const dismissed = await admin('/adoption/pending/invented-0', { method: 'DELETE' })
    expect(dismissed.status).toBe(200)
    expect(dismissed.body.pending.map((p: { device_id: string }) => p.device_id)).not.toContain(
      'invented-0'
    )
    // Opened again from the dashboard: new ids are adopted for the time it stays open.
    const opened = await admin('/adoption', { method: 'PATCH', body: { open: true, minutes: 30 } })
    const minutes = (Date.parse(opened.body.open_until) - Date.now()) / 60_000
    expect(minutes).toBeGreaterThan(29)
    expect(minutes).toBeLessThanOrEqual(30)
    expect((await beat('invented-1', withKey())).status).toBe(200)
    expect((await admin('/adoption', { method: 'PATCH', body: { open: 'yes' } })).status).toBe(422)
  })

  it('limits heartbeats per device with 429 and Retry-After; other devices are unaffected', async () => {
    await start()
    const statuses: number[] = []
    let retryAfter: string | null = null
    for (let i = 0; i < 30; i++) {
      const res = await beat('chatty', withKey())
      statuses.push(res.status)
      if (res.status === 429) {
        retryAfter ??= res.headers.get('retry-after')
        expect(res.body.error.code).toBe('rate-limited')
      }
    }
    // A burst of 20, refilled at one a second: a slow machine may refill a few more.
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(20)
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(1)
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1)
    expect((await beat('quiet', withKey())).status).toBe(200)
  })

  it('OTA downloads identify the device: token, named id, or the one device at that address', async () => {
    await start()
    const image = buildEsp32Image({ version: '1.1.0' })
    expect((await uploadFirmware(t.url, cookie, image)).status).toBe(201)
    const ota = async (id: string) => (await admin(`/devices/${id}`)).body.device.ota

    // Only one device heard from 127.0.0.1 so far: an old sketch that sends no id is that one.
    expect((await beat('solo', withKey())).status).toBe(200)
    const check = await request(`${t.url}/api/ota/check/1.0.0`, { headers: withKey() })
    expect(check.body.url).toBe(`${t.url}/api/ota/download/1.1.0?device_id=solo`)
    const anonymous = await fetch(`${t.url}/api/ota/download/1.1.0`, { headers: withKey() })
    expect(anonymous.status).toBe(200)
    await anonymous.arrayBuffer()
    expect((await ota('solo')).state).toBe('downloading')

    // With a second device at the same address, the key alone no longer says who.
    const token = (await beat('tokened', withKey(), { supports_device_token: true })).body
      .device_token
    expect((await beat('tokened', withToken(token))).status).toBe(200)
    expect((await beat('second', withKey())).status).toBe(200)
    const unknown = await request(`${t.url}/api/ota/download/1.1.0`, { headers: withKey() })
    expect(unknown.status).toBe(401)
    expect(unknown.body.error.code).toBe('device-unidentified')

    // The token names its device (HTTPUpdate with a token header, no MAC needed).
    const viaToken = await fetch(`${t.url}/api/ota/update`, {
      headers: { ...withToken(token), 'x-ESP32-version': '1.0.0', 'x-ESP32-mode': 'sketch' }
    })
    expect(viaToken.status).toBe(200)
    expect(Buffer.from(await viaToken.arrayBuffer()).equals(image)).toBe(true)
    expect((await ota('tokened')).state).toBe('downloading')
    // Its MAC with the shared key is refused: it has its own token.
    const viaKey = await request(`${t.url}/api/ota/update?key=${t.deviceKey}`, {
      headers: { 'x-ESP32-STA-MAC': 'tokened', 'x-ESP32-version': '1.0.0' }
    })
    expect(viaKey.status).toBe(401)
    // HTTPUpdate's MAC header names a key-using device.
    const viaMac = await fetch(`${t.url}/api/ota/update?key=${t.deviceKey}`, {
      headers: { 'x-ESP32-STA-MAC': 'second', 'x-ESP32-version': '1.0.0' }
    })
    expect(viaMac.status).toBe(200)
    await viaMac.arrayBuffer()
    expect((await ota('second')).state).toBe('downloading')
    // An id nobody adopted gets nothing.
    await closeAdoption()
    const stranger = await request(`${t.url}/api/ota/download/1.1.0`, {
      headers: { ...withKey(), 'X-Device-Id': 'stranger' }
    })
    expect(stranger.status).toBe(403)
    expect(stranger.body.error.code).toBe('device-not-adopted')
  })

  it('accepts a short seed-era key with a warning, and rotates it with a grace period', async () => {
    const warnings: string[] = []
    const logger = createLogger('test', (level, _scope, message) => {
      if (level === 'warn') warnings.push(message)
    })
    await start({ env: { API_SECRET_KEY: 'tu-clave' }, logger })
    expect(t.info.deviceKeyShort).toBe(true)
    expect(warnings.join('\n')).toMatch(/only 8 characters.*rotate it in the dashboard/s)
    expect((await beat('seed-era', withKey('tu-clave'))).status).toBe(200)
    expect((await beat('seed-era', withKey('tu-clavE'))).status).toBe(401)
    const view = (await admin('/adoption')).body
    expect(view).toMatchObject({ device_key_short: true, device_key_rotatable: true })

    const rotated = await admin('/device-key/rotate', { body: { grace_hours: 24 } })
    expect(rotated.status).toBe(200)
    const newKey = rotated.body.device_api_key as string
    expect(newKey.length).toBeGreaterThanOrEqual(16)
    expect((await beat('seed-era', withKey('tu-clave'))).status).toBe(200) // grace period
    expect((await beat('seed-era', withKey(newKey))).status).toBe(200)
    expect((await admin('/adoption')).body.device_key_short).toBe(false)

    // The environment still says tu-clave after a restart: the rotated key stays in force.
    await t.stop()
    warnings.length = 0
    t = await startTestCore({
      dataDir: t.dataDir,
      env: { API_SECRET_KEY: 'tu-clave' },
      logger,
      deviceLimits: DEFAULT_DEVICE_LIMITS
    })
    cookie = await t.login()
    expect(t.info.deviceKey).toBe(newKey)
    expect(warnings.join('\n')).toMatch(/Remove API_SECRET_KEY/)
    expect((await beat('seed-era', withKey(newKey))).status).toBe(200)
    expect((await beat('seed-era', withKey('tu-clave'))).status).toBe(200)
  })

  it('a long API_SECRET_KEY is still changed in the environment, not rotated', async () => {
    await start()
    expect(t.info.deviceKeyShort).toBe(false)
    const res = await admin('/device-key/rotate', { body: {} })
    expect(res.status).toBe(409)
    expect((await admin('/adoption')).body).toMatchObject({
      device_key_short: false,
      device_key_rotatable: false
    })
  })

  it('forgetting a device forgets its token and adoption', async () => {
    await start()
    const token = (await beat('gone', withKey(), { supports_device_token: true })).body.device_token
    expect((await beat('gone', withToken(token))).status).toBe(200)
    await closeAdoption()
    expect((await admin('/devices/gone', { method: 'DELETE' })).status).toBe(200)
    expect((await beat('gone', withToken(token))).status).toBe(401)
    expect((await beat('gone', withKey())).body.error.code).toBe('device-not-adopted')
  })
})
