import Database from 'better-sqlite3'
import fc from 'fast-check'
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib'
import { expect } from 'vitest'
import { describeRequest, rawRequest, type RawRequest, type RawResponse } from './raw-http'

/** One seed for every fuzz file, printed by fast-check on failure; override to explore. */
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 424242)
/** Scales every property's run count (FUZZ_RUNS=10 for a long local run). */
const RUN_SCALE = Number(process.env.FUZZ_RUNS ?? 1)
export const runs = (n: number) => ({
  seed: FUZZ_SEED,
  numRuns: Math.max(1, Math.round(n * RUN_SCALE)),
  interruptAfterTimeLimit: 40_000
})

// ---------------------------------------------------------------------------------------------
// Generators

const pct = (bytes: Uint8Array | Buffer) =>
  [...bytes].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('')

/** Percent-encodes UTF-8 (lone surrogates included, which encodeURIComponent throws on). */
export const pctUtf8 = (text: string) =>
  [...Buffer.from(text, 'utf8')]
    .map((b) =>
      /[A-Za-z0-9_.~-]/.test(String.fromCharCode(b))
        ? String.fromCharCode(b)
        : pct(Uint8Array.of(b))
    )
    .join('')

export const validId = fc.stringMatching(/^[A-Za-z0-9:._-]{1,64}$/)

/** Awkward things to put where a path expects an id or a version. */
export const PATH_TRICKS = [
  '..',
  '.',
  '..%2f..%2fetc%2fpasswd',
  '..%2F..%2F..%2Fpastillero.db',
  '%2e%2e%2f%2e%2e',
  '..%5c..%5cwindows',
  '%00',
  'a%00b',
  '1.0.0%00.bin',
  '%C0%AF', // overlong "/"
  '%C0%AE%C0%AE%C0%AF', // overlong "../"
  '%E0%80%AF',
  '%E0%A4%A', // truncated escape
  '%E0%A4',
  '%',
  '%%',
  '%zz',
  '%FF%FE',
  '%ED%A0%80', // a UTF-16 surrogate in UTF-8
  '%F4%90%80%80', // past U+10FFFF
  '%EF%BB%BF1.0.0', // BOM
  'a;b',
  '%3B',
  '~',
  '%20',
  '+',
  'NUL',
  'con.bin',
  '1.0.0',
  'v1.2.3-beta.1+build.5',
  '1.0.0-' + 'x'.repeat(60),
  '0',
  '-1',
  '1e3',
  '0x10',
  '99999999999999999999',
  '9007199254740993',
  'null',
  'undefined',
  '__proto__',
  'constructor',
  '%7B%7D',
  '$(reboot)',
  "'--",
  'Ñandú',
  '%F0%9F%92%8A' // 💊
]

/** A path segment: mostly plausible, often hostile. Already percent-encoded as sent. */
export const pathSegment = fc.oneof(
  { weight: 4, arbitrary: validId },
  { weight: 4, arbitrary: fc.constantFrom(...PATH_TRICKS) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }).map(pctUtf8) },
  { weight: 2, arbitrary: fc.uint8Array({ maxLength: 24 }).map((b) => pct(b)) },
  {
    weight: 1,
    arbitrary: fc.stringMatching(/^[!$&'()*+,;=:@A-Za-z0-9._~-]{1,40}$/) // raw pchar, no escaping
  },
  { weight: 1, arbitrary: fc.integer({ min: 65, max: 12_000 }).map((n) => 'a'.repeat(n)) },
  { weight: 1, arbitrary: fc.constantFrom('%FF', '\u00e9', '\u00ff\u00fe') } // raw non-ASCII bytes
)

const QUERY_TRICK_KEYS = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', '', '%', 'a[b]']

/** A query string built from the route's own keys (repeated, bracketed) and junk. */
export function queryString(keys: string[], value: fc.Arbitrary<string> = queryValue) {
  const key = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...keys) },
    { weight: 2, arbitrary: fc.constantFrom(...keys).map((k) => `${k}[]`) },
    { weight: 1, arbitrary: fc.constantFrom(...keys).map((k) => `${k}[0]`) },
    { weight: 1, arbitrary: fc.constantFrom(...keys).map((k) => `${k}[a][b]`) },
    { weight: 1, arbitrary: fc.constantFrom(...QUERY_TRICK_KEYS) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 10 }).map(pctUtf8) }
  )
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant('') },
    {
      weight: 1,
      arbitrary: fc.constantFrom('?', '?&&', '?=', '?&=&', '?%', '?%E0%A4%A=1', '?a=%')
    },
    {
      weight: 8,
      arbitrary: fc
        .array(fc.tuple(key, value, fc.boolean()), { minLength: 1, maxLength: 5 })
        .map((pairs) => '?' + pairs.map(([k, v, bare]) => (bare && !v ? k : `${k}=${v}`)).join('&'))
    }
  )
}

