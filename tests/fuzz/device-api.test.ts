import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EVENT_TYPES } from '../../src/shared/api-schemas'
import { startTestCore, type TestCore } from '../helpers/test-core'
import {
  anyJson,
  encodedBody,
  expectDbMatchesLedger,
  hugeNumber,
  jsonObject,
  jsonOf,
  Ledger,
  loggedDeviceId,
  noiseHeaders,
  openReadonly,
  plainBody,
  pathSegment,
  queryString,
  runs,
  send,
  validId,
  weirdString,
  type Body
} from './harness'

/**
 * Property-based fuzzing of the dispensers' API over real HTTP: whatever arrives, the answer is
 * never a 5xx, every error is the one JSON envelope, the server stays up, and the database keeps
 * only what was acknowledged with a 2xx.
 */
describe('fuzz: device API', () => {
  let t: TestCore
  const ledger = new Ledger()

  beforeAll(async () => {
    t = await startTestCore()
  })
  afterAll(async () => {
    console.log(`fuzz/device-api: ${ledger.summary()}`)
    await t?.dispose()
  })

  // A small pool so requests often hit devices that already exist.
  const deviceId = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom('AA:BB:CC:DD:EE:01', 'cocina', 'fuzz-2') },
    { weight: 4, arbitrary: validId },
    { weight: 1, arbitrary: weirdString },
    { weight: 1, arbitrary: anyJson }
  )
  const text = fc.oneof(
    fc.constantFrom('1.0.0', 'online', 'Pastillero Cocina', '', null),
    weirdString,
    anyJson
  )
  const heartbeat = jsonObject(
    {
      device_id: deviceId,
      firmware_version: text,
      ip_address: fc.oneof(
        fc.ipV4(),
        fc.ipV6(),
        fc.constantFrom('', null, '999.1.1.1', '::ffff:1.2.3.4', 'fe80::1%eth0', '1.2.3.4/24'),
        anyJson
      ),
      status: text,
      name: text
    },
    ['device_id']
  )
  const isoVariants = fc.tuple(fc.date({ noInvalidDate: true }), fc.nat(8)).map(([d, how]) => {
    const iso = d.toISOString()
    return [
      iso,
      iso.slice(0, -1),
      iso.slice(0, -1) + '+05:30',
      iso.slice(0, -1) + '-0800',
      iso.replace('T', ' '),
      iso.toLowerCase(),
      iso.slice(0, 16),
      iso.slice(0, 10),
      iso.replace('.', ',')
    ][how]!
  })
  const event = jsonObject(
    {
      device_id: deviceId,
      type: fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom(...EVENT_TYPES) },
        { weight: 1, arbitrary: weirdString },
        { weight: 1, arbitrary: anyJson }
      ),
      payload: fc.oneof(
        fc.dictionary(fc.string({ unit: 'binary', maxLength: 10 }), fc.jsonValue({ maxDepth: 2 })),
        anyJson,
        fc.constant(null)
      ),
      timestamp: fc.oneof(
        fc.nat().map((s) => s + 1_700_000_000),
        fc.integer({ min: 0, max: 4_000_000_000_000 }),
        fc.double(),
        hugeNumber,
        isoVariants,
        weirdString,
        fc.constant(null)
      ),
      event_id: fc.oneof(
        { weight: 4, arbitrary: validId },
        { weight: 1, arbitrary: weirdString },
        { weight: 1, arbitrary: anyJson }
      )
    },
    ['device_id', 'type']
  )

  // Every field valid but otherwise random: unicode keys, huge and tiny numbers, deep values.
  const validEvent = fc.record(
    {
      device_id: fc.oneof(fc.constantFrom('AA:BB:CC:DD:EE:01', 'cocina'), validId),
      type: fc.constantFrom(...EVENT_TYPES),
      payload: fc.oneof(
        fc.dictionary(
          fc.string({ unit: 'binary', maxLength: 12 }),
          fc.oneof(fc.jsonValue({ maxDepth: 3 }), hugeNumber, weirdString)
        ),
        fc.constantFrom(
          JSON.parse('{"__proto__": {"polluted": true}, "a": 1}'),
          { constructor: { prototype: 1 }, toString: 'x', hasOwnProperty: null },
          { '': '', ' ': ' ', '\u0000': '\u0000' },
          { nested: [[[[[[[[[[{ deep: true }]]]]]]]]]] }
        ),
        fc.constant(null)
      ),
      timestamp: fc.oneof(
        fc.integer({ min: 0, max: 8_640_000_000_000 }),
        fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
        fc.constant(null)
      ),
      event_id: fc.oneof(validId, fc.constant(null))
    },
    { requiredKeys: ['device_id', 'type'] }
  )

  const auth = fc.oneof(
    { weight: 8, arbitrary: fc.constant('right') },
    { weight: 1, arbitrary: fc.constantFrom('missing', 'wrong', 'padded') }
  )
  const keyHeaders = (how: string): Array<[string, string]> =>
    how === 'missing'
      ? []
      : [
          [
            'X-API-Key',
            how === 'wrong'
              ? `${t.deviceKey}x`
              : how === 'padded'
                ? ` ${t.deviceKey} `
                : t.deviceKey
          ]
        ]
  const noise = noiseHeaders({
    Accept: fc.constantFrom('application/json', '*/*', 'text/html'),
    'Accept-Encoding': fc.constantFrom('gzip', 'br', 'identity;q=0'),
    'X-Forwarded-For': fc.ipV4(),
    Expect: fc.constantFrom('100-continue', 'nonsense'),
    'X-API-Key': fc.constantFrom('a', '')
  })

  /** Posts a body and books what a 2xx means for the database. */
  async function post(path: string, how: string, body: Body, extra: Array<[string, string]>) {
    const req = {
      method: 'POST',
      path,
      headers: [...keyHeaders(how), ...body.headers, ...extra],
      body: body.bytes,
      contentLength: body.contentLength
    }
    const res = await send(t.url, ledger, req, body.framing)
    const id = loggedDeviceId(body)
    if (body.framing !== 'ok' && id) ledger.maybeDevices.add(id)
    if (res.status >= 200 && res.status < 300) {
      if (!id && body.framing === 'ok')
        throw new Error(`accepted a body the test cannot read a device_id from: ${body.bytes}`)
      if (id && body.framing === 'ok') ledger.devices.add(id)
      const json = jsonOf(res)
      expect(json?.ok).toBe(true)
      if (path.startsWith('/api/events')) ledger.eventRowIds.add(json.id)
    }
    return res
  }

  it('POST /api/devices/heartbeat', async () => {
    await fc.assert(
      fc.asyncProperty(
        encodedBody(
          fc.oneof({ weight: 3, arbitrary: heartbeat }, { weight: 1, arbitrary: anyJson })
        ),
        fc.constantFrom(
          '/api/devices/heartbeat',
          '/api/devices/heartbeat/',
          '/api/devices/heartbeat?x=1&x=2'
        ),
        auth,
        noise,
        async (body, path, how, extra) => {
          await post(path, how, body, extra)
        }
      ),
      runs(200)
    )
  })

  it('POST /api/events/', async () => {
    await fc.assert(
      fc.asyncProperty(
        encodedBody(fc.oneof({ weight: 4, arbitrary: event }, { weight: 1, arbitrary: anyJson })),
        fc.constantFrom('/api/events/', '/api/events', '/api/events/?device_id[]=x'),
        auth,
        noise,
        async (body, path, how, extra) => {
          await post(path, how, body, extra)
        }
      ),
      runs(220)
    )
  })

  it('POST /api/events/ well-formed: what is acknowledged is stored as sent', async () => {
    const db = openReadonly(t.dataDir)
    try {
      await fc.assert(
        fc.asyncProperty(
          plainBody(
            fc.oneof({ weight: 3, arbitrary: validEvent }, { weight: 1, arbitrary: event })
          ),
          async (body) => {
            const res = await post('/api/events/', 'right', body, [])
            if (res.status !== 200) return
            const sent = body.logical as Record<string, any>
            const row = db
              .prepare('SELECT device_id, type, payload, event_id FROM events WHERE id = ?')
              .get(jsonOf(res).id) as Record<string, string | null>
            expect(row.device_id).toBe(sent.device_id)
            if (jsonOf(res).duplicate) return // the first copy's payload stands
            expect(row.type).toBe(sent.type)
            expect(row.event_id).toBe(sent.event_id ?? null)
            // zod drops a top-level "__proto__" key on purpose (it would replace the prototype).
            const { ['__proto__']: _dropped, ...kept } = sent.payload ?? {}
            const payload = sent.payload == null ? null : JSON.stringify(kept)
            expect(row.payload).toBe(payload)
          }
        ),
        runs(200)
      )
    } finally {
      db.close()
    }
  })

  it('other methods and paths under the device API', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'HEAD', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'POST'),
        fc.constantFrom(
          '/api/devices/',
          '/api/events/',
          '/api/',
          '/api/health/',
          '/api/devices/heartbeat/'
        ),
        pathSegment,
        queryString(['device_id', 'limit', 'since']),
        auth,
        async (method, prefix, segment, query, how) => {
          const res = await send(t.url, ledger, {
            method,
            path: `${prefix}${segment}${query}`,
            headers: keyHeaders(how)
          })
          // Nothing here is a route that stores anything.
          if (res.status < 400 && method !== 'OPTIONS') expect(res.status).toBe(200)
        }
      ),
      runs(150)
    )
  })

  it('GET /api/health with anything attached', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'HEAD', 'POST', 'OPTIONS'),
        queryString(['device_id', 'x']),
        noise,
        async (method, query, extra) => {
          const res = await send(t.url, ledger, {
            method,
            path: `/api/health${query}`,
            headers: extra
          })
          if (extra.some(([k]) => k === 'Expect')) expect([200, 404, 417]).toContain(res.status)
          // Raw non-ASCII in the request line is not HTTP: Node refuses it (400) before routing.
          else if (method === 'GET' && /^[!-~]*$/.test(query)) expect(res.status).toBe(200)
        }
      ),
      runs(50)
    )
  })

  it('the server is still up, and the database holds only what was acknowledged', async () => {
    const health = await fetch(`${t.url}/api/health`)
    expect(health.status).toBe(200)
    const counts = expectDbMatchesLedger(t.dataDir, ledger)
    console.log(
      `fuzz/device-api: ${counts.devices} devices and ${counts.events} events stored, all acknowledged`
    )
    expect(counts.events).toBeGreaterThan(0) // the fuzzer did reach the database
  })
})
