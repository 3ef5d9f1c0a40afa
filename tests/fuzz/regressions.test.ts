import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FirmwareFiles } from '../../src/main/core/firmware/firmware-files'
import { buildEsp32Image } from '../helpers/esp32-image'
import { uploadFirmware } from '../helpers/firmware-upload'
import { startTestCore, type TestCore } from '../helpers/test-core'
import { expectWellFormed, jsonOf } from './harness'
import { rawRequest, type RawRequest } from './raw-http'

/** One focused check per bug the fuzz tests found, so each stays fixed even if seeds change. */
describe('fuzz regressions', () => {
  let t: TestCore
  let cookie: string
  beforeAll(async () => {
    t = await startTestCore()
    cookie = await t.login()
    const up = await uploadFirmware(t.url, cookie, buildEsp32Image({ version: '1.0.0' }), {
      version: '1.0.0'
    })
    expect(up.status).toBe(201)
  })
  afterAll(() => t?.dispose())

  const tempFiles = () =>
    readdirSync(join(t.dataDir, 'firmware')).filter((f) => f.startsWith('.upload-'))

  it.each<[string, RawRequest, number]>([
    [
      'a Content-Length that is not a number',
      {
        method: 'POST',
        path: '/api/devices/heartbeat',
        body: Buffer.from('{}'),
        contentLength: 'abc'
      },
      400
    ],
    ['a space in the request line', { method: 'GET', path: '/api/health?a= b' }, 400],
    ['raw non-ASCII in the path', { method: 'GET', path: '/api/admin/devices/\u00ff' }, 400],
    [
      'a request line over 16 KiB',
      { method: 'GET', path: `/api/ota/check/${'a'.repeat(20_000)}` },
      431
    ],
    [
      'an Expect other than 100-continue',
      { method: 'GET', path: '/api/health', headers: [['Expect', 'x']] },
      417
    ]
  ])('what Node refuses before routing still gets the envelope: %s', async (_what, req, status) => {
    const res = await rawRequest(t.url, req)
    expect(res.status).toBe(status)
    expectWellFormed(req, res)
  })

  it('a 416 from the OTA download is JSON and does not describe the image', async () => {
    await fetch(`${t.url}/api/devices/heartbeat`, {
      method: 'POST',
      headers: { 'X-API-Key': t.deviceKey },
      body: JSON.stringify({ device_id: 'range-device' })
    })
    const res = await rawRequest(t.url, {
      method: 'GET',
      path: '/api/ota/download/1.0.0',
      headers: [
        ['X-API-Key', t.deviceKey],
        ['X-Device-Id', 'range-device'],
        ['Range', 'bytes=99999999-']
      ]
    })
    expect(res.status).toBe(416)
    expect(res.headers['content-type']).toMatch(/^application\/json/)
    for (const stale of ['content-disposition', 'etag', 'x-md5', 'x-sha256'])
      expect(res.headers[stale], stale).toBeUndefined()
    expect(jsonOf(res)).toMatchObject({ ok: false, error: { code: 'bad-request' } })
  })

  const multipart = (boundary: string, body: string | Buffer): RawRequest => ({
    method: 'POST',
    path: '/api/admin/firmware',
    headers: [
      ['Cookie', cookie],
      ['Content-Type', `multipart/form-data; boundary=${boundary}`]
    ],
    body: Buffer.isBuffer(body) ? body : Buffer.from(body)
  })

  it('a form cut off inside a part it ignores is a 400, not a crash', async () => {
    // Busboy destroys the ignored part's stream with "Unexpected end of form"; with no listener
    // that error was uncaught and took the whole server down.
    const req = multipart(
      'b',
      '--b\r\nContent-Disposition: form-data; name="other"; filename="x.bin"\r\n\r\nabc'
    )
    const res = await rawRequest(t.url, req)
    expect(res.status).toBe(400)
    expectWellFormed(req, res)
    expect((await fetch(`${t.url}/api/health`)).status).toBe(200)
  })

  it('a malformed form leaves no temp file, even for a file part parsed after the error', async () => {
    const image = buildEsp32Image({ version: '3.0.0', bodySize: 0 })
    const part = (filename: string) =>
      Buffer.concat([
        Buffer.from(
          `--a\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\n\r\n`
        ),
        image,
        Buffer.from('\r\n')
      ])
    // The NUL makes the first part's header malformed; busboy still emits the second part.
    for (const end of ['--a--\r\n', '']) {
      const req = multipart('a', Buffer.concat([part('a\u0000b.bin'), part(''), Buffer.from(end)]))
      const res = await rawRequest(t.url, req)
      expect(res.status).toBe(400)
      await new Promise((r) => setTimeout(r, 300)) // a late part would be staged by now
      expect(tempFiles()).toEqual([])
    }
  })

  it('staging a file whose source fails right away leaves no temp file', async () => {
    // The pipeline could fail before the write stream had opened (and so created) its file.
    const dir = mkdtempSync(join(tmpdir(), 'pastillero-stage-'))
    try {
      const files = new FirmwareFiles(dir)
      for (const when of ['tick', 'immediate', 'after-data'] as const) {
        for (let i = 0; i < 5; i++) {
          const source = new PassThrough()
          const fail = () => source.destroy(new Error('Unexpected end of form'))
          const staging = files.stage(source)
          if (when === 'tick') process.nextTick(fail)
          else if (when === 'immediate') setImmediate(fail)
          else {
            source.write(Buffer.alloc(10))
            process.nextTick(fail)
          }
          await expect(staging).rejects.toThrow('Unexpected end of form')
        }
      }
      expect(readdirSync(files.dir)).toEqual([])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
