/**
 * A stop can arrive at any moment of start-up (a supervisor restarting quickly, a desktop quit
 * right after launch): the built server must wait for the start to settle, then stop gracefully,
 * exit 0, and leave a database closed cleanly and no backup cut mid-write. The mDNS goodbye for a
 * stop during start-up is checked in tests/discovery/stop-during-startup.test.ts (it needs a
 * private network namespace).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openDatabase } from '../../src/main/core/store/db'
import { inspectDataDir, runHeadless, sigtermWhen } from '../helpers/headless-process'

const LISTENING = /listening on 127\.0\.0\.1:\d+/
const RUNNING = /Device key: .*\n/

/** Enough rows that the start-up backup is still copying when the server starts listening. */
function fillDatabase(dataDir: string, rows = 80_000): number {
  const db = openDatabase(join(dataDir, 'pastillero.db'))
  db.prepare(
    `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?)
     INSERT INTO events (device_id, type, payload, occurred_at, received_at)
     SELECT 'dev-' || (i % 20), 'dose_taken', json_object('note', hex(randomblob(500))),
            strftime('%Y-%m-%dT%H:%M:%fZ', 1735689600 + i * 60, 'unixepoch'),
            strftime('%Y-%m-%dT%H:%M:%fZ', 1735689600 + i * 60, 'unixepoch')
     FROM n`
  ).run(rows)
  db.close()
  return rows
}

const countEvents = (file: string) => {
  const db = openDatabase(file)
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n
  } finally {
    db.close()
  }
}

describe('a stop during start-up (built server, SIGTERM)', { timeout: 120_000 }, () => {
  let dir: string
  const args = () => ['--port', '0', '--host', '127.0.0.1', '--data-dir', dir]
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pastillero-stop-'))
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  it('the instant after spawn: it either had not started anything, or stops gracefully', async () => {
    const run = await runHeadless(args(), { cwd: dir, onSpawn: (c) => c.kill('SIGTERM') })
    const state = inspectDataDir(dir)
    if (run.signal === 'SIGTERM') {
      // The signal beat the handlers, which are installed before the database is created: the
      // only moment the default action may apply, and nothing was opened yet.
      expect(state.integrity).toBeUndefined()
    } else {
      expect(run.code).toBe(0)
      expect(run.stdout).toContain('Stopping (SIGTERM)')
      expect(state.integrity).toBe('ok')
    }
    expect(state.leftovers).toEqual([])
    expect(state.partialBackups).toEqual([])
  })

  it('the moment it listens, with the start-up backup still copying: the backup is finished first', async () => {
    const rows = fillDatabase(dir)
    const run = await runHeadless(args(), { cwd: dir, onStdout: sigtermWhen(LISTENING) })
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    const stopAt = run.stdout.indexOf('Stopping (SIGTERM)')
    expect(stopAt).toBeGreaterThan(0)
    // The backup was still being written when the stop began, and the stop waited for it.
    expect(run.stdout.indexOf('backup written')).toBeGreaterThan(stopAt)

    const state = inspectDataDir(dir)
    expect(state.leftovers).toEqual([]) // closed cleanly: WAL checkpointed and removed
    expect(state.integrity).toBe('ok')
    expect(state.partialBackups).toEqual([])
    const backups = Object.entries(state.backups)
    expect(backups).toHaveLength(1)
    expect(backups[0]![0]).toMatch(/^pastillero-auto-\d{8}T\d{6}Z\.db$/)
    expect(backups[0]![1]).toBe('ok')
    expect(countEvents(join(dir, 'backups', backups[0]![0]))).toBe(rows)
    expect(countEvents(join(dir, 'pastillero.db'))).toBe(rows)
  })

  it('once it is running: exit 0, the database closed cleanly, one whole start-up backup', async () => {
    const run = await runHeadless(args(), { cwd: dir, onStdout: sigtermWhen(RUNNING) })
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('Stopping (SIGTERM)')
    const state = inspectDataDir(dir)
    expect(state).toEqual({
      integrity: 'ok',
      leftovers: [],
      partialBackups: [],
      backups: { [Object.keys(state.backups)[0]!]: 'ok' }
    })
  })

  it('a backup left half-written by a power cut is removed at the next start', async () => {
    // As a SIGKILL or power cut mid-backup leaves it: the temp name, never listed as a backup.
    mkdirSync(join(dir, 'backups'))
    writeFileSync(join(dir, 'backups', 'pastillero-auto-20250101T000000Z.db.tmp'), 'SQLite form')
    const run = await runHeadless(args(), { cwd: dir, onStdout: sigtermWhen(RUNNING) })
    expect(run.code).toBe(0)
    expect(inspectDataDir(dir).partialBackups).toEqual([])
  })
})
