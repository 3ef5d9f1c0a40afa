import Database from 'better-sqlite3'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { hashPassword, verifyPassword } from '../../src/main/core/lib/secrets'
import { migrate } from '../../src/main/core/store/db'
import { accounts } from '../../src/main/core/store/migrations/0009-accounts'
import { migrations } from '../../src/main/core/store/migrations/index'

/** A database at the version just before accounts, as an installed Pastillero has it. */
function previousVersion(file: string): Database.Database {
  const db = new Database(file)
  db.pragma('foreign_keys = ON')
  const before = migrations.slice(0, migrations.indexOf(accounts))
  for (const m of before) m.up(db)
  db.pragma(`user_version = ${before.at(-1)!.version}`)
  return db
}

describe('migration 0009: family member accounts', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pastillero-acc-mig-'))
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  it('is listed after every migration it depends on', () => {
    const index = migrations.indexOf(accounts)
    expect(index).toBeGreaterThan(0)
    expect(migrations.slice(0, index).every((m) => m.version < accounts.version)).toBe(true)
  })

  it('a single-password install becomes one admin account with the same hash; its sessions stay', async () => {
    const db = previousVersion(join(dir, 'old.db'))
    const hash = await hashPassword('the family password')
    db.prepare(
      "INSERT INTO settings (key, value, updated_at) VALUES ('admin_password_hash', ?, 'then')"
    ).run(JSON.stringify(hash))
    db.prepare(
      "INSERT INTO sessions (token_hash, created_at, expires_at, label) VALUES ('h1', 'then', '2999-01-01T00:00:00.000Z', 'desktop')"
    ).run()
    db.prepare(
      "INSERT INTO devices (device_id, first_seen, last_seen) VALUES ('d1', 'then', 'then')"
    ).run()
    db.prepare(
      "INSERT INTO schedule_versions (device_id, valid_from, created_at) VALUES ('d1', 'then', 'then')"
    ).run()

    migrate(db)

    expect(db.pragma('user_version', { simple: true })).toBe(migrations.at(-1)!.version)
    const rows = db.prepare('SELECT * FROM accounts').all() as Array<Record<string, unknown>>
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ name: 'admin', role: 'admin', password_hash: hash })
    expect(await verifyPassword('the family password', rows[0]!.password_hash as string)).toBe(true)
    expect(db.prepare('SELECT token_hash, account_id FROM sessions').all()).toEqual([
      { token_hash: 'h1', account_id: rows[0]!.id }
    ])
    expect(
      db.prepare("SELECT COUNT(*) AS n FROM settings WHERE key = 'admin_password_hash'").get()
    ).toEqual({ n: 0 })
    expect(db.prepare('SELECT created_by FROM schedule_versions').get()).toEqual({
      created_by: null
    })
    // Removing the account ends its sessions (the foreign key cascades).
    db.prepare('DELETE FROM accounts').run()
    expect(db.prepare('SELECT COUNT(*) AS n FROM sessions').get()).toEqual({ n: 0 })
    db.close()
  })

  it('an ADMIN_PASSWORD install (no stored hash) starts with no account and no sessions', () => {
    const db = previousVersion(join(dir, 'env.db'))
    db.prepare(
      "INSERT INTO sessions (token_hash, created_at, expires_at, label) VALUES ('h1', 'then', '2999-01-01T00:00:00.000Z', 'browser')"
    ).run()
    migrate(db)
    expect(db.prepare('SELECT COUNT(*) AS n FROM accounts').get()).toEqual({ n: 0 })
    expect(db.prepare('SELECT COUNT(*) AS n FROM sessions').get()).toEqual({ n: 0 })
    db.close()
  })
})
