import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createFileLogger } from '../../src/main/core/lib/file-log'
import { request } from '../helpers/http'
import { startTestCore, type TestCore } from '../helpers/test-core'
import { waitFor } from '../helpers/wait'

const readIfExists = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8') : '')

describe('structured logs', () => {
  let t: TestCore | undefined
  afterEach(async () => {
    await t?.dispose()
    t = undefined
  })

  it('writes JSON lines to <data>/logs and shows the recent ones to the admin', async () => {
    t = await startTestCore({ fileLogging: true })
    const cookie = await t.login()
    await request(`${t.url}/api/events/`, {
      headers: { 'X-API-Key': t.deviceKey },
      body: { device_id: 'logged', type: 'ota_fail', payload: { version: '1.0.0' } }
    })
    const res = await request(`${t.url}/api/admin/logs?limit=50`, { headers: { cookie } })
    expect(res.status).toBe(200)
    const lines = res.body.lines as Array<{
      msg: string
      level: string
      scope: string
      time: string
    }>
    expect(lines.some((l) => l.msg.startsWith('listening on 127.0.0.1:'))).toBe(true)
    expect(
      lines.every((l) => typeof l.time === 'string' && ['info', 'warn', 'error'].includes(l.level))
    ).toBe(true)
    // Secrets never reach the file.
    const file = readFileSync(join(t.dataDir, 'logs', 'pastillero.log'), 'utf8')
    expect(file).not.toContain(t.deviceKey)
    expect(file).not.toContain(t.adminPassword)
    expect((await request(`${t.url}/api/admin/logs?limit=0`, { headers: { cookie } })).status).toBe(
      422
    )
    expect((await request(`${t.url}/api/admin/logs`)).status).toBe(401)
  })

  it('redacts secret-named fields and rotates by size', async () => {
    const dir = join(t?.dataDir ?? '/tmp', `log-test-${process.pid}-${Date.now()}`)
    const secrets = createFileLogger(`${dir}-secrets`)
    secrets.logger.info('with secrets', {
      password: 'hunter2',
      token: 'abc123',
      nested: { key: 'k1k1k1' }
    })
    secrets.close()
    // close() ends the stream; the last write lands a moment later.
    const redacted = await waitFor('the line on disk', () => {
      const text = readIfExists(join(`${dir}-secrets`, 'pastillero.log'))
      return text.includes('with secrets') && text
    })
    expect(redacted).toContain('with secrets')
    expect(redacted).toContain('[redacted]')
    for (const secret of ['hunter2', 'abc123', 'k1k1k1']) expect(redacted).not.toContain(secret)

    const { logger, close } = createFileLogger(dir, { maxBytes: 2000, keep: 2 })
    for (let i = 0; i < 50; i++) logger.info(`line ${i}`, { i })
    close()
    const current = await waitFor('the last line on disk', () => {
      const text = readIfExists(join(dir, 'pastillero.log'))
      return text.includes('line 49') && text
    })
    expect(current.length).toBeLessThanOrEqual(2000)
    expect(current).toContain('line 49')
    const older = readFileSync(join(dir, 'pastillero.log.1'), 'utf8')
    expect(older.length).toBeGreaterThan(0)
    expect(older).toContain('"msg":"line')
  })
})
