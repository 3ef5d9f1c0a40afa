import Database from 'better-sqlite3'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { schedules } from '../../src/main/core/store/migrations/0004-schedules'
import { migrations } from '../../src/main/core/store/migrations/index'
import { migrate } from '../../src/main/core/store/db'

describe('migration: schedules', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pastillero-sched-mig-'))
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  it('is listed, after every migration it depends on', () => {
    const index = migrations.indexOf(schedules)
    expect(index).toBeGreaterThan(0)
    expect(
      migrations
        .slice(0, index)
        .map((m) => m.version)
        .every((v) => v < schedules.version)
    ).toBe(true)
  })

  it('upgrades a database from the previous version and seeds presence from last_seen', () => {
    const db = new Database(join(dir, 'old.db'))
    db.pragma('foreign_keys = ON')
    const before = migrations.slice(0, migrations.indexOf(schedules))
    for (const m of before) m.up(db)
    db.pragma(`user_version = ${before.at(-1)!.version}`)
    db.prepare(
      `INSERT INTO devices (device_id, first_seen, last_seen) VALUES ('d1', '2025-01-01T00:00:00.000Z', '2025-03-01T10:00:00.000Z')`
    ).run()

    migrate(db)

    expect(db.pragma('user_version', { simple: true })).toBe(migrations.at(-1)!.version)
    expect(db.prepare('SELECT * FROM device_presence').all()).toEqual([
      { device_id: 'd1', start_at: '2025-03-01T10:00:00.000Z', end_at: '2025-03-01T10:00:00.000Z' }
    ])
    for (const table of [
      'schedule_versions',
      'schedule_alarm_ids',
      'schedule_alarms',
      'time_zone_history'
    ])
      expect(db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get()).toEqual({ n: 0 })
    // Schedules hang off their device: removing it removes them.
    db.prepare(
      `INSERT INTO schedule_versions (device_id, valid_from, created_at) VALUES ('d1', 'x', 'x')`
    ).run()
    db.prepare(`DELETE FROM devices WHERE device_id = 'd1'`).run()
    expect(db.prepare('SELECT COUNT(*) AS n FROM schedule_versions').get()).toEqual({ n: 0 })
    expect(db.prepare('SELECT COUNT(*) AS n FROM device_presence').get()).toEqual({ n: 0 })
    db.close()
  })
})