export const queryValue = fc.oneof(
  { weight: 3, arbitrary: validId },
  { weight: 2, arbitrary: fc.constantFrom(...PATH_TRICKS) },
  { weight: 2, arbitrary: fc.integer().map(String) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('0', '1', '1000', '1001', '-1', '1e3', '1.5', '%201', '00001', '')
  },
  { weight: 1, arbitrary: fc.constantFrom('true', 'false', 'TRUE', 'yes') },
  {
    weight: 1,
    arbitrary: fc
      .date({ noInvalidDate: true, min: new Date(-8.64e15), max: new Date(8.64e15) })
      .map((d) => encodeURIComponent(d.toISOString()))
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '2024-02-30T00:00:00Z',
      '2024-01-01T00:00:00%2B14:00',
      '2024-01-01T00:00:00.123456789Z',
      '0000-01-01T00:00:00Z',
      '9999-12-31T23:59:59Z',
      '%2B275760-09-13T00:00:00Z',
      '2024-01-01'
    )
  },
  { weight: 1, arbitrary: fc.base64String({ maxLength: 60 }).map(encodeURIComponent) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }).map(pctUtf8) },
  { weight: 1, arbitrary: fc.integer({ min: 200, max: 6000 }).map((n) => 'z'.repeat(n)) }
)

/** Numbers JSON can carry that JavaScript and SQLite handle differently. */
export const HUGE_NUMBER_TEXTS = [
  '1e400',
  '-1e400',
  '1e308',
  '-0',
  '5e-324',
  '1e-400',
  '123456789012345678901234567890',
  '9007199254740993',
  '18446744073709551616',
  '8640000000000000',
  '8640000000000001',
  '100000000000',
  '99999999999.999',
  '0.1e1',
  '1E2'
]
export const hugeNumber = fc.constantFrom(...HUGE_NUMBER_TEXTS).map(Number)

export const weirdString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    '\ud800',
    '\ufeff',
    'null',
    '<script>alert(1)</script>',
    "Robert'); DROP TABLE events;--",
    '../../../../etc/passwd',
    'Pastillero Cocina 💊',
    'x'.repeat(5000)
  )
)

/** Any JSON value, biased toward awkward ones. */
export const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: hugeNumber },
  { weight: 1, arbitrary: weirdString },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      null,
      true,
      [],
      {},
      [[[[[[[[[[[]]]]]]]]]]],
      { __proto__: { polluted: true } },
      JSON.parse('{"__proto__": {"polluted": true}}'),
      { constructor: { prototype: { polluted: true } } }
    )
  }
)

/**
 * A JSON object built from the route's fields (valid or not) plus stray keys. Usually carries
 * the `required` fields, so many requests get past the first check.
 */
export function jsonObject(fields: Record<string, fc.Arbitrary<unknown>>, required: string[] = []) {
  return fc
    .tuple(
      fc.oneof(
        { weight: 3, arbitrary: fc.record(fields, { requiredKeys: required }) },
        { weight: 1, arbitrary: fc.record(fields, { requiredKeys: [] }) }
      ),
      fc.dictionary(fc.string({ maxLength: 12 }), anyJson, { maxKeys: 2 }),
      fc.nat(3)
    )
    .map(([known, extra, n]) => (n === 0 ? { ...extra, ...known } : known))
}

export interface Body {
  bytes: Buffer
  headers: Array<[string, string]>
  contentLength: RawRequest['contentLength']
  /** What the server would see if it accepts the body (for the ledger), when known. */
  logical?: unknown
  /** The framing is broken on purpose: the server may see a different request, or none. */
  framing: 'ok' | 'short' | 'long' | 'junk'
}

const HUGE = '@@huge-number@@'

/**
 * Serialises a JSON value; with `hugeText`, one top-level field becomes a number that
 * JSON.stringify cannot write (1e400, 30 digits…). Returns the text and what JSON.parse reads.
 */
