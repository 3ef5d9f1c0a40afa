import type { Migration } from './types'

export const schedules: Migration = {
  version: 4,
  name: 'medication schedules (versioned), device presence and time-zone history',
  up(db) {
    db.exec(`
      -- One row per edit. The id is the version a device is told in its heartbeat: global and
      -- AUTOINCREMENT, so a device that is removed and comes back never sees an old number again.
      CREATE TABLE schedule_versions (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        device_id   TEXT NOT NULL REFERENCES devices (device_id) ON DELETE CASCADE,
        valid_from  TEXT NOT NULL,           -- UTC; in force until the next version's valid_from
        created_at  TEXT NOT NULL
      ) STRICT;
      CREATE INDEX schedule_versions_device ON schedule_versions (device_id, id);

      -- An alarm's identity outlives the versions that edit it, so its history (and the dedupe
      -- key of its missed-dose alerts) follows it through edits.
      CREATE TABLE schedule_alarm_ids (
        id         INTEGER PRIMARY KEY AUTOINCREMENT,
        device_id  TEXT NOT NULL REFERENCES devices (device_id) ON DELETE CASCADE,
        created_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE schedule_alarms (
        version_id  INTEGER NOT NULL REFERENCES schedule_versions (id) ON DELETE CASCADE,
        alarm_id    INTEGER NOT NULL REFERENCES schedule_alarm_ids (id) ON DELETE CASCADE,
        label       TEXT NOT NULL,
        time_of_day TEXT NOT NULL,           -- HH:MM in the family's time zone
        days_mask   INTEGER NOT NULL CHECK (days_mask BETWEEN 1 AND 127), -- bit n = tm_wday n (0 = Sunday)
        compartment INTEGER,
        pill_count  REAL,
        window_min  INTEGER NOT NULL CHECK (window_min BETWEEN 1 AND 1440),
        PRIMARY KEY (version_id, alarm_id)
      ) STRICT;

      -- When each device was reachable: consecutive sightings (heartbeats, events) closer than
      -- offline_after_s extend one interval. A dose with no events at all is "missed" if the
      -- device was reachable then and "unknown" if it was not.
      CREATE TABLE device_presence (
        device_id TEXT NOT NULL REFERENCES devices (device_id) ON DELETE CASCADE,
        start_at  TEXT NOT NULL,
        end_at    TEXT NOT NULL,
        PRIMARY KEY (device_id, start_at)
      ) STRICT;
      INSERT INTO device_presence (device_id, start_at, end_at)
        SELECT device_id, last_seen, last_seen FROM devices;

      -- The family's time zone over time, so past doses keep the local time they had when the
      -- family lived (or travelled) elsewhere.
      CREATE TABLE time_zone_history (
        id         INTEGER PRIMARY KEY,
        time_zone  TEXT NOT NULL,
        valid_from TEXT NOT NULL
      ) STRICT;
    `)
  }
}
