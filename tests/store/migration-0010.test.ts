import Database from 'better-sqlite3'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { openDatabase } from '../../src/main/core/store/db'
import { migrations } from '../../src/main/core/store/migrations/index'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pastillero-m10-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

/** A database as the previous release left it: every migration before 10 applied. */
function databaseBefore10(file: string): void {
  const db = new Database(file)
  for (const m of migrations.filter((m) => m.version < 10)) {
    db.transaction(() => {
      m.up(db)
      db.pragma(`user_version = ${m.version}`)
    })()
  }
  const now = '2026-11-30T08:00:00.000Z'
  db.prepare(
    `INSERT INTO devices (device_id, name, first_seen, last_seen) VALUES ('abuela', 'Abuela', ?, ?)`
  ).run(now, now)
  db.prepare(
    `INSERT INTO alerts (kind, device_id, dedupe_key, params, text, created_at)
     VALUES ('missed_dose', 'abuela', 'missed:1', '{}', 'Abuela: no se tomó', ?)`
  ).run(now)
  db.prepare(
    `INSERT INTO schedule_versions (device_id, valid_from, created_at) VALUES ('abuela', ?, ?)`
  ).run(now, now)
  db.prepare(`INSERT INTO schedule_alarm_ids (device_id, created_at) VALUES ('abuela', ?)`).run(now)
  db.prepare(
    `INSERT INTO schedule_alarms (version_id, alarm_id, label, time_of_day, days_mask, window_min)
     VALUES (1, 1, 'mañana', '08:00', 127, 60)`
  ).run()
  db.close()
}

it('migration 10 upgrades an existing database keeping its alerts and alarms', () => {
  const file = join(dir, 'old.db')
  databaseBefore10(file)
  const db = openDatabase(file)
  expect(db.pragma('user_version', { simple: true })).toBeGreaterThanOrEqual(10)
  // The old alert is still open: not resolved, not acknowledged.
  expect(db.prepare('SELECT text, resolved_at, acknowledged_at FROM alerts').get()).toEqual({
    text: 'Abuela: no se tomó',
    resolved_at: null,
    acknowledged_at: null
  })
  // The alarm is kept; medicine and dose are optional and empty.
  expect(db.prepare('SELECT label, medicine, dose FROM schedule_alarms').get()).toEqual({
    label: 'mañana',
    medicine: null,
    dose: null
  })
  db.prepare("UPDATE schedule_alarms SET medicine = 'Sintrom', dose = '1/2 comprimido'").run()
  db.prepare("UPDATE alerts SET resolved_at = '2026-11-30T08:35:00.000Z'").run()
  // The partial index of unresolved alerts serves the late-dose lookup.
  const plan = db
    .prepare(
      `EXPLAIN QUERY PLAN SELECT id FROM alerts WHERE device_id = 'abuela' AND kind = 'missed_dose'
       AND resolved_at IS NULL`
    )
    .all() as Array<{ detail: string }>
  expect(plan.map((p) => p.detail).join(' ')).toMatch(/alerts_unresolved/)
  db.close()
})