function jsonText(value: unknown, hugeText: string | undefined, pick: number) {
  if (hugeText && value && typeof value === 'object' && !Array.isArray(value)) {
    const keys = Object.keys(value)
    if (keys.length) {
      const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) }
      copy[keys[pick % keys.length]!] = HUGE
      const text = JSON.stringify(copy).replace(JSON.stringify(HUGE), hugeText)
      return { text, logical: JSON.parse(text) as unknown }
    }
  }
  const text = JSON.stringify(value) ?? 'null'
  return { text, logical: JSON.parse(text) as unknown }
}

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=UTF-8',
  'application/json;charset="utf-8"',
  'application/json; charset=utf-16le',
  'application/json; charset=latin1',
  'application/json; charset=koi8-r',
  'application/json; charset=bogus',
  'application/vnd.api+json',
  'text/plain',
  'text/json',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  '*/*',
  ';;;=',
  'application/json; ' + 'a=b; '.repeat(200)
]
const ENCODINGS = [
  'gzip',
  'deflate',
  'br',
  'identity',
  'GZIP',
  'gzip, gzip',
  'gzip, identity',
  'compress',
  'x-bogus',
  'zstd'
]

/** A JSON value sent the plain way (application/json, exact length), for reaching handlers. */
export function plainBody(value: fc.Arbitrary<unknown>): fc.Arbitrary<Body> {
  return value.map((v) => {
    const text = JSON.stringify(v) ?? 'null'
    return {
      bytes: Buffer.from(text, 'utf8'),
      headers: [['Content-Type', 'application/json']] as Array<[string, string]>,
      contentLength: 'exact',
      logical: JSON.parse(text) as unknown,
      framing: 'ok' as const
    }
  })
}

/**
 * Turns a JSON value (or raw text or bytes) into what goes on the wire: content type, charset,
 * content encoding (real or claimed), BOMs, and Content-Length games.
 */
export function encodedBody(value: fc.Arbitrary<unknown>): fc.Arbitrary<Body> {
  const source = fc.oneof(
    {
      weight: 6,
      arbitrary: fc
        .tuple(
          value,
          fc.oneof(
            { weight: 5, arbitrary: fc.constant(undefined) },
            { weight: 1, arbitrary: fc.constantFrom(...HUGE_NUMBER_TEXTS) }
          ),
          fc.nat()
        )
        .map(([v, huge, pick]) => jsonText(v, huge ?? undefined, pick))
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(
          '',
          ' ',
          'null',
          '"text"',
          '[]',
          '{',
          '{"device_id": ',
          '{device_id: 1}',
          "{'device_id': 'x'}",
          '{"device_id":"a","device_id":"b"}',
          '{"a":1}{"b":2}',
          '\ufeff{"device_id":"bom"}',
          '['.repeat(5000),
          '{"a":'.repeat(3000)
        )
        .map((text) => ({ text, logical: undefined as unknown }))
    },
    {
      weight: 1,
      arbitrary: fc
        .uint8Array({ maxLength: 300 })
        .map((b) => ({ text: Buffer.from(b).toString('latin1'), raw: Buffer.from(b) }))
    }
  )
  return fc
    .record({
      source,
      // Half the bodies go out as a well-behaved client sends them, so many reach the handlers.
      mangle: fc.boolean(),
      plainType: fc.boolean(),
      contentType: fc.option(fc.constantFrom(...CONTENT_TYPES), { freq: 3, nil: undefined }),
      encoding: fc.option(fc.constantFrom(...ENCODINGS), { freq: 2, nil: undefined }),
      realEncode: fc.boolean(),
      framing: fc.constantFrom(
        ...(['ok', 'ok', 'chunked', 'short', 'long', 'none', 'bad'] as const)
      ),
      cut: fc.nat(),
      badLength: fc.constantFrom('-1', 'abc', '1, 2', '0x10', '99999999999999999999', ' 5', '')
    })
    .map((g): Body => {
      const s = g.source as { text: string; raw?: Buffer; logical?: unknown }
      let bytes = s.raw ?? Buffer.from(s.text, 'utf8')
      const headers: Array<[string, string]> = []
      const body: Body = {
        bytes,
        headers,
        contentLength: 'exact',
        logical: s.logical,
        framing: 'ok'
      }
      if (!g.mangle) {
        if (g.plainType) headers.push(['Content-Type', 'application/json'])
        return body
      }
      if (g.contentType?.includes('utf-16le') && !s.raw) bytes = Buffer.from(s.text, 'utf16le')
      if (g.contentType !== undefined) headers.push(['Content-Type', g.contentType])
      if (g.encoding !== undefined) {
        headers.push(['Content-Encoding', g.encoding])
        if (g.realEncode) {
          const e = g.encoding.toLowerCase()
          if (e === 'gzip') bytes = gzipSync(bytes)
          else if (e === 'deflate') bytes = deflateSync(bytes)
          else if (e === 'br') bytes = brotliCompressSync(bytes)
          else if (e === 'gzip, gzip') bytes = gzipSync(gzipSync(bytes))
          else if (e === 'gzip, identity') bytes = gzipSync(bytes)
        }
      }
      body.bytes = bytes
      if (g.framing === 'chunked') body.contentLength = 'chunked'
      else if (g.framing === 'short' && bytes.length > 1) {
        body.contentLength = String(g.cut % bytes.length)
        body.framing = 'short'
      } else if (g.framing === 'long') {
        body.contentLength = String(bytes.length + 1 + (g.cut % 1000))
        body.framing = 'long'
      } else if (g.framing === 'none' && bytes.length > 0) {
        body.contentLength = 'none'
        body.framing = 'junk'
      } else if (g.framing === 'bad') {
        body.contentLength = g.badLength
        body.framing = 'junk'
      }
      return body
    })
}

