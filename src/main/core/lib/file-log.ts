import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readSync,
  renameSync,
  statSync,
  writeSync,
  fstatSync
} from 'node:fs'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import pino from 'pino'
import { createLogger, type Logger } from './logger'

export const LOG_FILE = 'pastillero.log'

/**
 * A synchronous, size-rotated log file: pastillero.log, then .1 … .N. Synchronous so a crash
 * loses no line that was logged; small, since a family box logs little.
 */
class RotatingFile extends Writable {
  private fd: number
  private size: number

  constructor(
    private readonly file: string,
    private readonly maxBytes: number,
    private readonly keep: number
  ) {
    super()
    this.fd = openSync(file, 'a', 0o600)
    this.size = fstatSync(this.fd).size
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, done: (err?: Error) => void): void {
    try {
      if (this.size + chunk.length > this.maxBytes && this.size > 0) this.rotate()
      writeSync(this.fd, chunk)
      this.size += chunk.length
      done()
    } catch (err) {
      done(err as Error)
    }
  }

  override _final(done: () => void): void {
    closeSync(this.fd)
    done()
  }

  private rotate(): void {
    closeSync(this.fd)
    for (let i = this.keep - 1; i >= 1; i--) {
      if (existsSync(`${this.file}.${i}`)) renameSync(`${this.file}.${i}`, `${this.file}.${i + 1}`)
    }
    renameSync(this.file, `${this.file}.1`)
    this.fd = openSync(this.file, 'a', 0o600)
    this.size = 0
  }
}

/**
 * Structured JSON logs (pino) in <data>/logs. Secrets are redacted by key name wherever they
 * appear in the fields, so a careless log call cannot write a key or password to disk.
 */
export function createFileLogger(
  dir: string,
  opts: { maxBytes?: number; keep?: number } = {}
): { logger: Logger; close: () => void } {
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  const stream = new RotatingFile(
    join(dir, LOG_FILE),
    opts.maxBytes ?? 5 * 1024 * 1024,
    opts.keep ?? 5
  )
  const log = pino(
    {
      base: null,
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: {
        paths: [
          '*.password',
          '*.token',
          '*.bot_token',
          '*.key',
          '*.api_key',
          '*.cookie',
          'password',
          'token',
          'key',
          'cookie'
        ],
        censor: '[redacted]'
      }
    },
    stream
  )
  const logger = createLogger('core', (level, scope, message, fields) =>
    log[level]({ scope, ...fields }, message)
  )
  return { logger, close: () => stream.end() }
}

export interface LogLine {
  time: string
  level: 'info' | 'warn' | 'error' | string
  scope: string
  msg: string
  [field: string]: unknown
}

const LEVELS: Record<number, string> = { 30: 'info', 40: 'warn', 50: 'error' }

/** The last `limit` lines of the current log file, newest last (reads only its tail). */
export function readRecentLog(dir: string, limit = 200): LogLine[] {
  const file = join(dir, LOG_FILE)
  if (!existsSync(file)) return []
  const size = statSync(file).size
  const length = Math.min(size, 512 * 1024)
  const buf = Buffer.alloc(length)
  const fd = openSync(file, 'r')
  try {
    readSync(fd, buf, 0, length, size - length)
  } finally {
    closeSync(fd)
  }
  const lines = buf.toString('utf8').split('\n').filter(Boolean)
  if (length < size) lines.shift() // the first line is probably cut
  return lines.slice(-limit).flatMap((line) => {
    try {
      const parsed = JSON.parse(line) as Record<string, unknown>
      const level =
        typeof parsed.level === 'number'
          ? (LEVELS[parsed.level] ?? String(parsed.level))
          : String(parsed.level)
      return [{ ...parsed, level } as LogLine]
    } catch {
      return []
    }
  })
}
