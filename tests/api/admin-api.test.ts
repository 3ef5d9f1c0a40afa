import Database from 'better-sqlite3'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestCore, type TestCore } from '../helpers/test-core'
import { heartbeatBody, request } from '../helpers/http'

describe('admin API', () => {
  let t: TestCore
  let cookie: string
  const key = () => ({ 'X-API-Key': t.deviceKey })

  beforeAll(async () => {
    t = await startTestCore()
    cookie = await t.login()
  })
  afterAll(() => t.dispose())

  describe('sessions', () => {
    it('login sets an HttpOnly, SameSite=Strict session cookie', async () => {
      const res = await fetch(`${t.url}/api/admin/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ password: t.adminPassword })
      })
      expect(res.status).toBe(200)
      const setCookie = res.headers.get('set-cookie')!
      expect(setCookie).toMatch(/^pastillero_session=[A-Za-z0-9_-]{40,};/)
      expect(setCookie).toContain('HttpOnly')
      expect(setCookie).toContain('SameSite=Strict')
    })

    it('every admin route refuses a request without a valid session', async () => {
      for (const [method, path] of [
        ['GET', '/api/admin/devices'],
        ['GET', '/api/admin/devices/x'],
        ['POST', '/api/admin/devices/x/reboot'],
        ['GET', '/api/admin/events'],
        ['GET', '/api/admin/settings'],
        ['PATCH', '/api/admin/settings'],
        ['GET', '/api/admin/stream']
      ] as const) {
        const res = await request(`${t.url}${path}`, {
          method,
          headers: { cookie: 'pastillero_session=forged' }
        })
        expect(res.status, `${method} ${path}`).toBe(401)
        expect(res.body.error.code).toBe('not-signed-in')
      }
    })

    it('a wrong password gets 401, and repeated failures are rate-limited with 429', async () => {
      const wrong = () => request(`${t.url}/api/admin/login`, { body: { password: 'not it' } })
      const first = await wrong()
      expect(first.status).toBe(401)
      expect(first.body.error).toMatchObject({ code: 'wrong-password', field: 'password' })
      for (let i = 0; i < 4; i++) await wrong()
      const limited = await wrong()
      expect(limited.status).toBe(429)
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0)
      // Even the right password waits now: the limit is what stops guessing.
      const right = await request(`${t.url}/api/admin/login`, {
        body: { password: t.adminPassword }
      })
      expect(right.status).toBe(429)
    })

    it('logout revokes the session', async () => {
      const other = await startTestCore()
      try {
        const c = await other.login()
        expect(
          (await request(`${other.url}/api/admin/devices`, { headers: { cookie: c } })).status
        ).toBe(200)
        await request(`${other.url}/api/admin/logout`, { method: 'POST', headers: { cookie: c } })
        expect(
          (await request(`${other.url}/api/admin/devices`, { headers: { cookie: c } })).status
        ).toBe(401)
      } finally {
        await other.dispose()
      }
    })

    it('state-changing requests from another origin are refused', async () => {
      await request(`${t.url}/api/devices/heartbeat`, {
        headers: key(),
        body: heartbeatBody('csrf')
      })
      const res = await request(`${t.url}/api/admin/devices/csrf/reboot`, {
        method: 'POST',
        headers: { cookie, origin: 'http://evil.example' }
      })
      expect(res.status).toBe(403)
      expect(res.body.error.code).toBe('cross-origin')
      const state = await request(`${t.url}/api/admin/devices/csrf`, { headers: { cookie } })
      expect(state.body.device.last_command).toBeNull()
    })
  })

  describe('devices', () => {
    it('lists devices with online computed from last_seen', async () => {
      await request(`${t.url}/api/devices/heartbeat`, {
        headers: key(),
        body: heartbeatBody('list-1', { name: 'Zeta' })
      })
      const res = await request(`${t.url}/api/admin/devices`, { headers: { cookie } })
      expect(res.status).toBe(200)
      const d = res.body.devices.find((x: { device_id: string }) => x.device_id === 'list-1')
      expect(d).toMatchObject({ online: true, name: 'Zeta', last_command: null })
      expect(Date.now() - Date.parse(d.last_seen)).toBeLessThan(10_000)
    })

    it('an unknown device is a 404 naming the field; a malformed id a 422', async () => {
      const missing = await request(`${t.url}/api/admin/devices/does-not-exist`, {
        headers: { cookie }
      })
      expect(missing.status).toBe(404)
      expect(missing.body.error).toMatchObject({ code: 'device-not-found', field: 'device_id' })
      const reboot = await request(`${t.url}/api/admin/devices/does-not-exist/reboot`, {
        method: 'POST',
        headers: { cookie }
      })
      expect(reboot.status).toBe(404)
      const bad = await request(`${t.url}/api/admin/devices/${'x'.repeat(80)}`, {
        headers: { cookie }
      })
      expect(bad.status).toBe(422)
      const badEncoding = await request(`${t.url}/api/admin/devices/%E0%A4%A`, {
        headers: { cookie }
      })
      expect(badEncoding.status).toBe(400)
    })

    it('rename keeps the reported name; forgetting removes the device and its history', async () => {
      await request(`${t.url}/api/devices/heartbeat`, {
        headers: key(),
        body: heartbeatBody('rename-me', { name: 'ESP32' })
      })
      await request(`${t.url}/api/events/`, {
        headers: key(),
        body: { device_id: 'rename-me', type: 'reboot' }
      })
      const renamed = await request(`${t.url}/api/admin/devices/rename-me`, {
        method: 'PATCH',
        headers: { cookie },
        body: { name: 'Abuela' }
      })
      expect(renamed.body.device).toMatchObject({ name: 'Abuela', reported_name: 'ESP32' })
      // The device keeps sending its own name; the family's name wins.
      await request(`${t.url}/api/devices/heartbeat`, {
        headers: key(),
        body: heartbeatBody('rename-me', { name: 'ESP32' })
      })
      const after = await request(`${t.url}/api/admin/devices/rename-me`, { headers: { cookie } })
      expect(after.body.device.name).toBe('Abuela')

      const tooLong = await request(`${t.url}/api/admin/devices/rename-me`, {
        method: 'PATCH',
        headers: { cookie },
        body: { name: 'x'.repeat(101) }
      })
      expect(tooLong.status).toBe(422)
      expect(tooLong.body.error.field).toBe('name')

      const del = await request(`${t.url}/api/admin/devices/rename-me`, {
        method: 'DELETE',
        headers: { cookie }
      })
      expect(del.status).toBe(200)
      expect(
        (await request(`${t.url}/api/admin/devices/rename-me`, { headers: { cookie } })).status
      ).toBe(404)
      const history = await request(`${t.url}/api/admin/events?device_id=rename-me`, {
        headers: { cookie }
      })
      expect(history.body.events).toEqual([])
    })

    it('admin writes must be JSON (a cross-site form cannot send it)', async () => {
      const res = await request(`${t.url}/api/admin/settings`, {
        method: 'PATCH',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        raw: 'offline_after_s=60'
      })
      expect(res.status).toBe(422)
      const settings = await request(`${t.url}/api/admin/settings`, { headers: { cookie } })
      expect(settings.body.settings.offline_after_s).toBe(180)
    })
  })

  describe('event history', () => {
    it('pages newest first with a keyset cursor and filters by device, type and dates', async () => {
      const base = Date.parse('2026-02-01T08:00:00Z')
      for (let i = 0; i < 25; i++) {
        await request(`${t.url}/api/events/`, {
          headers: key(),
          body: {
            device_id: i % 2 ? 'hist-odd' : 'hist-even',
            type: i % 5 === 0 ? 'alarm_triggered' : 'dose_taken',
            timestamp: new Date(base + i * 3600_000).toISOString(),
            event_id: `h-${i}`
          }
        })
      }
      const seen: number[] = []
      let cursor: string | null = null
      let pages = 0
      do {
        const qs: string = `device_id=hist-even&limit=5${cursor ? `&cursor=${cursor}` : ''}`
        const page = await request(`${t.url}/api/admin/events?${qs}`, { headers: { cookie } })
        expect(page.status).toBe(200)
        seen.push(...page.body.events.map((e: { event_id: string }) => Number(e.event_id.slice(2))))
        cursor = page.body.next_cursor
        pages++
      } while (cursor)
      expect(pages).toBe(3)
      expect(seen).toEqual([24, 22, 20, 18, 16, 14, 12, 10, 8, 6, 4, 2, 0])

      const typed = await request(
        `${t.url}/api/admin/events?type=alarm_triggered&since=2026-02-01T00:00:00Z`,
        {
          headers: { cookie }
        }
      )
      expect(typed.body.events.map((e: { event_id: string }) => e.event_id)).toEqual([
        'h-20',
        'h-15',
        'h-10',
        'h-5',
        'h-0'
      ])

      const window = await request(
        `${t.url}/api/admin/events?since=2026-02-01T10:00:00Z&until=2026-02-01T13:00:00%2B00:00&device_id=hist-odd`,
        { headers: { cookie } }
      )
      expect(window.body.events.map((e: { event_id: string }) => e.event_id)).toEqual(['h-3'])
    })

    it('bad query parameters get 422 naming them', async () => {
      for (const [qs, field] of [
        ['limit=0', 'limit'],
        ['limit=abc', 'limit'],
        ['limit=5000', 'limit'],
        ['type=nap', 'type'],
        ['since=yesterday', 'since'],
        ['device_id=a%20b', 'device_id'],
        ['cursor=garbage', 'cursor']
      ]) {
        const res = await request(`${t.url}/api/admin/events?${qs}`, { headers: { cookie } })
        expect(res.status, qs).toBe(422)
        expect(res.body.error.field, qs).toBe(field)
      }
    })
  })

  describe('settings', () => {
    it('shows the device key and server address and saves the offline threshold', async () => {
      const res = await request(`${t.url}/api/admin/settings`, { headers: { cookie } })
      expect(res.body).toMatchObject({
        ok: true,
        device_api_key: t.deviceKey,
        settings: { offline_after_s: 180 },
        server: { port: Number(new URL(t.url).port) }
      })
      const patched = await request(`${t.url}/api/admin/settings`, {
        method: 'PATCH',
        headers: { cookie },
        body: { offline_after_s: 60 }
      })
      expect(patched.status).toBe(200)
      expect(patched.body.settings.offline_after_s).toBe(60)
      expect(patched.body.restart_required).toBe(false)

      const bad = await request(`${t.url}/api/admin/settings`, {
        method: 'PATCH',
        headers: { cookie },
        body: { offline_after_s: 5 }
      })
      expect(bad.status).toBe(422)
      expect(bad.body.error.field).toBe('offline_after_s')
      const unknown = await request(`${t.url}/api/admin/settings`, {
        method: 'PATCH',
        headers: { cookie },
        body: { nope: 1 }
      })
      expect(unknown.status).toBe(422)
      await request(`${t.url}/api/admin/settings`, {
        method: 'PATCH',
        headers: { cookie },
        body: { offline_after_s: 180 }
      })
    })

    it('validates the family settings: time zone, language, missed-dose threshold, quiet hours', async () => {
      const patch = (body: object) =>
        request(`${t.url}/api/admin/settings`, { method: 'PATCH', headers: { cookie }, body })
      for (const [body, field] of [
        [{ time_zone: 'Mars/Olympus' }, 'time_zone'],
        [{ language: 'fr' }, 'language'],
        [{ missed_dose_after_s: 10 }, 'missed_dose_after_s'],
        [{ quiet_hours: { start: '25:00', end: '07:00' } }, 'quiet_hours.start'],
        [{ mdns_enabled: 'yes' }, 'mdns_enabled']
      ] as const) {
        const res = await patch(body)
        expect(res.status, JSON.stringify(body)).toBe(422)
        expect(res.body.error.field).toBe(field)
      }
      const ok = await patch({
        time_zone: 'America/Santiago',
        language: 'en',
        missed_dose_after_s: 1800,
        quiet_hours: { start: '22:30', end: '07:00' },
        mdns_enabled: false
      })
      expect(ok.body.settings).toMatchObject({
        time_zone: 'America/Santiago',
        language: 'en',
        missed_dose_after_s: 1800,
        quiet_hours: { start: '22:30', end: '07:00' },
        mdns_enabled: false
      })
      await patch({ language: 'es', quiet_hours: null, mdns_enabled: true })
    })

    it('a saved port is kept for the next start, and the view says when a flag outranks it', async () => {
      const res = await request(`${t.url}/api/admin/settings`, {
        method: 'PATCH',
        headers: { cookie },
        body: { port: 8123 }
      })
      expect(res.status).toBe(200)
      // The test harness passes --port 0, which outranks the saved setting: no restart would change it.
      expect(res.body.overridden_by.port).toBe('--port')
      expect(res.body.restart_required).toBe(false)
      const db = new Database(join(t.dataDir, 'pastillero.db'), { readonly: true })
      try {
        expect(db.prepare("SELECT value FROM settings WHERE key = 'port'").get()).toEqual({
          value: '8123'
        })
      } finally {
        db.close()
      }
    })

    it('changes the admin password only when the current one is given, and never when set by ADMIN_PASSWORD', async () => {
      const fromEnv = await request(`${t.url}/api/admin/password`, {
        headers: { cookie },
        body: { current_password: t.adminPassword, new_password: 'another password' }
      })
      expect(fromEnv.status).toBe(409)

      const own = await startTestCore({ env: { ADMIN_PASSWORD: undefined } })
      try {
        const generated = own.info.generatedAdminPassword!
        expect(generated).toMatch(/^[a-z0-9]{4}(-[a-z0-9]{4}){3}$/)
        const login = await request(`${own.url}/api/admin/login`, { body: { password: generated } })
        const c = login.headers.get('set-cookie')!.split(';')[0]!
        const wrong = await request(`${own.url}/api/admin/password`, {
          headers: { cookie: c },
          body: { current_password: 'nope', new_password: 'brand new pass' }
        })
        expect(wrong.status).toBe(403)
        const short = await request(`${own.url}/api/admin/password`, {
          headers: { cookie: c },
          body: { current_password: generated, new_password: 'short' }
        })
        expect(short.status).toBe(422)
        const ok = await request(`${own.url}/api/admin/password`, {
          headers: { cookie: c },
          body: { current_password: generated, new_password: 'brand new pass' }
        })
        expect(ok.status).toBe(200)
        expect(
          (await request(`${own.url}/api/admin/login`, { body: { password: 'brand new pass' } }))
            .status
        ).toBe(200)
        expect(
          (await request(`${own.url}/api/admin/login`, { body: { password: generated } })).status
        ).toBe(401)
      } finally {
        await own.dispose()
      }
    })
  })
})
