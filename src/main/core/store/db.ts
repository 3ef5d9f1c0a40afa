import Database from 'better-sqlite3'
import { createPrivateFile, ensurePrivateDir } from '../lib/private-files'
import { dirname } from 'node:path'
import { migrations } from './migrations/index'

export type Db = Database.Database

export class DatabaseFromFutureError extends Error {
  constructor(
    readonly file: string,
    readonly found: number,
    readonly supported: number
  ) {
    super(
      `the database ${file} is at schema version ${found}, but this Pastillero only knows up to ` +
        `${supported}: it was written by a newer version. Update Pastillero, or restore a backup.`
    )
    this.name = 'DatabaseFromFutureError'
  }
}

/**
 * Opens (creating if needed) the SQLite file and brings its schema up to date.
 *
 * WAL lets the dashboard read while devices write. synchronous=FULL makes every acknowledged
 * write survive a power cut, not only a process crash (NORMAL would only survive the latter): a
 * family's box loses power, and an acknowledged "dose taken" must not vanish. The cost is one
 * fsync per commit, small next to a heartbeat every 30 s per dispenser.
 */
export function openDatabase(file: string): Db {
  ensurePrivateDir(dirname(file))
  // Created 0600 first: SQLite gives its -wal and -shm files the database file's mode.
  createPrivateFile(file)
  const db = new Database(file)
  try {
    db.pragma('journal_mode = WAL')
    db.pragma('synchronous = FULL')
    db.pragma('foreign_keys = ON')
    db.pragma('busy_timeout = 5000')
    // A 4 MB page cache instead of better-sqlite3's 16 MB: it fills up whenever a big table is
    // scanned (100,000 devices at start), and every MB of it is resident for good. Pages beyond
    // it come from the OS's file cache, which is shared and reclaimable; the device path's random
    // row updates barely notice (the B-tree's inner pages stay cached).
    db.pragma('cache_size = -4000')
    migrate(db, file)
    // Keeps the query planner's statistics fresh, bounded so it stays cheap at start-up
    // (SQLite's recommendation for long-lived connections; also run at close).
    db.pragma('analysis_limit = 400')
    db.pragma('optimize = 0x10002')
    return db
  } catch (err) {
    db.close()
    throw err
  }
}

export function latestSchemaVersion(): number {
  return migrations.at(-1)?.version ?? 0
}

/** Applies each pending migration in its own transaction, recording it in PRAGMA user_version. */
export function migrate(db: Db, file = db.name): void {
  const current = db.pragma('user_version', { simple: true }) as number
  const latest = latestSchemaVersion()
  if (current > latest) throw new DatabaseFromFutureError(file, current, latest)
  for (const migration of migrations) {
    if (migration.version <= current) continue
    db.transaction(() => {
      migration.up(db)
      db.pragma(`user_version = ${migration.version}`)
    })()
  }
}
