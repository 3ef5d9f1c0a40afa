/**
 * One upgrade test per migration (store/migrations/README.md): a database at version N−1 with
 * data, upgraded, the data intact and the new shape in place. A new migration gets its case in
 * UPGRADES below, or a file of its own in tests/store that names it ("migration NNNN" or
 * migration-NNNN…); the last test checks.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { migrations } from '../../src/main/core/store/migrations/index'
import {
  columns,
  databaseAt,
  indexNames,
  integrity,
  rows,
  tableNames,
  upgradeTo,
  upgradeToLatest,
  type RawDb
} from './migration-harness'

const T0 = '2025-03-01T10:00:00.000Z'

/** Data every version from 1 on can hold: a device with history, a command, a setting, a session. */
function seedV1(db: RawDb): void {
  db.exec(`
    INSERT INTO devices (device_id, name, display_name, firmware_version, ip_address, status,
                         first_seen, last_seen, heartbeats)
      VALUES ('d1', 'ESP32-Cocina', 'Cocina', '1.0.0', '192.168.1.50', 'online',
              '2025-01-01T00:00:00.000Z', '${T0}', 42);
    INSERT INTO events (device_id, type, payload, occurred_at, event_id, received_at)
      VALUES ('d1', 'dose_taken', '{"alarm_label":"Mañana"}', '${T0}', 'e-1', '${T0}');
    INSERT INTO commands (device_id, command, status, requested_at)
      VALUES ('d1', 'reboot', 'pending', '${T0}');
    INSERT INTO settings (key, value, updated_at) VALUES ('time_zone', '"Europe/Madrid"', '${T0}');
    INSERT INTO sessions (token_hash, created_at, expires_at, label)
      VALUES ('abc', '${T0}', '2099-01-01T00:00:00.000Z', 'browser');
  `)
}

/** What seedV1 wrote, read back with the columns version 1 had. */
function expectV1Data(db: RawDb): void {
  expect(
    rows(
      db,
      'SELECT device_id, name, display_name, firmware_version, ip_address, heartbeats FROM devices'
    )
  ).toEqual([
    {
      device_id: 'd1',
      name: 'ESP32-Cocina',
      display_name: 'Cocina',
      firmware_version: '1.0.0',
      ip_address: '192.168.1.50',
      heartbeats: 42
    }
  ])
  expect(rows(db, 'SELECT type, payload, event_id FROM events')).toEqual([
    { type: 'dose_taken', payload: '{"alarm_label":"Mañana"}', event_id: 'e-1' }
  ])
  expect(rows(db, 'SELECT command, status FROM commands')).toEqual([
    { command: 'reboot', status: 'pending' }
  ])
  expect(rows(db, 'SELECT key, value FROM settings')).toEqual([
    { key: 'time_zone', value: '"Europe/Madrid"' }
  ])
  expect(rows(db, 'SELECT token_hash, label FROM sessions')).toEqual([
    { token_hash: 'abc', label: 'browser' }
  ])
}

interface Upgrade {
  /** Fills the database at version N−1. */
  seed?: (db: RawDb) => void
  /** After the upgrade: the data intact and migration N's shape in place. */
  check: (db: RawDb) => void
}

