import fc from 'fast-check'
import { createHash } from 'node:crypto'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { parse as parseQuery } from 'node:querystring'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildEsp32Image } from '../helpers/esp32-image'
import { uploadFirmware } from '../helpers/firmware-upload'
import { startTestCore, type TestCore } from '../helpers/test-core'
import {
  anyJson,
  encodedBody,
  expectDbMatchesLedger,
  hugeNumber,
  jsonObject,
  jsonOf,
  Ledger,
  pathSegment,
  queryString,
  queryValue,
  runs,
  send,
  validId,
  weirdString
} from './harness'
import type { RawResponse } from './raw-http'

const SEEDED = ['AA:BB:CC:DD:EE:01', 'cocina']

/**
 * Property-based fuzzing of the OTA endpoints dispensers use and of the dashboard's firmware
 * upload and release: no 5xx, every error is the envelope, downloads are whole and match their
 * hashes, and a rejected upload leaves no row and no file behind.
 */
describe('fuzz: OTA and firmware API', () => {
  let t: TestCore
  let cookie: string
  const ledger = new Ledger()
  const versions: string[] = []

  beforeAll(async () => {
    t = await startTestCore()
    cookie = await t.login()
    for (const [i, version] of ['1.0.0', '2.0.0-beta.1', '2.0.0'].entries()) {
      const up = await uploadFirmware(
        t.url,
        cookie,
        buildEsp32Image({ version, seed: i, bodySize: 2048 + i * 1000 }),
        { version }
      )
      expect(up.status).toBe(201)
      ledger.firmwareIds.add(up.body.firmware.id)
      versions.push(up.body.firmware.version)
    }
    for (const id of SEEDED) {
      const beat = await fetch(`${t.url}/api/devices/heartbeat`, {
        method: 'POST',
        headers: { 'X-API-Key': t.deviceKey, 'content-type': 'application/json' },
        body: JSON.stringify({ device_id: id, firmware_version: '1.0.0' })
      })
      expect(beat.status).toBe(200)
      ledger.devices.add(id)
    }
  })
  afterAll(async () => {
    console.log(`fuzz/firmware-api: ${ledger.summary()}`)
    await t?.dispose()
  })

  const auth = fc.oneof(
    { weight: 8, arbitrary: fc.constant('header') },
    { weight: 2, arbitrary: fc.constant('query') },
    { weight: 1, arbitrary: fc.constantFrom('none', 'wrong', 'both-wrong-header') }
  )
  const keyHeaders = (how: string): Array<[string, string]> =>
    how === 'header'
      ? [['X-API-Key', t.deviceKey]]
      : how === 'wrong'
        ? [['X-API-Key', 'nope']]
        : how === 'both-wrong-header'
          ? [['X-API-Key', 'nope']]
          : []
  const keyQuery = (how: string) =>
    how === 'query' || how === 'both-wrong-header' ? `key=${encodeURIComponent(t.deviceKey)}` : ''
  const withQuery = (query: string, extra: string) =>
    !extra ? query : query.startsWith('?') ? `${query}&${extra}` : `?${extra}`

  const deviceHeader = fc.oneof(
    fc.constantFrom(...SEEDED),
    validId,
    fc.constantFrom('', 'a/b', 'x'.repeat(65), 'AA:BB:CC:DD:EE:FF'),
    fc.stringMatching(/^[ -~]{0,70}$/)
  )
  const espHeaders = fc.array(
    fc.oneof(
      fc.tuple(fc.constant('X-Device-Id'), deviceHeader),
      fc.tuple(fc.constant('x-ESP32-STA-MAC'), deviceHeader),
      fc.tuple(
        fc.constant('x-ESP32-version'),
        fc.oneof(fc.constantFrom('1.0.0', '0.0.1', 'v1', '', 'garbage'), deviceHeader)
      ),
      fc.tuple(fc.constant('x-ESP32-mode'), fc.constantFrom('sketch', 'spiffs', '', 'SKETCH')),
      fc.tuple(
        fc.constant('x-ESP32-free-space'),
        fc.oneof(
          fc.integer().map(String),
          fc.constantFrom('', 'NaN', 'Infinity', '-0', '1e400', '0x10', ' 5')
        )
      ),
      fc.tuple(
        fc.constant('x-ESP32-sketch-md5'),
        fc.oneof(fc.stringMatching(/^[0-9a-f]{32}$/), deviceHeader)
      ),
      fc.tuple(
        fc.constant('Range'),
        fc.constantFrom(
          'bytes=0-',
          'bytes=0-0',
          'bytes=5-1',
          'bytes=-0',
          'bytes=-1',
          'bytes=99999999-',
          'bytes=0-1,1-2,2-3,3-4,4-5,5-6',
          'bytes=' + Array.from({ length: 200 }, (_, i) => `${i}-${i}`).join(','),
          'bytes=--',
          'bytes=1e3-',
          'items=0-1',
          'bytes=18446744073709551616-'
        )
      ),
      fc.tuple(fc.constant('If-Range'), fc.constantFrom('"x"', 'Thu, 01 Jan 1970 00:00:00 GMT'))
    ),
    { maxLength: 4 }
  )
  const version = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom('1.0.0', '2.0.0', '2.0.0-beta.1', 'v2', '2.0') },
    { weight: 3, arbitrary: pathSegment }
  )

  /** Remembers every device id an accepted OTA request could have named, for the ledger. */
  function mention(res: RawResponse, query: string, headers: Array<[string, string]>) {
    if (res.status === 0 || res.status >= 400) return
    for (const value of Object.values(parseQuery(query.replace(/^\?/, '')))) {
      for (const v of [value ?? []].flat()) ledger.otaMentions.add(v)
    }
    for (const [, v] of headers) ledger.otaMentions.add(v.trim())
  }

  it('GET /api/ota/check/:current_version', async () => {
    await fc.assert(
      fc.asyncProperty(
        version,
        queryString(['device_id', 'key'], fc.oneof(queryValue, fc.constantFrom(...SEEDED))),
        auth,
        espHeaders,
        async (v, query, how, esp) => {
          const headers = [...keyHeaders(how), ...esp]
          const q = withQuery(query, keyQuery(how))
          const res = await send(t.url, ledger, {
            method: 'GET',
            path: `/api/ota/check/${v}${q}`,
            headers
          })
          mention(res, q, headers)
          if (res.status === 200 && jsonOf(res).update_available)
            expect(versions).toContain(jsonOf(res).version)
        }
      ),
      runs(150)
    )
  })

  /** A 200 or 206 carries exactly the bytes of a stored image. */
  function expectWholeImage(res: RawResponse, method: string) {
    if (method === 'HEAD' || (res.status !== 200 && res.status !== 206)) return
    expect(res.body.length).toBe(Number(res.headers['content-length']))
    if (res.status === 200) {
      const sha = createHash('sha256').update(res.body).digest('hex')
      expect(res.headers['etag']).toBe(`"${sha}"`)
    }
  }

  it('GET /api/ota/download/:version', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'GET', 'GET', 'HEAD', 'POST'),
        version,
        queryString(['device_id', 'key', 'version']),
        auth,
        espHeaders,
        async (method, v, query, how, esp) => {
          const headers = [...keyHeaders(how), ...esp]
          const q = withQuery(query, keyQuery(how))
          const res = await send(t.url, ledger, {
            method,
            path: `/api/ota/download/${v}${q}`,
            headers
          })
          mention(res, q, headers)
          expectWholeImage(res, method)
        }
      ),
      runs(150)
    )
  })

  it('GET /api/ota/update (Arduino HTTPUpdate)', async () => {
    await fc.assert(
      fc.asyncProperty(
        queryString(
          ['device_id', 'key', 'version'],
          fc.oneof(queryValue, fc.constantFrom('1.0.0'))
        ),
        auth,
        espHeaders,
        async (query, how, esp) => {
          const headers = [...keyHeaders(how), ...esp]
          const q = withQuery(query, keyQuery(how))
          const res = await send(t.url, ledger, {
            method: 'GET',
            path: `/api/ota/update${q}`,
            headers
          })
          mention(res, q, headers)
          expect(res.status === 201 || res.status === 204).toBe(false)
          expectWholeImage(res, 'GET')
        }
      ),
      runs(120)
    )
  })

  // ---- POST /api/admin/firmware with random multipart bodies

  interface Part {
    name: string
    filename?: string
    type?: string
    content: Buffer
  }
  const imageBytes = fc
    .record({
      version: fc.oneof(fc.constantFrom('3.0.0', '1.0.0', 'esp-idf: v5.3', 'garbage'), validId),
      seed: fc.nat(1000),
      size: fc.integer({ min: 0, max: 6000 }),
      chipId: fc.constantFrom(0x0000, 0x0005, 0x0009, 0x000d, 0x0010, 0x1234),
      hashAppended: fc.boolean(),
      bootloader: fc.boolean(),
      damage: fc.constantFrom('none', 'none', 'none', 'flip', 'truncate', 'append'),
      at: fc.nat()
    })
    .map((o) => {
      let image = buildEsp32Image({
        version: o.version,
        seed: o.seed,
        bodySize: o.size,
        chipId: o.chipId,
        hashAppended: o.hashAppended,
        bootloader: o.bootloader && o.seed % 5 === 0
      })
      if (o.damage === 'flip') {
        image = Buffer.from(image)
        image[o.at % image.length]! ^= 0xff
      } else if (o.damage === 'truncate') image = image.subarray(0, o.at % image.length)
      else if (o.damage === 'append') image = Buffer.concat([image, Buffer.alloc(o.at % 64, 1)])
      // Reported by its recipe, not its bytes, when a property fails.
      return Object.assign(image, { [fc.toStringMethod]: () => `esp32Image(${JSON.stringify(o)})` })
    })
  const semverish = fc
    .tuple(fc.nat(5), fc.nat(20), fc.nat(50))
    .map(([a, b, c]) => `${a + 3}.${b}.${c}`)
  const fieldValue = fc.oneof(
    semverish,
    fc.constantFrom(
      '',
      ' ',
      'v4',
      '4.0',
      '..%2f..%2f',
      '1.0.0\u0000',
      'x'.repeat(5000),
      '1.2.3+build'
    ),
    weirdString
  )
  const part: fc.Arbitrary<Part> = fc.oneof(
    {
      weight: 3,
      arbitrary: fc.record({
        name: fc.constant('file'),
        filename: fc.oneof(
          fc.constantFrom(
            'pastillero-3.1.4.bin',
            '../../evil.bin',
            'a\u0000b.bin',
            `${'x'.repeat(300)}.bin`,
            'firmware.bin'
          ),
          fc.stringMatching(/^[ -~]{0,40}$/).map((s) => s.replace(/"/g, ''))
        ),
        type: fc.constantFrom('application/octet-stream', 'text/plain', 'image/png'),
        content: fc.oneof(
          { weight: 4, arbitrary: imageBytes },
          { weight: 1, arbitrary: fc.uint8Array({ maxLength: 3000 }).map((b) => Buffer.from(b)) }
        )
      })
    },
    {
      weight: 3,
      arbitrary: fc.record({
        name: fc.constantFrom('version', 'notes'),
        content: fieldValue.map((v) => Buffer.from(v, 'utf8'))
      })
    },
    {
      weight: 1,
      arbitrary: fc.record({
        name: fc.oneof(
          fc.constantFrom('', 'file[]', 'FILE', 'version '),
          fc.stringMatching(/^[ -~]{0,20}$/)
        ),
        filename: fc.option(fc.constant('x.bin'), { nil: undefined }),
        content: fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b))
      })
    }
  )
  const multipart = fc.record({
    boundary: fc.oneof(
      fc.constantFrom(
        'x',
        '----WebKitFormBoundary7MA4YWxkTrZu0gW',
        'a'.repeat(70),
        'a'.repeat(200)
      ),
      fc.stringMatching(/^[A-Za-z0-9_-]{1,70}$/),
      fc.stringMatching(/^[A-Za-z0-9'()+_,./:=?-]{1,70}$/) // legal only when quoted
    ),
    // Mostly what the dashboard sends (a file and a version, in either order), else anything.
    parts: fc.oneof(
      {
        weight: 3,
        arbitrary: fc.tuple(part, semverish, fc.boolean()).map(([p, v, first]) => {
          const version: Part = { name: 'version', content: Buffer.from(v) }
          const file: Part = p.name === 'file' ? p : { ...p, name: 'file', filename: 'fw.bin' }
          return first ? [version, file] : [file, version]
        })
      },
      { weight: 2, arbitrary: fc.array(part, { maxLength: 4 }) }
    ),
    ending: fc.constantFrom(
      'ok',
      'ok',
      'ok',
      'ok',
      'no-close',
      'lf',
      'epilogue',
      'preamble',
      'cut'
    ),
    header: fc.constantFrom(
      'ok',
      'ok',
      'ok',
      'ok',
      'ok',
      'no-boundary',
      'mixed',
      'json',
      'none',
      'other-boundary',
      'quoted'
    ),
    cut: fc.nat()
  })

  function encodeMultipart(m: typeof multipart extends fc.Arbitrary<infer T> ? T : never) {
    const nl = m.ending === 'lf' ? '\n' : '\r\n'
    const chunks: Buffer[] = []
    if (m.ending === 'preamble') chunks.push(Buffer.from(`this is not part of it${nl}`))
    for (const p of m.parts) {
      let disposition = `form-data; name="${p.name}"`
      if (p.filename !== undefined) disposition += `; filename="${p.filename}"`
      chunks.push(Buffer.from(`--${m.boundary}${nl}Content-Disposition: ${disposition}${nl}`))
      if (p.type) chunks.push(Buffer.from(`Content-Type: ${p.type}${nl}`))
      chunks.push(Buffer.from(nl), p.content, Buffer.from(nl))
    }
    if (m.ending !== 'no-close') chunks.push(Buffer.from(`--${m.boundary}--${nl}`))
    if (m.ending === 'epilogue') chunks.push(Buffer.from('trailing bytes'))
    let body = Buffer.concat(chunks)
    if (m.ending === 'cut' && body.length) body = body.subarray(0, m.cut % body.length)
    const type: Record<string, string | undefined> = {
      ok: `multipart/form-data; boundary=${m.boundary}`,
      quoted: `multipart/form-data; boundary="${m.boundary}"`,
      'no-boundary': 'multipart/form-data',
      mixed: `multipart/mixed; boundary=${m.boundary}`,
      json: 'application/json',
      none: undefined,
      'other-boundary': 'multipart/form-data; boundary=zzz'
    }
    const headers: Array<[string, string]> = [['Cookie', cookie]]
    if (type[m.header]) headers.push(['Content-Type', type[m.header]!])
    return { body, headers }
  }

  it('POST /api/admin/firmware with random multipart bodies', async () => {
    await fc.assert(
      fc.asyncProperty(multipart, async (m) => {
        const { body, headers } = encodeMultipart(m)
        const temps = () =>
          readdirSync(join(t.dataDir, 'firmware')).filter((f) => f.endsWith('.tmp'))
        const before = new Set(temps())
        const res = await send(t.url, ledger, {
          method: 'POST',
          path: '/api/admin/firmware',
          headers,
          body
        })
        // Rejected or not, an answered upload has left no temp file behind.
        const left = temps().filter((f) => !before.has(f))
        expect(left, `temp files after ${res.status}`).toEqual([])
        if (res.status === 201) {
          const fw = jsonOf(res).firmware
          ledger.firmwareIds.add(fw.id)
          // The stored file is the first "file" part, byte for byte.
          const file = m.parts.find((p) => p.name === 'file')!
          expect(fw.sha256).toBe(createHash('sha256').update(file.content).digest('hex'))
          expect(fw.size).toBe(file.content.length)
          versions.push(fw.version)
        }
      }),
      runs(180)
    )
  })

  it('POST /api/admin/firmware/:id/release', async () => {
    const release = jsonObject({
      target: fc.oneof(fc.constantFrom('all', 'devices', 'none'), anyJson),
      devices: fc.oneof(
        fc.array(fc.oneof(fc.constantFrom(...SEEDED), validId, weirdString), { maxLength: 5 }),
        fc.constant(Array.from({ length: 1001 }, (_, i) => `d${i}`)),
        anyJson
      ),
      percent: fc.oneof(fc.integer({ min: -5, max: 105 }), fc.double(), hugeNumber, anyJson),
      paused: fc.oneof(fc.boolean(), anyJson)
    })
    const firmwareId = fc.oneof(
      fc.constantFrom(...[...ledger.firmwareIds].map(String), '1', '2', '3'),
      fc.constantFrom('0', '-1', '999999999999', '9999999999999', '1.5', '0x1', '01', ''),
      pathSegment
    )
    await fc.assert(
      fc.asyncProperty(
        firmwareId,
        encodedBody(fc.oneof({ weight: 4, arbitrary: release }, { weight: 1, arbitrary: anyJson })),
        async (id, body) => {
          const res = await send(
            t.url,
            ledger,
            {
              method: 'POST',
              path: `/api/admin/firmware/${id}/release`,
              headers: [['Cookie', cookie], ...body.headers],
              body: body.bytes,
              contentLength: body.contentLength
            },
            body.framing
          )
          if (res.status === 200) expect(jsonOf(res).firmware.release).toBeDefined()
        }
      ),
      runs(150)
    )
  })

  it('the server is still up, and rows and files hold only what was acknowledged', async () => {
    const health = await fetch(`${t.url}/api/health`)
    expect(health.status).toBe(200)
    const counts = expectDbMatchesLedger(t.dataDir, ledger)
    console.log(
      `fuzz/firmware-api: ${counts.firmware} firmware rows, each with its file, no strays`
    )
  })
})
