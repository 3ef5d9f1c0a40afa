import Database from 'better-sqlite3'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { openDatabase } from '../../src/main/core/store/db'
import { migrations } from '../../src/main/core/store/migrations/index'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pastillero-m7-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

it('0007 upgrades a version-6 database: devices keep their rows and gain telemetry columns', () => {
  const file = join(dir, 'v6.db')
  // A database as the previous release left it: migrations 1–6 only.
  const raw = new Database(file)
  for (const m of migrations.filter((m) => m.version <= 6)) {
    raw.transaction(() => {
      m.up(raw)
      raw.pragma(`user_version = ${m.version}`)
    })()
  }
  raw
    .prepare(
      `INSERT INTO devices (device_id, name, firmware_version, first_seen, last_seen, heartbeats, chip)
       VALUES ('old-1', 'Cocina', '1.0.0', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', 7, 'ESP32')`
    )
    .run()
  const before = (raw.pragma('table_info(devices)') as Array<{ name: string }>).map((c) => c.name)
  expect(before).not.toContain('rssi')
  raw.close()

  const db = openDatabase(file)
  try {
    expect(db.pragma('user_version', { simple: true })).toBeGreaterThanOrEqual(7)
    const cols = (db.pragma('table_info(devices)') as Array<{ name: string }>).map((c) => c.name)
    expect(cols).toEqual(
      expect.arrayContaining([
        'chip_model',
        'applied_schedule_version',
        'rssi',
        'free_heap',
        'uptime_s',
        'reset_reason'
      ])
    )
    expect(
      db
        .prepare(
          'SELECT name, heartbeats, chip, chip_model, rssi, applied_schedule_version FROM devices'
        )
        .all()
    ).toEqual([
      {
        name: 'Cocina',
        heartbeats: 7,
        chip: 'ESP32',
        chip_model: null,
        rssi: null,
        applied_schedule_version: null
      }
    ])
  } finally {
    db.close()
  }
})
