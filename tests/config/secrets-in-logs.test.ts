import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createFileLogger } from '../../src/main/core/lib/file-log'
import { redactingLogger } from '../../src/main/core/lib/logger'

describe('the Telegram bot token never reaches the log', () => {
  let dir: string | undefined
  afterEach(() => dir && rmSync(dir, { recursive: true, force: true }))

  it('is scrubbed from messages and from any field, whatever its name', () => {
    dir = mkdtempSync(join(tmpdir(), 'pastillero-log-'))
    const token = '123456789:AAEexampleexampleexampleexample12345'
    const file = createFileLogger(dir)
    const log = redactingLogger(file.logger).child('telegram')
    log.error(`request to https://api.telegram.org/bot${token}/getUpdates failed`, {
      err: { url: `https://api.telegram.org/bot${token}/getMe`, nested: [token] }
    })
    log.info('an ordinary line', { at: '2026-12-01T05:58:00.000Z', chat_id: 12345 })
    file.close()
    const text = readFileSync(join(dir, 'pastillero.log'), 'utf8')
    expect(text).not.toContain(token)
    expect(text).not.toContain('AAEexample')
    expect(text.match(/\[redacted\]/g)).toHaveLength(3)
    expect(text).toContain('2026-12-01T05:58:00.000Z') // times are not mistaken for tokens
  })
})