const UPGRADES: Record<number, Upgrade> = {
  1: {
    // Version 0 is a new, empty file: nothing to keep, everything to create.
    check(db) {
      expect(tableNames(db)).toEqual(
        expect.arrayContaining(['commands', 'devices', 'events', 'sessions', 'settings'])
      )
      expect(indexNames(db, 'events')).toEqual(
        expect.arrayContaining([
          'events_device_event_id',
          'events_device_occurred',
          'events_occurred',
          'events_type_occurred'
        ])
      )
      // A retried event is stored once per device.
      const add = db.prepare(
        `INSERT INTO events (device_id, type, occurred_at, event_id, received_at)
         VALUES ('d', 't', 'x', 'same', 'x')`
      )
      add.run()
      expect(() => add.run()).toThrow(/UNIQUE/)
    }
  },
  2: {
    seed: seedV1,
    check(db) {
      expectV1Data(db)
      expect(tableNames(db)).toEqual(
        expect.arrayContaining(['firmware', 'firmware_targets', 'ota_blocked', 'ota_state'])
      )
      expect(columns(db, 'devices')).toContain('chip')
      expect(rows(db, 'SELECT chip FROM devices')).toEqual([{ chip: null }])
      for (const table of ['firmware', 'ota_state', 'ota_blocked'])
        expect(rows(db, `SELECT COUNT(*) AS n FROM ${table}`)).toEqual([{ n: 0 }])
    }
  },
  3: {
    seed(db) {
      seedV1(db)
      db.exec(`
        INSERT INTO firmware (version, sha256, md5, size, chip, chip_id, project_name, app_version,
                              build_date, build_time, idf_version, uploaded_at)
          VALUES ('1.1.0', 'aa', 'bb', 1000, 'ESP32', 0, 'pastillero', '1.1.0',
                  'Mar  1 2025', '10:00:00', 'v5.1', '${T0}');
        INSERT INTO ota_state (device_id, version, state, updated_at)
          VALUES ('d1', '1.1.0', 'failed', '${T0}');
      `)
    },
    check(db) {
      expectV1Data(db)
      expect(rows(db, 'SELECT version, target, paused FROM firmware')).toEqual([
        { version: '1.1.0', target: 'all', paused: 0 }
      ])
      expect(rows(db, 'SELECT state FROM ota_state')).toEqual([{ state: 'failed' }])
      expect(tableNames(db)).toEqual(
        expect.arrayContaining(['alerts', 'outbox', 'telegram_recipients'])
      )
      // An alert and its outbox row go together: deleting the alert removes its deliveries.
      db.exec(`
        INSERT INTO alerts (id, kind, device_id, dedupe_key, params, text, created_at)
          VALUES (1, 'ota_failed', 'd1', 'k', '{}', 'falló', '${T0}');
        INSERT INTO outbox (alert_id, chat_id, action, text, next_attempt_at, created_at)
          VALUES (1, '5550001', 'send', 'falló', '${T0}', '${T0}');
        DELETE FROM alerts WHERE id = 1;
      `)
      expect(rows(db, 'SELECT COUNT(*) AS n FROM outbox')).toEqual([{ n: 0 }])
    }
  },
  4: {
    seed(db) {
      seedV1(db)
      db.exec(`
        INSERT INTO alerts (kind, device_id, dedupe_key, params, text, created_at)
          VALUES ('device_offline', 'd1', 'off-1', '{}', 'sin conexión', '${T0}');
      `)
    },
    check(db) {
      expectV1Data(db)
      expect(rows(db, 'SELECT dedupe_key FROM alerts')).toEqual([{ dedupe_key: 'off-1' }])
      // Presence is seeded from what was known: the device's last sighting.
      expect(rows(db, 'SELECT * FROM device_presence')).toEqual([
        { device_id: 'd1', start_at: T0, end_at: T0 }
      ])
      for (const table of [
        'schedule_versions',
        'schedule_alarm_ids',
        'schedule_alarms',
        'time_zone_history'
      ])
        expect(rows(db, `SELECT COUNT(*) AS n FROM ${table}`)).toEqual([{ n: 0 }])
      // Schedules hang off their device: removing it removes them (and its presence).
      db.exec(`
        INSERT INTO schedule_versions (device_id, valid_from, created_at) VALUES ('d1', 'x', 'x');
        DELETE FROM commands;
        DELETE FROM devices WHERE device_id = 'd1';
      `)
      expect(rows(db, 'SELECT COUNT(*) AS n FROM schedule_versions')).toEqual([{ n: 0 }])
      expect(rows(db, 'SELECT COUNT(*) AS n FROM device_presence')).toEqual([{ n: 0 }])
    }
  },
  5: {
    seed(db) {
      seedV1(db)
      db.exec(`
        INSERT INTO schedule_versions (device_id, valid_from, created_at) VALUES ('d1', '${T0}', '${T0}');
        INSERT INTO time_zone_history (time_zone, valid_from) VALUES ('Europe/Madrid', '${T0}');
      `)
    },
    check(db) {
      expectV1Data(db)
      expect(rows(db, 'SELECT device_id FROM schedule_versions')).toEqual([{ device_id: 'd1' }])
      expect(rows(db, 'SELECT time_zone FROM time_zone_history')).toEqual([
        { time_zone: 'Europe/Madrid' }
      ])
      expect(columns(db, 'devices')).toContain('blocked')
      // Existing devices are not blocked; the flag is 0 or 1 only.
      expect(rows(db, 'SELECT blocked FROM devices')).toEqual([{ blocked: 0 }])
      expect(() => db.exec(`UPDATE devices SET blocked = 2`)).toThrow(/CHECK/)
    }
  },
  6: {
    seed(db) {
      seedV1(db)
      db.exec(`UPDATE devices SET blocked = 1`)
    },
    check(db) {
      expectV1Data(db)
      expect(rows(db, 'SELECT blocked FROM devices')).toEqual([{ blocked: 1 }])
      expect(indexNames(db, 'events')).toContain('events_device_type_occurred')
      // "This device's doses, newest first" is a range of the new index, not a walk.
      const plan = rows(
        db,
        `EXPLAIN QUERY PLAN SELECT id FROM events WHERE device_id = 'd1' AND type = 'dose_taken'
         ORDER BY occurred_at DESC, id DESC LIMIT 50`
      ) as Array<{ detail: string }>
      expect(plan.map((p) => p.detail).join('; ')).toMatch(/events_device_type_occurred/)
    }
  },
  9: {
    seed(db) {
      seedV1(db)
      db.exec(`
        INSERT INTO settings (key, value, updated_at)
          VALUES ('admin_password_hash', '"scrypt$32768$8$1$c2FsdA$aGFzaA"', '${T0}');
        INSERT INTO schedule_versions (device_id, valid_from, created_at) VALUES ('d1', '${T0}', '${T0}');
        INSERT INTO telegram_recipients (chat_id, name, source, linked_at)
          VALUES ('5550001', 'Ana', 'linked', '${T0}');
      `)
    },
    check(db) {
      // The shared password becomes the "admin" account with the same hash (nobody signs in
      // differently), and whoever was signed in stays signed in, as that account.
      expect(rows(db, 'SELECT id, name, role, password_hash FROM accounts')).toEqual([
        { id: 1, name: 'admin', role: 'admin', password_hash: 'scrypt$32768$8$1$c2FsdA$aGFzaA' }
      ])
      expect(rows(db, 'SELECT token_hash, label, account_id FROM sessions')).toEqual([
        { token_hash: 'abc', label: 'browser', account_id: 1 }
      ])
      const keys = rows(db, 'SELECT key FROM settings').map((r) => (r as { key: string }).key)
      expect(keys).toContain('time_zone')
      expect(keys).not.toContain('admin_password_hash') // moved into the account, not kept twice
      expect(rows(db, 'SELECT device_id, created_by FROM schedule_versions')).toEqual([
        { device_id: 'd1', created_by: null }
      ])
      expect(rows(db, 'SELECT chat_id, name, account_id FROM telegram_recipients')).toEqual([
        { chat_id: '5550001', name: 'Ana', account_id: null }
      ])
      expect(rows(db, 'SELECT heartbeats FROM devices')).toEqual([{ heartbeats: 42 }])
      expect(rows(db, 'SELECT COUNT(*) AS n FROM events')).toEqual([{ n: 1 }])
    }
  }
}

