import Database from 'better-sqlite3'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  DatabaseFromFutureError,
  latestSchemaVersion,
  openDatabase
} from '../../src/main/core/store/db'
import { migrations } from '../../src/main/core/store/migrations/index'

describe('store', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pastillero-store-'))
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  it('creates the schema in WAL mode with FULL sync and records the version', () => {
    const db = openDatabase(join(dir, 'a.db'))
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(db.pragma('synchronous', { simple: true })).toBe(2) // FULL
    expect(db.pragma('user_version', { simple: true })).toBe(latestSchemaVersion())
    const tables = (
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{
        name: string
      }>
    ).map((r) => r.name)
    expect(tables).toEqual(
      expect.arrayContaining(['devices', 'events', 'commands', 'settings', 'sessions'])
    )
    db.close()
  })

  it('migration numbers strictly increase', () => {
    const versions = migrations.map((m) => m.version)
    expect(versions).toEqual([...versions].sort((a, b) => a - b))
    expect(new Set(versions).size).toBe(versions.length)
    expect(versions[0]).toBe(1)
  })

  it('reopening is idempotent and keeps data', () => {
    const file = join(dir, 'b.db')
    let db = openDatabase(file)
    db.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('k', '1', 'now')").run()
    db.close()
    db = openDatabase(file)
    expect(db.prepare("SELECT value FROM settings WHERE key = 'k'").get()).toEqual({ value: '1' })
    db.close()
  })

  it('refuses a database written by a newer version, without touching it', () => {
    const file = join(dir, 'future.db')
    const raw = new Database(file)
    raw.pragma(`user_version = ${latestSchemaVersion() + 1}`)
    raw.close()
    expect(() => openDatabase(file)).toThrow(DatabaseFromFutureError)
    expect(() => openDatabase(file)).toThrow(/newer version/)
    const check = new Database(file)
    expect(check.pragma('user_version', { simple: true })).toBe(latestSchemaVersion() + 1)
    expect(
      check.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table'").get()
    ).toEqual({ n: 0 })
    check.close()
  })

  it('a failing migration leaves the database at the previous version (one transaction each)', () => {
    const file = join(dir, 'c.db')
    const db = openDatabase(file)
    const version = db.pragma('user_version', { simple: true }) as number
    const failing = db.transaction(() => {
      db.exec('CREATE TABLE half_done (x INTEGER)')
      db.pragma(`user_version = ${version + 1}`)
      throw new Error('boom')
    })
    expect(() => failing()).toThrow('boom')
    expect(db.pragma('user_version', { simple: true })).toBe(version)
    expect(
      db.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'half_done'").get()
    ).toEqual({ n: 0 })
    db.close()
  })
})
