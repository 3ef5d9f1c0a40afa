import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FakeTelegram } from '../helpers/fake-telegram'
import { startTestCore, TEST_ADMIN_PASSWORD, type TestCore } from '../helpers/test-core'
import {
  anyJson,
  encodedBody,
  expectDbMatchesLedger,
  hugeNumber,
  jsonObject,
  jsonOf,
  Ledger,
  noiseHeaders,
  openReadonly,
  pathSegment,
  queryString,
  queryValue,
  runs,
  send,
  weirdString,
  type Body
} from './harness'
import type { RawResponse } from './raw-http'

const SEEDED = ['AA:BB:CC:DD:EE:01', 'cocina', 'fuzz-2', 'bano.1']

/**
 * Property-based fuzzing of the admin API over real HTTP, signed in (mostly): no 5xx, every
 * error is the envelope, the server stays up, and a rejected request changes nothing.
 */
describe('fuzz: admin API', () => {
  let t: TestCore
  let tg: FakeTelegram
  let cookie: string
  const ledger = new Ledger()
  let firstCursor = ''

  beforeAll(async () => {
    tg = await new FakeTelegram().start()
    // Telegram traffic goes to a local stand-in, never to the internet, whatever token is set.
    t = await startTestCore({ env: { TELEGRAM_API_URL: tg.url } })
    cookie = await t.login()
    const key = { 'X-API-Key': t.deviceKey, 'content-type': 'application/json' }
    for (const id of SEEDED) {
      const res = await fetch(`${t.url}/api/devices/heartbeat`, {
        method: 'POST',
        headers: key,
        body: JSON.stringify({ device_id: id, firmware_version: '1.0.0' })
      })
      expect(res.status).toBe(200)
      ledger.devices.add(id)
      // A failed update and a few reboots give the alert routes something to list and acknowledge.
      for (const type of ['ota_fail', 'reboot', 'reboot', 'reboot', 'dose_taken']) {
        const ev = await fetch(`${t.url}/api/events/`, {
          method: 'POST',
          headers: key,
          body: JSON.stringify({ device_id: id, type, payload: { version: '2.0.0' } })
        })
        ledger.eventRowIds.add(((await ev.json()) as { id: number }).id)
      }
    }
    const page = await fetch(`${t.url}/api/admin/events?limit=2`, { headers: { cookie } })
    firstCursor = ((await page.json()) as { next_cursor: string }).next_cursor
  })
  afterAll(async () => {
    console.log(`fuzz/admin-api: ${ledger.summary()}`)
    await t?.dispose()
    await tg?.stop()
  })

  /** What an admin request may change; a rejected one must leave all of it as it was. */
  function stateDigest(): string {
    const db = openReadonly(t.dataDir)
    try {
      const q = (sql: string) => db.prepare(sql).all()
      return JSON.stringify([
        q(
          "SELECT key, value FROM settings WHERE key NOT IN ('instance_id', 'telegram_link_code') ORDER BY key"
        ),
        q('SELECT device_id, display_name FROM devices ORDER BY device_id'),
        q('SELECT id, status FROM commands ORDER BY id'),
        q('SELECT COUNT(*) AS n FROM sessions'),
        q('SELECT id, name, role, password_hash FROM accounts ORDER BY id'),
        q('SELECT COUNT(*) AS n FROM alerts WHERE acknowledged_at IS NOT NULL')
      ])
    } finally {
      db.close()
    }
  }

  const session = fc.oneof(
    { weight: 12, arbitrary: fc.constant('valid') },
    {
      weight: 1,
      arbitrary: fc.constantFrom('none', 'garbage', 'empty', 'twice', 'long', 'valid-and-junk')
    }
  )
  const cookieHeaders = (how: string): Array<[string, string]> => {
    switch (how) {
      case 'valid':
        return [['Cookie', cookie]]
      case 'none':
        return []
      case 'garbage':
        return [['Cookie', 'pastillero_session=%E0%A4%A; x']]
      case 'empty':
        return [['Cookie', 'pastillero_session=']]
      case 'twice':
        return [
          ['Cookie', 'pastillero_session=nope'],
          ['Cookie', cookie]
        ]
      case 'long':
        return [['Cookie', `pastillero_session=${'a'.repeat(8000)}`]]
      default:
        return [['Cookie', `a=b; ${cookie}; ;;=; pastillero_session`]]
    }
  }
  const origin = () =>
    fc.oneof(
      { weight: 10, arbitrary: fc.constant([] as Array<[string, string]>) },
      {
        weight: 1,
        arbitrary: fc
          .constantFrom(
            ['Origin', t.url],
            ['Origin', 'null'],
            ['Origin', 'http://evil.example'],
            ['Origin', 'http://['],
            ['Sec-Fetch-Site', 'cross-site'],
            ['Sec-Fetch-Site', 'same-origin']
          )
          .map((h) => [h as [string, string]])
      }
    )
  const noise = noiseHeaders({
    Accept: fc.constantFrom('application/json', 'text/event-stream'),
    'If-None-Match': fc.constantFrom('*', '"x"'),
    'X-Requested-With': fc.constant('XMLHttpRequest')
  })
  const idSegment = fc.oneof(
    { weight: 2, arbitrary: fc.constantFrom(...SEEDED.map(encodeURIComponent)) },
    { weight: 3, arbitrary: pathSegment }
  )

  /** Sends an admin request; a rejected one must leave the database as it was. */
  async function admin(
    method: string,
    path: string,
    how: string,
    extra: Array<[string, string]>,
    body?: Body
  ): Promise<RawResponse> {
    const before = method === 'GET' ? '' : stateDigest()
    const res = await send(
      t.url,
      ledger,
      {
        method,
        path,
        headers: [...cookieHeaders(how), ...(body?.headers ?? []), ...extra],
        body: body?.bytes,
        contentLength: body?.contentLength
      },
      body?.framing
    )
    if (method !== 'GET' && (res.status >= 400 || res.status === 0) && body?.framing !== 'short')
      expect(stateDigest(), `rejected ${method} ${path} changed the database`).toBe(before)
    return res
  }

  it('GET, PATCH, DELETE /api/admin/devices/:id and POST …/reboot', async () => {
    const rename = jsonObject(
      {
        name: fc.oneof(
          fc.constantFrom('Cocina', '  Baño  ', '', null, 'x'.repeat(101), 'x'.repeat(100)),
          weirdString,
          anyJson
        )
      },
      ['name']
    )
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'PATCH', 'PATCH', 'DELETE', 'POST', 'PUT'),
        idSegment,
        fc.constantFrom('', '', '/', '/reboot', '/reboot', '/ota/retry', '/../reboot', '%2freboot'),
        queryString(['device_id', 'name']),
        encodedBody(fc.oneof({ weight: 3, arbitrary: rename }, { weight: 1, arbitrary: anyJson })),
        session,
        origin(),
        noise,
        fc.nat(9),
        async (method, id, suffix, query, body, how, o, extra, dice) => {
          const path = `/api/admin/devices/${id}${suffix}${query}`
          // Keep the seeded devices around long enough to be renamed and rebooted.
          if (method === 'DELETE' && dice < 8) return
          const withBody = method === 'PATCH' || method === 'PUT' ? body : undefined
          await admin(method, path, how, [...o, ...extra], withBody)
        }
      ),
      runs(200)
    )
  })

  it('GET /api/admin/events with any query', async () => {
    const cursor = fc.oneof(
      fc.constant(firstCursor),
      fc
        .tuple(anyJson, anyJson)
        .map((pair) => Buffer.from(JSON.stringify(pair)).toString('base64url')),
      fc
        .tuple(fc.string({ maxLength: 30 }), fc.oneof(fc.integer(), hugeNumber))
        .map((pair) => Buffer.from(JSON.stringify(pair)).toString('base64url')),
      fc.base64String({ maxLength: 80 }).map(encodeURIComponent),
      fc.constant(`${firstCursor}x`),
      fc.constant('x'.repeat(201))
    )
    await fc.assert(
      fc.asyncProperty(
        queryString(
          ['device_id', 'type', 'since', 'until', 'limit', 'cursor'],
          fc.oneof(queryValue, cursor)
        ),
        session,
        noise,
        async (query, how, extra) => {
          const res = await admin('GET', `/api/admin/events${query}`, how, extra)
          if (res.status === 200) {
            const page = jsonOf(res)
            expect(page.ok).toBe(true)
            expect(Array.isArray(page.events)).toBe(true)
          }
        }
      ),
      runs(180)
    )
  })

  it('PATCH /api/admin/settings', async () => {
    const settings = jsonObject({
      offline_after_s: fc.oneof(fc.integer({ min: 0, max: 100_000 }), hugeNumber, anyJson),
      port: fc.oneof(fc.integer({ min: -1, max: 70_000 }), hugeNumber, anyJson),
      host: fc.oneof(
        fc.constantFrom('0.0.0.0', '127.0.0.1', '::', '', 'x'.repeat(256)),
        weirdString
      ),
      time_zone: fc.oneof(
        fc.constantFrom(
          'UTC',
          'utc',
          'Europe/Madrid',
          'europe/madrid',
          'America/Argentina/ComodRivadavia',
          'Etc/GMT+14',
          'Etc/GMT-14',
          'EST5EDT',
          '+05:00',
          '-00:00',
          'Asia/Kolkata',
          'Mars/Olympus',
          '',
          '../../etc/localtime'
        ),
        weirdString
      ),
      language: fc.oneof(fc.constantFrom('es', 'en', 'EN', 'fr', ''), anyJson),
      missed_dose_after_s: fc.oneof(fc.integer({ min: 0, max: 100_000 }), hugeNumber, anyJson),
      quiet_hours: fc.oneof(
        fc.constant(null),
        fc.record({
          start: fc.constantFrom('22:00', '24:00', '7:00', '23:59', '', '00:00'),
          end: fc.constantFrom('07:00', '22:00', '99:99', '00:00')
        }),
        anyJson
      ),
      mdns_enabled: fc.oneof(fc.boolean(), anyJson)
    })
    await fc.assert(
      fc.asyncProperty(
        encodedBody(
          fc.oneof({ weight: 4, arbitrary: settings }, { weight: 1, arbitrary: anyJson })
        ),
        session,
        origin(),
        noise,
        async (body, how, o, extra) => {
          const res = await admin('PATCH', '/api/admin/settings', how, [...o, ...extra], body)
          if (res.status === 200) expect(jsonOf(res).ok).toBe(true)
        }
      ),
      runs(160)
    )
    // Whatever was stored, the settings still read back and the core still answers.
    const view = await fetch(`${t.url}/api/admin/settings`, { headers: { cookie } })
    expect(view.status).toBe(200)
  })

  it('POST /api/admin/login', async () => {
    const login = jsonObject(
      {
        password: fc.oneof(
          { weight: 1, arbitrary: fc.constant(TEST_ADMIN_PASSWORD) },
          { weight: 4, arbitrary: weirdString },
          { weight: 1, arbitrary: anyJson }
        )
      },
      ['password']
    )
    await fc.assert(
      fc.asyncProperty(
        encodedBody(fc.oneof({ weight: 4, arbitrary: login }, { weight: 1, arbitrary: anyJson })),
        origin(),
        noise,
        async (body, o, extra) => {
          const res = await admin('POST', '/api/admin/login', 'none', [...o, ...extra], body)
          // Wrong passwords are rate limited: after a few, even the right one waits (429).
          if (res.status === 200) expect(res.headers['set-cookie']).toMatch(/^pastillero_session=/)
        }
      ),
      runs(80)
    )
  })

  it('GET /api/admin/alerts and POST /api/admin/alerts/:id/ack', async () => {
    const alertId = fc.oneof(
      fc.integer({ min: 0, max: 20 }).map(String),
      fc.constantFrom('999999999999999', '9999999999999999', '-1', '1.0', '0x1', '1e2', '01'),
      pathSegment
    )
    await fc.assert(
      fc.asyncProperty(
        fc.boolean(),
        alertId,
        queryString(['device_id', 'open', 'limit', 'before_id']),
        session,
        origin(),
        async (list, id, query, how, o) => {
          if (list) await admin('GET', `/api/admin/alerts${query}`, how, o)
          else await admin('POST', `/api/admin/alerts/${id}/ack${query}`, how, o)
        }
      ),
      runs(150)
    )
  })

  it('PATCH /api/admin/telegram', async () => {
    const token = fc.oneof(
      fc.constant(null),
      fc.constant(tg.token),
      fc
        .tuple(fc.integer({ min: 100, max: 1e10 }), fc.stringMatching(/^[A-Za-z0-9_-]{20,40}$/))
        .map(([a, b]) => `${a}:${b}`),
      fc.constantFrom('', ' ', '123:abc', `  ${tg.token}  `, `${tg.token}\n`, 'x'.repeat(5000)),
      weirdString,
      anyJson
    )
    await fc.assert(
      fc.asyncProperty(
        encodedBody(
          fc.oneof(
            { weight: 4, arbitrary: jsonObject({ bot_token: token }, ['bot_token']) },
            { weight: 1, arbitrary: anyJson }
          )
        ),
        session,
        origin(),
        async (body, how, o) => {
          await admin('PATCH', '/api/admin/telegram', how, o, body)
        }
      ),
      runs(60)
    )
  })

  it('POST, PATCH, DELETE /api/admin/accounts and a sign-in by name, under any Host', async () => {
    const name = fc.oneof(
      fc.constantFrom('Marta', 'marta', 'admin', 'Luis Pérez', "O'Neil", ' ', '', 'x'.repeat(41)),
      weirdString
    )
    const password = fc.oneof(
      fc.constantFrom('long-enough-1', 'short', '', 'x'.repeat(300)),
      weirdString
    )
    const role = fc.oneof(fc.constantFrom('admin', 'family', 'root', ''), anyJson)
    const host = fc.oneof(
      { weight: 6, arbitrary: fc.constant(new URL(t.url).host) },
      {
        weight: 1,
        arbitrary: fc.constantFrom(
          'attacker.example',
          'localhost',
          '[::1]',
          '',
          '127.0.0.1:1:2',
          '[zz]',
          'a'.repeat(300),
          'xn--caf-dma.example.'
        )
      }
    )
    const accountId = fc.oneof(
      fc.integer({ min: 0, max: 8 }).map(String),
      fc.constantFrom('999999999999999', '9999999999999999', '-1', '1.0', '0x1'),
      pathSegment
    )
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('create', 'patch', 'delete', 'list', 'login'),
        accountId,
        encodedBody(
          fc.oneof(
            { weight: 4, arbitrary: jsonObject({ name, password, role }, ['name', 'password']) },
            { weight: 1, arbitrary: anyJson }
          )
        ),
        session,
        origin(),
        host,
        async (op, id, body, how, o, h) => {
          const hostHeader: Array<[string, string]> = [['Host', h]]
          const withHost = [...o, ...hostHeader]
          if (op === 'create') await admin('POST', '/api/admin/accounts', how, withHost, body)
          else if (op === 'patch')
            await admin('PATCH', `/api/admin/accounts/${id}`, how, withHost, body)
          else if (op === 'delete')
            await admin('DELETE', `/api/admin/accounts/${id}`, how, withHost)
          else if (op === 'list') await admin('GET', '/api/admin/accounts', how, withHost)
          else await admin('POST', '/api/admin/login', 'none', withHost, body)
        }
      ),
      runs(150)
    )
    // The fuzzing never locked out or removed the first admin.
    const still = await fetch(`${t.url}/api/admin/accounts`, { headers: { cookie } })
    expect(still.status).toBe(200)
  })

  it('the server is still up, and the database holds only what was acknowledged', async () => {
    const health = await fetch(`${t.url}/api/health`)
    expect(health.status).toBe(200)
    const signedIn = await fetch(`${t.url}/api/admin/devices`, { headers: { cookie } })
    expect(signedIn.status).toBe(200)
    expectDbMatchesLedger(t.dataDir, ledger)
  })
})