describe('every migration upgrades a database at the version before it', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pastillero-upgrade-'))
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  for (const [version, { seed, check }] of Object.entries(UPGRADES)) {
    const m = migrations.find((m) => m.version === Number(version))!
    it(`${String(version).padStart(4, '0')} ${m.name}`, () => {
      const db = databaseAt(dir, m.version - 1)
      try {
        seed?.(db)
        upgradeTo(db, m.version)
        expect(integrity(db)).toBe('ok')
        check(db)
      } finally {
        db.close()
      }
    })
  }

  it("a database from the first release upgrades through every migration with the app's migrate()", () => {
    const db = databaseAt(dir, 1)
    try {
      seedV1(db)
      upgradeToLatest(db)
      expect(integrity(db)).toBe('ok')
      expect(rows(db, 'PRAGMA foreign_key_check')).toEqual([])
      expect(rows(db, 'SELECT device_id, heartbeats FROM devices')).toEqual([
        { device_id: 'd1', heartbeats: 42 }
      ])
      expect(rows(db, 'SELECT type, event_id FROM events')).toEqual([
        { type: 'dose_taken', event_id: 'e-1' }
      ])
      expect(rows(db, 'SELECT command, status FROM commands')).toEqual([
        { command: 'reboot', status: 'pending' }
      ])
    } finally {
      db.close()
    }
  })

  it('has an upgrade test for every migration', () => {
    // A case above, or a file here that names the migration (migration-0007.test.ts,
    // describe('migration 0008: …')).
    const ownFiles = readdirSync(import.meta.dirname)
      .filter((name) => name.endsWith('.test.ts') && name !== 'migration-upgrades.test.ts')
      .flatMap((name) => {
        const text = `${name}\n${readFileSync(join(import.meta.dirname, name), 'utf8')}`
        return [...text.matchAll(/migration[ -](\d{4})\b/gi)].map((match) => Number(match[1]))
      })
    const covered = new Set([...Object.keys(UPGRADES).map(Number), ...ownFiles])
    const missing = migrations.map((m) => m.version).filter((v) => !covered.has(v))
    expect(missing, 'migrations without an upgrade test').toEqual([])
  })
})