/** Extra headers a client might send, right or wrong. */
export function noiseHeaders(names: Record<string, fc.Arbitrary<string>>) {
  const headerValue = fc.oneof(
    fc.stringMatching(/^[ -~]{0,80}$/),
    fc.constantFrom('', ' ', '\t', 'null', 'x'.repeat(4000), '\u00e9\u00ff')
  )
  const entries = Object.entries(names).map(([name, value]) =>
    fc.tuple(
      fc.constant(name),
      fc.oneof({ weight: 3, arbitrary: value }, { weight: 1, arbitrary: headerValue })
    )
  )
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant([] as Array<[string, string]>) },
    { weight: 1, arbitrary: fc.array(fc.oneof(...entries), { minLength: 1, maxLength: 3 }) }
  )
}

// ---------------------------------------------------------------------------------------------
// Properties of every response

const ENVELOPE_CODE = /^[a-z0-9]+(-[a-z0-9]+)*$/

export function expectWellFormed(
  req: RawRequest,
  res: RawResponse,
  opts: { allowNoResponse?: boolean } = {}
) {
  const what = () =>
    `\n--- request ---\n${describeRequest(req)}\n--- response ---\n${res.status} ${JSON.stringify(res.headers)}\n${res.body.toString('utf8').slice(0, 500)}`
  if (res.noResponse) {
    if (opts.allowNoResponse) return
    throw new Error(`no response (${res.noResponse})${what()}`)
  }
  if (res.status >= 500) throw new Error(`server error ${res.status}${what()}`)
  if (res.status < 400) return
  const type = res.headers['content-type'] ?? ''
  if (!type.startsWith('application/json')) throw new Error(`error is not JSON${what()}`)
  if (req.method === 'HEAD') return
  let body: any
  try {
    body = JSON.parse(res.body.toString('utf8'))
  } catch {
    throw new Error(`error body does not parse${what()}`)
  }
  const e = body?.error
  const ok =
    body?.ok === false &&
    typeof e?.code === 'string' &&
    ENVELOPE_CODE.test(e.code) &&
    typeof e.message === 'string' &&
    e.message.length > 0 &&
    (e.field === undefined || typeof e.field === 'string') &&
    Object.keys(body).length === 2
  if (!ok) throw new Error(`error is not the envelope${what()}`)
}

export function jsonOf(res: RawResponse): any {
  try {
    return JSON.parse(res.body.toString('utf8'))
  } catch {
    return undefined
  }
}

// ---------------------------------------------------------------------------------------------
// Sending, and remembering what was accepted

/** What the server acknowledged, to compare with what the database kept. */
export class Ledger {
  /** Device ids some 2xx request carried. */
  readonly devices = new Set<string>()
  /** Ids that a request with broken framing carried: the server may or may not have seen them. */
  readonly maybeDevices = new Set<string>()
  readonly eventRowIds = new Set<number>()
  readonly firmwareIds = new Set<number>()
  /** Strings that appeared anywhere in an accepted OTA request (device ids among them). */
  readonly otaMentions = new Set<string>()
  requests = 0
  statuses = new Map<number, number>()

