import Database from 'better-sqlite3'
import { spawn, type ChildProcess } from 'node:child_process'
import { createRequire } from 'node:module'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'

export const CRASH_DEVICE_KEY = 'crash-test-device-key-0123456789'
export const CRASH_ADMIN_PASSWORD = 'crash test password'

const ENTRY = resolve('src/main/headless.ts')
// `node --import tsx` rather than the tsx binary: the binary runs the server in a child process,
// so a SIGKILL to it would orphan the real server instead of killing it.
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href

export interface ServerProcess {
  child: ChildProcess
  url: string
  output(): string
  /** SIGKILLs the server (no shutdown hooks run) and waits until the process is gone. */
  kill(): Promise<NodeJS.Signals | null>
}

/**
 * Starts the headless server as its own process on 127.0.0.1, port 0, and resolves once it
 * prints its dashboard URL. The cwd is the data dir's parent so no stray .env is read.
 */
export function startServer(dataDir: string, timeoutMs = 20_000): Promise<ServerProcess> {
  const child = spawn(
    process.execPath,
    ['--import', TSX_LOADER, ENTRY, '--port', '0', '--host', '127.0.0.1', '--data-dir', dataDir],
    {
      cwd: join(dataDir, '..'),
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/tmp',
        API_SECRET_KEY: CRASH_DEVICE_KEY,
        ADMIN_PASSWORD: CRASH_ADMIN_PASSWORD
      },
      stdio: ['ignore', 'pipe', 'pipe']
    }
  )
  let out = ''
  const exited = new Promise<NodeJS.Signals | null>((done) =>
    child.once('exit', (_code, signal) => done(signal))
  )
  const kill = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    return exited
  }
  return new Promise((ready, fail) => {
    const timer = setTimeout(() => {
      void kill()
      fail(new Error(`server did not start in ${timeoutMs} ms:\n${out}`))
    }, timeoutMs)
    const onData = (d: Buffer) => {
      out += d.toString()
      const url = /Dashboard:\s+(http:\/\/127\.0\.0\.1:\d+)\//.exec(out)?.[1]
      if (url) {
        clearTimeout(timer)
        ready({ child, url, output: () => out, kill })
      }
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()))
    void exited.then((signal) => {
      clearTimeout(timer)
      fail(new Error(`server exited before it was ready (${signal ?? child.exitCode}):\n${out}`))
    })
  })
}

/** Opens the database the way the next start would (read-write, so the WAL is recovered). */
export function withDb<T>(dataDir: string, fn: (db: Database.Database) => T): T {
  const db = new Database(join(dataDir, 'pastillero.db'))
  try {
    return fn(db)
  } finally {
    db.close()
  }
}

export function integrityCheck(db: Database.Database): string {
  return (db.pragma('integrity_check') as Array<{ integrity_check: string }>)
    .map((r) => r.integrity_check)
    .join('; ')
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** A small seeded PRNG (mulberry32) so kill moments are reproducible from the printed seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export async function login(url: string): Promise<string> {
  const res = await fetch(`${url}/api/admin/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ password: CRASH_ADMIN_PASSWORD })
  })
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`)
  return res.headers.get('set-cookie')!.split(';')[0]!
}
