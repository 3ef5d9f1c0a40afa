/**
 * Upgrade tests for migrations: a database exactly as an older release left it (migrations
 * 1…N−1, each with its user_version, as store/db.ts applies them), filled with data, then
 * upgraded by the app's own migrate() — the path a family's database takes on an update.
 */
import Database from 'better-sqlite3'
import { join } from 'node:path'
import { migrate } from '../../src/main/core/store/db'
import { migrations } from '../../src/main/core/store/migrations/index'

export type RawDb = Database.Database

/** A database file in `dir` at schema `version` (0: an empty file). */
export function databaseAt(dir: string, version: number): RawDb {
  const db = new Database(join(dir, `at-${version}.db`))
  db.pragma('foreign_keys = ON')
  for (const m of migrations.filter((m) => m.version <= version)) {
    db.transaction(() => {
      m.up(db)
      db.pragma(`user_version = ${m.version}`)
    })()
  }
  return db
}

/** Upgrades to the latest schema, as the app does at start. */
export function upgrade(db: RawDb): void {
  migrate(db)
  expectVersion(db, migrations.at(-1)!.version)
}

function expectVersion(db: RawDb, version: number): void {
  const actual = db.pragma('user_version', { simple: true })
  if (actual !== version) throw new Error(`user_version is ${String(actual)}, not ${version}`)
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
