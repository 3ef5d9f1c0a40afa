import { afterEach, describe, expect, it } from 'vitest'
import { createAccount, loginAs, openStream } from '../helpers/accounts'
import { heartbeatBody, request } from '../helpers/http'
import { startTestCore, type TestCore } from '../helpers/test-core'

/** Resolves with the value, or rejects after ms (so a stream that never ends fails the test). */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what} after ${ms} ms`)), ms))
  ])
}

describe('family accounts and sessions over HTTP', () => {
  let t: TestCore | undefined
  afterEach(async () => {
    await t?.dispose()
    t = undefined
  })

  it('20 concurrent wrong logins: at most 5 are tried, the rest get 429 before any password check', async () => {
    t = await startTestCore()
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        request(`${t!.url}/api/admin/login`, { body: { password: `wrong guess ${i}` } })
      )
    )
    const statuses = answers.map((a) => a.status)
    const tried = statuses.filter((s) => s === 401).length
    expect(tried).toBeLessThanOrEqual(5)
    expect(tried).toBeGreaterThan(0)
    expect(statuses.filter((s) => s === 429)).toHaveLength(20 - tried)
    const limited = answers.find((a) => a.status === 429)!
    expect(limited.body.error.code).toBe('too-many-attempts')
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0)
    // Even the right password waits now: the address is locked, not the guesses.
    expect(
      (await request(`${t.url}/api/admin/login`, { body: { password: t.adminPassword } })).status
    ).toBe(429)
  })

  it('a password change signs the account out everywhere else, and only that account', async () => {
    t = await startTestCore()
    const admin = await loginAs(t.url, t.adminPassword)
    await createAccount(t.url, admin, 'Marta', 'marta-password-1')
    await createAccount(t.url, admin, 'Luis', 'luis-password-1')
    const phone = await loginAs(t.url, 'marta-password-1', 'Marta')
    const laptop = await loginAs(t.url, 'marta-password-1', 'marta') // names ignore case
    const luis = await loginAs(t.url, 'luis-password-1', 'Luis')

    const changed = await request(`${t.url}/api/admin/password`, {
      headers: { cookie: phone },
      body: { current_password: 'marta-password-1', new_password: 'marta-password-2' }
    })
    expect(changed.status).toBe(200)
    const devices = (cookie: string) =>
      request(`${t!.url}/api/admin/devices`, { headers: { cookie } })
    expect((await devices(phone)).status).toBe(200) // the session that changed it stays
    expect((await devices(laptop)).status).toBe(401)
    expect((await devices(luis)).status).toBe(200)
    expect(
      (
        await request(`${t.url}/api/admin/login`, {
          body: { name: 'Marta', password: 'marta-password-1' }
        })
      ).status
    ).toBe(401)
    await loginAs(t.url, 'marta-password-2', 'Marta')
  })

  it('an admin resetting or removing an account ends its sessions', async () => {
    t = await startTestCore()
    const admin = await loginAs(t.url, t.adminPassword)
    const ana = await createAccount(t.url, admin, 'Ana', 'ana-password-1')
    const anaSession = await loginAs(t.url, 'ana-password-1', 'Ana')
    const reset = await request(`${t.url}/api/admin/accounts/${ana.id}`, {
      method: 'PATCH',
      headers: { cookie: admin },
      body: { password: 'ana-password-2' }
    })
    expect(reset.status).toBe(200)
    expect(
      (await request(`${t.url}/api/admin/devices`, { headers: { cookie: anaSession } })).status
    ).toBe(401)

    const again = await loginAs(t.url, 'ana-password-2', 'Ana')
    const removed = await request(`${t.url}/api/admin/accounts/${ana.id}`, {
      method: 'DELETE',
      headers: { cookie: admin }
    })
    expect(removed.status).toBe(200)
    expect(
      (await request(`${t.url}/api/admin/devices`, { headers: { cookie: again } })).status
    ).toBe(401)
    expect(
      (
        await request(`${t.url}/api/admin/login`, {
          body: { name: 'Ana', password: 'ana-password-2' }
        })
      ).status
    ).toBe(401)
  })

  it('accounts: duplicate names, bad input, the last admin and oneself are refused', async () => {
    t = await startTestCore()
    const admin = await loginAs(t.url, t.adminPassword)
    const list = await request(`${t.url}/api/admin/accounts`, { headers: { cookie: admin } })
    expect(list.body.accounts).toEqual([
      expect.objectContaining({ name: 'admin', role: 'admin', password_from_env: true })
    ])
    expect(JSON.stringify(list.body)).not.toMatch(/scrypt|password_hash/)
    await createAccount(t.url, admin, 'Marta', 'marta-password-1')
    const post = (body: unknown) =>
      request(`${t!.url}/api/admin/accounts`, { headers: { cookie: admin }, body })
    const dup = await post({ name: 'MARTA', password: 'another-password' })
    expect([dup.status, dup.body.error.code]).toEqual([409, 'account-exists'])
    const short = await post({ name: 'Pepe', password: 'short' })
    expect([short.status, short.body.error.field]).toEqual([422, 'password'])
    const badName = await post({ name: '<script>', password: 'long-enough-1' })
    expect([badName.status, badName.body.error.field]).toEqual([422, 'name'])
    const badRole = await post({ name: 'Pepe', password: 'long-enough-1', role: 'root' })
    expect([badRole.status, badRole.body.error.field]).toEqual([422, 'role'])

    const me = list.body.accounts[0].id
    const self = await request(`${t.url}/api/admin/accounts/${me}`, {
      method: 'DELETE',
      headers: { cookie: admin }
    })
    expect(self.status).toBe(409)
    const demote = await request(`${t.url}/api/admin/accounts/${me}`, {
      method: 'PATCH',
      headers: { cookie: admin },
      body: { role: 'family' }
    })
    expect(demote.status).toBe(409)
    const missing = await request(`${t.url}/api/admin/accounts/999`, {
      method: 'PATCH',
      headers: { cookie: admin },
      body: { role: 'family' }
    })
    expect(missing.status).toBe(404)
  })

  it('a family account sees, acknowledges and edits schedules; everything else is admin-only', async () => {
    t = await startTestCore()
    const admin = await loginAs(t.url, t.adminPassword)
    await createAccount(t.url, admin, 'Abuela', 'abuela-password')
    const family = await loginAs(t.url, 'abuela-password', 'Abuela')
    await request(`${t.url}/api/devices/heartbeat`, {
      headers: { 'X-API-Key': t.deviceKey },
      body: heartbeatBody('kitchen')
    })
    const as = (method: string, path: string, body?: unknown) =>
      request(`${t!.url}/api/admin${path}`, { method, headers: { cookie: family }, body })

    for (const path of [
      '/devices',
      '/devices/kitchen',
      '/events',
      '/alerts',
      '/outcomes',
      '/telegram'
    ])
      expect([path, (await as('GET', path)).status]).toEqual([path, 200])
    const settings = await as('GET', '/settings')
    expect(settings.status).toBe(200)
    expect(settings.body.device_api_key).toBe('') // the key is an admin's to see
    const schedule = await as('PUT', '/devices/kitchen/schedule', {
      alarms: [{ label: 'Mañana', time: '08:00', days: ['mon'] }]
    })
    expect(schedule.status).toBe(200)
    expect(schedule.body.schedule.created_by).toBe('Abuela')

    const refused: Array<[string, string, unknown?]> = [
      ['PATCH', '/settings', { language: 'en' }],
      ['POST', '/device-key/rotate', {}],
      ['GET', '/firmware'],
      ['GET', '/accounts'],
      ['POST', '/accounts', { name: 'X', password: 'xxxxxxxxxx' }],
      ['GET', '/logs'],
      ['GET', '/backups'],
      ['POST', '/backups'],
      ['GET', '/export'],
      ['PATCH', '/devices/kitchen', { name: 'Mine' }],
      ['DELETE', '/devices/kitchen'],
      ['POST', '/devices/kitchen/reboot'],
      ['PATCH', '/telegram', { bot_token: null }]
    ]
    for (const [method, path, body] of refused) {
      const res = await as(method, path, body)
      expect([method, path, res.status, res.body.error?.code]).toEqual([
        method,
        path,
        403,
        'admin-only'
      ])
    }
    // Nothing refused happened.
    const device = await request(`${t.url}/api/admin/devices/kitchen`, {
      headers: { cookie: admin }
    })
    expect(device.body.device.display_name ?? null).toBeNull()
  })

  it('two family members acknowledge alerts under their own names', async () => {
    t = await startTestCore()
    const admin = await loginAs(t.url, t.adminPassword)
    await createAccount(t.url, admin, 'Marta', 'marta-password-1')
    await createAccount(t.url, admin, 'Luis', 'luis-password-1')
    const marta = await loginAs(t.url, 'marta-password-1', 'Marta')
    const luis = await loginAs(t.url, 'luis-password-1', 'Luis')
    for (const v of ['1.0.1', '1.0.2'])
      await request(`${t.url}/api/events/`, {
        headers: { 'X-API-Key': t.deviceKey },
        body: { device_id: 'kitchen', type: 'ota_fail', payload: { version: v } }
      })
    const open = await request(`${t.url}/api/admin/alerts?open=true`, {
      headers: { cookie: marta }
    })
    const [second, first] = open.body.alerts as Array<{ id: number }>
    const ackM = await request(`${t.url}/api/admin/alerts/${first!.id}/ack`, {
      headers: { cookie: marta },
      body: { by: 'Luis' } // a name in the body no longer decides who
    })
    const ackL = await request(`${t.url}/api/admin/alerts/${second!.id}/ack`, {
      headers: { cookie: luis },
      body: {}
    })
    expect([ackM.status, ackM.body.alert.acknowledged_by]).toEqual([200, 'Marta'])
    expect([ackL.status, ackL.body.alert.acknowledged_by]).toEqual([200, 'Luis'])
  })

  it('logout, a password change and expiry each end that session’s live stream within a second', async () => {
    t = await startTestCore()
    const admin = await loginAs(t.url, t.adminPassword)
    await createAccount(t.url, admin, 'Marta', 'marta-password-1')
    const a = await loginAs(t.url, 'marta-password-1', 'Marta')
    const b = await loginAs(t.url, 'marta-password-1', 'Marta')
    const adminStream = await openStream(t.url, admin)
    const streamA = await openStream(t.url, a)
    const streamB = await openStream(t.url, b)

    let at = Date.now()
    await request(`${t.url}/api/admin/logout`, { method: 'POST', headers: { cookie: a } })
    expect((await within(streamA.ended, 5000, 'stream A still open')) - at).toBeLessThan(1000)

    // B's stream still gets device updates until Marta changes her password elsewhere.
    await request(`${t.url}/api/devices/heartbeat`, {
      headers: { 'X-API-Key': t.deviceKey },
      body: heartbeatBody('kitchen')
    })
    await expect.poll(() => streamB.received.length).toBeGreaterThan(0)
    const c = await loginAs(t.url, 'marta-password-1', 'Marta')
    at = Date.now()
    await request(`${t.url}/api/admin/password`, {
      headers: { cookie: c },
      body: { current_password: 'marta-password-1', new_password: 'marta-password-2' }
    })
    expect((await within(streamB.ended, 5000, 'stream B still open')) - at).toBeLessThan(1000)

    // Expiry: the session's row is made to expire now; the hub's check closes the stream.
    const d = await loginAs(t.url, 'marta-password-2', 'Marta')
    const streamD = await openStream(t.url, d)
    t.core.db.prepare("UPDATE sessions SET expires_at = '2000-01-01T00:00:00.000Z'").run()
    // The stream was opened knowing its expiry; an expired row also refuses the next request.
    expect((await request(`${t.url}/api/admin/devices`, { headers: { cookie: d } })).status).toBe(
      401
    )
    adminStream.abort()
    streamD.abort()
  })

  it('a stream ends when its session reaches its expiry time', async () => {
    t = await startTestCore()
    const token = t.core.createSession('desktop')
    // Shorten this session to ~1.5 s and open a stream with it.
    t.core.db
      .prepare('UPDATE sessions SET expires_at = ?')
      .run(new Date(Date.now() + 1500).toISOString())
    const stream = await openStream(t.url, `pastillero_session=${token}`)
    const ended = await within(stream.ended, 6000, 'expired stream still open')
    expect(ended).toBeGreaterThan(0)
    expect(
      (
        await request(`${t.url}/api/admin/devices`, {
          headers: { cookie: `pastillero_session=${token}` }
        })
      ).status
    ).toBe(401)
  })
})

describe('behind a reverse proxy', () => {
  let t: TestCore | undefined
  afterEach(async () => {
    await t?.dispose()
    t = undefined
  })

  const wrong = (url: string, headers: Record<string, string>) =>
    request(`${url}/api/admin/login`, { headers, body: { password: 'not the password' } })

  it('with PASTILLERO_TRUST_PROXY=1 one client’s failures do not lock out another', async () => {
    t = await startTestCore({ env: { PASTILLERO_TRUST_PROXY: '1' } })
    const attacker = { 'X-Real-IP': '192.168.1.66', 'X-Forwarded-For': '192.168.1.66' }
    const statuses = []
    for (let i = 0; i < 7; i++) statuses.push((await wrong(t.url, attacker)).status)
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429])
    // Another person behind the same proxy (every connection comes from 127.0.0.1).
    const cookie = await loginAs(t.url, t.adminPassword, undefined, {
      'X-Forwarded-For': 'spoofed, 192.168.1.20'
    })
    expect(cookie).toMatch(/^pastillero_session=/)
    // The address is the one the proxy appended, not what the client wrote first.
    for (let i = 0; i < 5; i++)
      await wrong(t.url, { 'X-Forwarded-For': `10.0.0.${i}, 192.168.1.77` })
    expect((await wrong(t.url, { 'X-Forwarded-For': '10.0.0.99, 192.168.1.77' })).status).toBe(429)

    // Secure cookies when the proxy says the person came over HTTPS.
    const https = await request(`${t.url}/api/admin/login`, {
      headers: { 'X-Forwarded-Proto': 'https', 'X-Real-IP': '192.168.1.21' },
      body: { password: t.adminPassword }
    })
    expect(https.headers.get('set-cookie')).toMatch(/; Secure/)
    const plain = await request(`${t.url}/api/admin/login`, {
      headers: { 'X-Forwarded-Proto': 'http', 'X-Real-IP': '192.168.1.22' },
      body: { password: t.adminPassword }
    })
    expect(plain.headers.get('set-cookie')).not.toMatch(/Secure/)
  })

  it('without it, forwarded headers are ignored: they cannot dodge the limit or claim HTTPS', async () => {
    t = await startTestCore()
    const statuses = []
    for (let i = 0; i < 6; i++)
      statuses.push(
        (await wrong(t.url, { 'X-Forwarded-For': `10.1.1.${i}`, 'X-Real-IP': `10.2.2.${i}` }))
          .status
      )
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429])
    t.core.db.prepare('DELETE FROM sessions').run()
    await t.stop()
    t = await startTestCore({ dataDir: t.dataDir })
    const res = await request(`${t.url}/api/admin/login`, {
      headers: { 'X-Forwarded-Proto': 'https' },
      body: { password: t.adminPassword }
    })
    expect(res.status).toBe(200)
    expect(res.headers.get('set-cookie')).not.toMatch(/Secure/)
  })

  it('per account, many addresses guessing one name are limited too', async () => {
    t = await startTestCore({ env: { PASTILLERO_TRUST_PROXY: '1' } })
    const statuses = []
    for (let i = 0; i < 22; i++)
      statuses.push((await wrong(t.url, { 'X-Real-IP': `172.16.0.${i}` })).status)
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true)
    expect(statuses.slice(20)).toEqual([429, 429])
  })
})

describe('Host header (DNS rebinding)', () => {
  let t: TestCore | undefined
  afterEach(async () => {
    await t?.dispose()
    t = undefined
  })

  it('admin routes answer only to this machine’s names and addresses', async () => {
    t = await startTestCore({ env: { PASTILLERO_ALLOWED_HOSTS: 'pastillero.example.com' } })
    const { port } = new URL(t.url)
    const withHost = async (host: string) => {
      // fetch does not let a page set Host; node's http does.
      const { request: raw } = await import('node:http')
      return new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = raw(
          { host: '127.0.0.1', port, path: '/api/admin/session', headers: { host } },
          (res) => {
            let body = ''
            res.on('data', (c) => (body += c))
            res.on('end', () => resolve({ status: res.statusCode!, body }))
          }
        )
        req.on('error', reject)
        req.end()
      })
    }
    for (const host of [
      `127.0.0.1:${port}`,
      `localhost:${port}`,
      `192.168.1.10:${port}`,
      `[::1]:${port}`,
      `pastillero.example.com`
    ])
      expect([host, (await withHost(host)).status]).toEqual([host, 200])
    const evil = await withHost(`attacker.example:${port}`)
    expect(evil.status).toBe(421)
    expect(JSON.parse(evil.body).error.code).toBe('unknown-host')
    // The device API is not a browser's business: dispensers may use any name.
    const beat = await request(`${t.url}/api/devices/heartbeat`, {
      headers: { 'X-API-Key': t.deviceKey },
      body: heartbeatBody('kitchen')
    })
    expect(beat.status).toBe(200)
  })
})
