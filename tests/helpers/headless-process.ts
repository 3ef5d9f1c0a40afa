/**
 * The headless server as its own process, run from the built entry (out/main/headless.js) the
 * way `npm run server` and a systemd unit run it: `node` is the process that gets the signal, so
 * the test sees exactly what a supervisor sees (tsx would put a relaying parent in between).
 */
import Database from 'better-sqlite3'
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { join, resolve } from 'node:path'

export const HEADLESS_ENTRY = resolve('out/main/headless.js')

export interface HeadlessRun {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

export interface HeadlessOptions {
  env?: Record<string, string>
  cwd?: string
  /** Called with the whole stdout so far on every chunk; may signal the child. */
  onStdout?: (stdout: string, child: ChildProcessWithoutNullStreams) => void
  /** Called once the process exists, before it has run any of our code. */
  onSpawn?: (child: ChildProcessWithoutNullStreams) => void
  /** Generous: a loaded 2-core machine takes seconds to load the bundle and hash a password. */
  timeoutMs?: number
}

/** Runs the built server until it exits (by itself or because a callback signalled it). */
export function runHeadless(args: string[], opts: HeadlessOptions = {}): Promise<HeadlessRun> {
  if (!existsSync(HEADLESS_ENTRY))
    throw new Error(`${HEADLESS_ENTRY} is missing: build first (npx electron-vite build)`)
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [HEADLESS_ENTRY, ...args], {
      cwd: opts.cwd ?? process.cwd(),
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...opts.env }
    })
    let stdout = ''
    let stderr = ''
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      fail(new Error(`the server did not finish:\n${stdout}\n${stderr}`))
    }, opts.timeoutMs ?? 60_000)
    child.once('spawn', () => opts.onSpawn?.(child))
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString()
      opts.onStdout?.(stdout, child)
    })
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('exit', (code, signal) => {
      clearTimeout(timer)
      done({ code, signal, stdout, stderr })
    })
  })
}

/** SIGTERMs the child the first time stdout matches `pattern`. */
export function sigtermWhen(pattern: RegExp): HeadlessOptions['onStdout'] {
  let sent = false
  return (stdout, child) => {
    if (!sent && pattern.test(stdout)) {
      sent = true
      child.kill('SIGTERM')
    }
  }
}

export interface DataDirState {
  /** integrity_check of the database, or undefined when no database was created. */
  integrity?: string
  /** WAL or shared-memory files left next to the database (a clean close removes both). */
  leftovers: string[]
  /** Backups cut off mid-write (`*.tmp`). */
  partialBackups: string[]
  /** integrity_check of every finished backup, by name. */
  backups: Record<string, string>
}

const integrityOf = (file: string) => {
  const db = new Database(file, { fileMustExist: true })
  try {
    return String(db.pragma('integrity_check', { simple: true }))
  } finally {
    db.close()
  }
}

/** What a stopped server left in its data dir; read before anything reopens the database. */
export function inspectDataDir(dataDir: string): DataDirState {
  const dbFile = join(dataDir, 'pastillero.db')
  const leftovers = ['-wal', '-shm'].map((s) => `pastillero.db${s}`)
  const state: DataDirState = {
    leftovers: leftovers.filter((name) => existsSync(join(dataDir, name))),
    partialBackups: [],
    backups: {}
  }
  // Checked after the leftovers: opening the database may create a -shm of its own.
  if (existsSync(dbFile)) state.integrity = integrityOf(dbFile)
  const backupDir = join(dataDir, 'backups')
  for (const name of existsSync(backupDir) ? readdirSync(backupDir) : []) {
    if (name.endsWith('.tmp')) state.partialBackups.push(name)
    else if (name.endsWith('.db')) state.backups[name] = integrityOf(join(backupDir, name))
  }
  return state
}