  readonly codes = new Map<string, number>()
  count(res: RawResponse) {
    this.requests++
    this.statuses.set(res.status, (this.statuses.get(res.status) ?? 0) + 1)
    const code = res.status >= 400 ? (jsonOf(res)?.error?.code ?? '?') : String(res.status)
    this.codes.set(code, (this.codes.get(code) ?? 0) + 1)
  }
  summary(): string {
    const byClass = new Map<string, number>()
    for (const [s, n] of this.statuses) {
      const k = s === 0 ? 'none' : `${String(s)[0]}xx`
      byClass.set(k, (byClass.get(k) ?? 0) + n)
    }
    const classes = [...byClass].map(([k, n]) => `${k}: ${n}`).join(', ')
    const codes = [...this.codes].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`)
    return `${this.requests} requests (${classes}; ${codes.join(', ')})`
  }
}

/** Sends a request, checks the response's form, and counts it. */
export async function send(
  base: string,
  ledger: Ledger,
  req: RawRequest,
  framing: Body['framing'] = 'ok'
): Promise<RawResponse> {
  const res = await rawRequest(base, req, framing === 'long' ? 150 : 10_000)
  ledger.count(res)
  // A body promised but never sent leaves the server waiting: no response is the right outcome.
  // Bytes past the declared body are a second, broken request on the same connection; once
  // anything was written there (100 Continue) the server can only drop the connection.
  expectWellFormed(req, res, { allowNoResponse: framing !== 'ok' })
  return res
}

/** The device id a body carried, as the server would have read it. */
export function loggedDeviceId(body: Body): string | undefined {
  let value = body.logical
  if (value === undefined) {
    try {
      // body-parser skips a UTF-8 byte order mark, as many Windows tools write one.
      value = JSON.parse(body.bytes.toString('utf8').replace(/^\ufeff/, ''))
    } catch {
      return undefined
    }
  }
  const id = (value as { device_id?: unknown } | null)?.device_id
  return typeof id === 'string' ? id : undefined
}

// ---------------------------------------------------------------------------------------------
// After the run: the database holds only what was acknowledged

export function openReadonly(dataDir: string) {
  return new Database(join(dataDir, 'pastillero.db'), { readonly: true, fileMustExist: true })
}

export function expectDbMatchesLedger(dataDir: string, ledger: Ledger) {
  const db = openReadonly(dataDir)
  try {
    const ok = (db.pragma('integrity_check') as Array<{ integrity_check: string }>)[0]
    expect(ok?.integrity_check).toBe('ok')
    const devices = db.prepare('SELECT device_id FROM devices').all() as Array<{
      device_id: string
    }>
    const strayDevices = devices
      .map((d) => d.device_id)
      .filter((id) => !ledger.devices.has(id) && !ledger.maybeDevices.has(id))
    expect(strayDevices, 'device rows no 2xx request created').toEqual([])

    const events = db.prepare('SELECT id, device_id FROM events').all() as Array<{
      id: number
      device_id: string
    }>
    const strayEvents = events.filter(
      (e) => !ledger.eventRowIds.has(e.id) && !ledger.maybeDevices.has(e.device_id)
    )
    expect(strayEvents, 'event rows no 2xx request created').toEqual([])

    const commands = db.prepare('SELECT device_id FROM commands').all() as Array<{
      device_id: string
    }>
    for (const c of commands) expect(devices.map((d) => d.device_id)).toContain(c.device_id)

    const ota = db.prepare('SELECT device_id FROM ota_state').all() as Array<{ device_id: string }>
    const strayOta = ota
      .map((o) => o.device_id)
      .filter((id) => !ledger.otaMentions.has(id) && !ledger.devices.has(id))
    expect(strayOta, 'OTA states no 2xx request created').toEqual([])

    const firmware = db.prepare('SELECT id, sha256 FROM firmware').all() as Array<{
      id: number
      sha256: string
    }>
    expect(
      firmware.filter((f) => !ledger.firmwareIds.has(f.id)),
      'firmware rows no 2xx upload created'
    ).toEqual([])
    // Rejected uploads leave no temp or orphan file behind.
    const dir = join(dataDir, 'firmware')
    const files = existsSync(dir) ? readdirSync(dir).sort() : []
    expect(files).toEqual([...new Set(firmware.map((f) => `${f.sha256}.bin`))].sort())
    return { devices: devices.length, events: events.length, firmware: firmware.length }
  } finally {
    db.close()
  }
}
