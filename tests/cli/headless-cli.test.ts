import Database from 'better-sqlite3'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { runHeadless, sigtermWhen, type HeadlessRun } from '../helpers/headless-process'

/** Runs the built CLI until it prints `until` (then SIGTERMs it) or exits by itself. */
function runCli(
  args: string[],
  opts: { env?: Record<string, string>; cwd?: string; until?: RegExp } = {}
): Promise<HeadlessRun> {
  return runHeadless(args, {
    env: opts.env,
    cwd: opts.cwd,
    onStdout: opts.until ? sigtermWhen(opts.until) : undefined
  })
}

const RUNNING = /Device key: .*\n/

// Each test starts the real server once or twice; a loaded 2-core machine needs seconds for each.
describe('headless CLI', { timeout: 120_000 }, () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pastillero-cli-'))
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  it('--help documents the flags and the variables', async () => {
    const run = await runCli(['--help'])
    expect(run.code).toBe(0)
    for (const word of [
      '--port',
      '--host',
      '--data-dir',
      'PASTILLERO_PORT',
      'API_SECRET_KEY',
      'ADMIN_PASSWORD'
    ]) {
      expect(run.stdout).toContain(word)
    }
  })

  it('first start generates and keeps the device key, and prints a generated admin password once', async () => {
    const args = ['--port', '0', '--host', '127.0.0.1', '--data-dir', dir]
    const first = await runCli(args, { until: RUNNING, cwd: dir })
    expect(first.code).toBe(0)
    const key = /Device key: +(\S+)/.exec(first.stdout)![1]!
    expect(key.length).toBeGreaterThanOrEqual(32)
    expect(first.stdout).toMatch(/generated now and saved/)
    const password = /Sign in as "admin" .*: (\S+)/.exec(first.stdout)![1]!
    expect(password).toMatch(/^[a-z0-9]{4}(-[a-z0-9]{4}){3}$/)

    // The first account; only a scrypt hash of the password is stored, never the password.
    const db = new Database(join(dir, 'pastillero.db'), { readonly: true })
    const stored = db.prepare('SELECT name, role, password_hash FROM accounts').all() as Array<{
      name: string
      role: string
      password_hash: string
    }>
    db.close()
    expect(stored).toHaveLength(1)
    expect(stored[0]).toMatchObject({ name: 'admin', role: 'admin' })
    expect(stored[0]!.password_hash).toMatch(/^scrypt\$/)
    expect(stored[0]!.password_hash).not.toContain(password)

    // Later starts do not print the key in full (terminal scrollback, service journals).
    const second = await runCli(args, { until: RUNNING, cwd: dir })
    expect(second.code).toBe(0)
    expect(second.stdout).not.toContain(key)
    expect(/Device key: +(\S+)/.exec(second.stdout)![1]).toBe(`${key.slice(0, 2)}…${key.slice(-2)}`)
    expect(second.stdout).not.toMatch(/generated now/)
    expect(second.stdout).not.toMatch(/Sign in as/)
  })

  it('an invalid value stops with one line naming the variable, no stack trace', async () => {
    const run = await runCli(['--data-dir', dir], { env: { PASTILLERO_PORT: 'eighty' } })
    expect(run.code).toBe(2)
    expect(run.stderr).toBe(
      'pastillero: PASTILLERO_PORT: must be a whole number from 0 to 65535 (got "eighty")\n'
    )

    const flag = await runCli(['--data-dir', dir, '--port', '99999'])
    expect(flag.code).toBe(2)
    expect(flag.stderr.trim().split('\n')).toHaveLength(1)
    expect(flag.stderr).toMatch(/^pastillero: --port: /)

    const unknown = await runCli(['--prot', '80'])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toMatch(/^pastillero: Unknown option '--prot'/)
  })

  it('a port already in use says so and names the flag to change it', async () => {
    const blocker: Server = createServer()
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r))
    const port = (blocker.address() as { port: number }).port
    try {
      const run = await runCli(['--port', String(port), '--host', '127.0.0.1', '--data-dir', dir])
      expect(run.code).toBe(2)
      expect(run.stderr).toMatch(
        new RegExp(`^pastillero: port ${port} on 127.0.0.1 is already in use`)
      )
      expect(run.stderr).toContain('--port')
      expect(run.stderr).not.toMatch(/\n\s+at /)
    } finally {
      blocker.close()
    }
  })

  it('reads .env from the working directory, and the real environment wins over it', async () => {
    writeFileSync(
      join(dir, '.env'),
      `API_SECRET_KEY=from-dotenv-file-0123\nPASTILLERO_HOST=127.0.0.1\nPASTILLERO_PORT=0\n`
    )
    const fromFile = await runCli(['--data-dir', join(dir, 'data')], { cwd: dir, until: RUNNING })
    expect(fromFile.stdout).toMatch(/Device key: +fr…23 +\(from API_SECRET_KEY/)
    expect(fromFile.stdout).not.toContain('from-dotenv-file-0123')
    const fromEnv = await runCli(['--data-dir', join(dir, 'data')], {
      cwd: dir,
      until: RUNNING,
      env: { API_SECRET_KEY: 'from-the-real-environment' }
    })
    expect(fromEnv.stdout).toMatch(/Device key: +fr…nt +\(from API_SECRET_KEY/)
  })

  it('refuses a database from a newer version with one clear line', async () => {
    const raw = new Database(join(dir, 'pastillero.db'))
    raw.pragma('user_version = 9999')
    raw.close()
    const run = await runCli(['--data-dir', dir, '--port', '0', '--host', '127.0.0.1'])
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(
      /^pastillero: the database .* is at schema version 9999.*newer version/
    )
    expect(run.stderr.trim().split('\n')).toHaveLength(1)
  })
})
