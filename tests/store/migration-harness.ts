/**
 * Upgrade tests for migrations: a database exactly as an older release left it (migrations
 * 1…N−1, each in a transaction with its user_version, as store/db.ts applies them), filled with
 * data, then taken to version N. Each case runs its own migration only, so a later migration that
 * reshapes data does not change what an older case checks; the whole chain, through the app's own
 * migrate(), is checked once in migration-upgrades.test.ts.
 */
import Database from 'better-sqlite3'
import { join } from 'node:path'
import { migrate } from '../../src/main/core/store/db'
import { migrations } from '../../src/main/core/store/migrations/index'

export type RawDb = Database.Database

const version = (db: RawDb) => db.pragma('user_version', { simple: true }) as number

function applyUpTo(db: RawDb, target: number): void {
  for (const m of migrations.filter((m) => m.version > version(db) && m.version <= target)) {
    db.transaction(() => {
      m.up(db)
      db.pragma(`user_version = ${m.version}`)
    })()
  }
}

/** A database file in `dir` at schema `version` (0: an empty file). */
export function databaseAt(dir: string, target: number): RawDb {
  const db = new Database(join(dir, `at-${target}.db`))
  db.pragma('foreign_keys = ON')
  applyUpTo(db, target)
  return db
}

/** Applies the migrations up to `target` (the one under test). */
export function upgradeTo(db: RawDb, target: number): void {
  applyUpTo(db, target)
  if (version(db) !== target) throw new Error(`user_version is ${version(db)}, not ${target}`)
}

/** Upgrades to the latest schema with the app's own migrate(), as a start after an update does. */
export function upgradeToLatest(db: RawDb): void {
  migrate(db)
  const latest = migrations.at(-1)!.version
  if (version(db) !== latest) throw new Error(`user_version is ${version(db)}, not ${latest}`)
}

export const columns = (db: RawDb, table: string): string[] =>
  (db.pragma(`table_info(${table})`) as Array<{ name: string }>).map((c) => c.name)

export const tableNames = (db: RawDb): string[] =>
  db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    .pluck()
    .all() as string[]

export const indexNames = (db: RawDb, table: string): string[] =>
  db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? ORDER BY name")
    .pluck()
    .all(table) as string[]

export const rows = (db: RawDb, sql: string): unknown[] => db.prepare(sql).all()

export const integrity = (db: RawDb): unknown => db.pragma('integrity_check', { simple: true })
