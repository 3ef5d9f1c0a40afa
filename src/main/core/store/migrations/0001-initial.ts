import type { Migration } from './types'

export const initial: Migration = {
  version: 1,
  name: 'devices, events, commands, settings, sessions',
  up(db) {
    db.exec(`
      CREATE TABLE settings (
        key        TEXT PRIMARY KEY,
        value      TEXT NOT NULL,          -- JSON
        updated_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE devices (
        device_id        TEXT PRIMARY KEY,
        name             TEXT,             -- as the device reports it
        display_name     TEXT,             -- as the family renamed it in the dashboard
        firmware_version TEXT,
        ip_address       TEXT,
        status           TEXT,             -- what the device reported ("online" in the seed)
        first_seen       TEXT NOT NULL,
        last_seen        TEXT NOT NULL,
        heartbeats       INTEGER NOT NULL DEFAULT 0
      ) STRICT;

      CREATE TABLE events (
        id          INTEGER PRIMARY KEY,
        device_id   TEXT NOT NULL,
        type        TEXT NOT NULL,
        payload     TEXT,                  -- JSON object or NULL
        device_time TEXT,                  -- the device's own clock, when it sent one
        occurred_at TEXT NOT NULL,         -- device_time when plausible, else received_at
        event_id    TEXT,                  -- made by the device so a retried POST is stored once
        received_at TEXT NOT NULL
      ) STRICT;
      CREATE UNIQUE INDEX events_device_event_id ON events (device_id, event_id)
        WHERE event_id IS NOT NULL;
      -- History is read newest first with keyset pagination on (occurred_at, id).
      CREATE INDEX events_occurred ON events (occurred_at, id);
      CREATE INDEX events_device_occurred ON events (device_id, occurred_at, id);
      CREATE INDEX events_type_occurred ON events (type, occurred_at, id);

      CREATE TABLE commands (
        id           INTEGER PRIMARY KEY,
        device_id    TEXT NOT NULL REFERENCES devices (device_id) ON DELETE CASCADE,
        command      TEXT NOT NULL,
        status       TEXT NOT NULL CHECK (status IN ('pending', 'delivered')),
        requested_at TEXT NOT NULL,
        delivered_at TEXT
      ) STRICT;
      CREATE INDEX commands_pending ON commands (device_id, status, id);

      CREATE TABLE sessions (
        token_hash TEXT PRIMARY KEY,       -- sha256 of the cookie value; the token itself is never stored
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        label      TEXT NOT NULL           -- 'browser' or 'desktop'
      ) STRICT;
    `)
  }
}
