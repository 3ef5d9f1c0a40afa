import { createHash, randomBytes } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync
} from 'node:fs'
import { join } from 'node:path'
import type { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { Transform } from 'node:stream'

export const FIRMWARE_MAX_BYTES = 16 * 1024 * 1024

export class TooLargeError extends Error {}

export interface StagedFile {
  tempPath: string
  size: number
  sha256: string
  md5: string
}

/**
 * Firmware files on disk, named by SHA-256. Uploads stream into a temp file (never held whole in
 * memory by the HTTP layer), are fsynced, then renamed into place — and only then does the
 * caller write the database row. A crash leaves at worst an orphan temp or file, which
 * `sweep()` removes at start; never a row pointing at a missing or partial file.
 */
export class FirmwareFiles {
  readonly dir: string

  constructor(dataDir: string) {
    this.dir = join(dataDir, 'firmware')
    mkdirSync(this.dir, { recursive: true, mode: 0o700 })
  }

  pathFor(sha256: string): string {
    return join(this.dir, `${sha256}.bin`)
  }

  /** Streams `source` to a temp file, hashing as it goes; rejects past `maxBytes`. */
  async stage(source: Readable, maxBytes = FIRMWARE_MAX_BYTES): Promise<StagedFile> {
    const tempPath = join(this.dir, `.upload-${randomBytes(8).toString('hex')}.tmp`)
    const sha = createHash('sha256')
    const md5 = createHash('md5')
    let size = 0
    const meter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        size += chunk.length
        if (size > maxBytes) return done(new TooLargeError(`larger than ${maxBytes} bytes`))
        sha.update(chunk)
        md5.update(chunk)
        done(null, chunk)
      }
    })
    const out = createWriteStream(tempPath, { flags: 'wx', mode: 0o600 })
    try {
      await pipeline(source, meter, out)
      const fd = openSync(tempPath, 'r+')
      try {
        fsyncSync(fd)
      } finally {
        closeSync(fd)
      }
    } catch (err) {
      // A source that fails at once (a form cut short) fails the pipeline before the write
      // stream has even opened its file; removing it now would race the open and leave it behind.
      if (!out.closed) await new Promise<void>((done) => out.once('close', () => done()))
      rmSync(tempPath, { force: true })
      throw err
    }
    return { tempPath, size, sha256: sha.digest('hex'), md5: md5.digest('hex') }
  }

  /** Moves a staged file into place (atomic rename) and makes the rename durable. */
  commit(staged: StagedFile): string {
    const target = this.pathFor(staged.sha256)
    renameSync(staged.tempPath, target)
    this.syncDir()
    return target
  }

  discard(staged: StagedFile): void {
    rmSync(staged.tempPath, { force: true })
  }

  remove(sha256: string): void {
    rmSync(this.pathFor(sha256), { force: true })
  }

  size(sha256: string): number | undefined {
    try {
      return statSync(this.pathFor(sha256)).size
    } catch {
      return undefined
    }
  }

  /** Removes temp files and files no row refers to (left by a crash between steps). */
  sweep(isUsed: (sha256: string) => boolean): string[] {
    const removed: string[] = []
    for (const name of readdirSync(this.dir)) {
      const sha = /^([0-9a-f]{64})\.bin$/.exec(name)?.[1]
      if (name.startsWith('.upload-') || (sha && !isUsed(sha))) {
        rmSync(join(this.dir, name), { force: true })
        removed.push(name)
      }
    }
    return removed
  }

  private syncDir(): void {
    // Directory fsync is how a rename survives power loss on Linux; Windows cannot open dirs.
    if (process.platform === 'win32') return
    const fd = openSync(this.dir, 'r')
    try {
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
  }
}
