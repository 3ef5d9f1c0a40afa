import Database from 'better-sqlite3'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openDatabase } from '../../src/main/core/store/db'
import { migrations } from '../../src/main/core/store/migrations/index'

/** Builds a database as the app before migration 0008 left it. */
function databaseBefore8(file: string, devices: string[]): void {
  const db = new Database(file)
  for (const m of migrations.filter((m) => m.version < 8)) {
    db.transaction(() => {
      m.up(db)
      db.pragma(`user_version = ${m.version}`)
    })()
  }
  const insert = db.prepare(
    `INSERT INTO devices (device_id, name, firmware_version, ip_address, status, first_seen, last_seen, heartbeats)
     VALUES (?, 'Cocina', '1.0.0', '192.168.1.50', 'online', '2026-01-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z', 3)`
  )
  for (const id of devices) insert.run(id)
  db.close()
}

describe('migration 0008: device credentials', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pastillero-0008-'))
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  it('an upgrade adopts every known dispenser (shared key keeps working) and starts with adoption closed', () => {
    const file = join(dir, 'old.db')
    databaseBefore8(file, ['AA:BB:CC:DD:EE:01', 'AA:BB:CC:DD:EE:02'])
    const before = Date.now()
    const db = openDatabase(file)
    expect(db.pragma('user_version', { simple: true })).toBeGreaterThanOrEqual(8)
    const rows = db.prepare('SELECT * FROM device_credentials ORDER BY device_id').all() as Array<
      Record<string, unknown>
    >
    expect(rows).toEqual([
      expect.objectContaining({
        device_id: 'AA:BB:CC:DD:EE:01',
        status: 'adopted',
        adopted_by: 'upgrade',
        token_state: 'none',
        token_hash: null,
        first_seen: '2026-01-01T00:00:00.000Z',
        reported_name: 'Cocina'
      }),
      expect.objectContaining({ device_id: 'AA:BB:CC:DD:EE:02', status: 'adopted' })
    ])
    const until = JSON.parse(
      (
        db.prepare("SELECT value FROM settings WHERE key = 'device_adoption_open_until'").get() as {
          value: string
        }
      ).value
    ) as string
    expect(Date.parse(until)).toBeGreaterThanOrEqual(before - 1000)
    expect(Date.parse(until)).toBeLessThanOrEqual(Date.now())
    db.close()
  })

  it('a new installation accepts new dispensers for its first hour', () => {
    const db = openDatabase(join(dir, 'new.db'))
    const until = JSON.parse(
      (
        db.prepare("SELECT value FROM settings WHERE key = 'device_adoption_open_until'").get() as {
          value: string
        }
      ).value
    ) as string
    const minutes = (Date.parse(until) - Date.now()) / 60_000
    expect(minutes).toBeGreaterThan(59)
    expect(minutes).toBeLessThanOrEqual(60)
    db.close()
  })

  it('a token hash is unique and must match its state', () => {
    const db = openDatabase(join(dir, 'c.db'))
    const insert = db.prepare(
      `INSERT INTO device_credentials (device_id, status, token_state, token_hash, first_seen, last_seen)
       VALUES (?, 'adopted', ?, ?, 'x', 'x')`
    )
    insert.run('a', 'active', 'h1')
    expect(() => insert.run('b', 'active', 'h1')).toThrow(/UNIQUE/)
    expect(() => insert.run('c', 'active', null)).toThrow(/CHECK/)
    expect(() => insert.run('d', 'revoked', 'h2')).toThrow(/CHECK/)
    db.close()
  })
})
