import type { Migration } from './types'

export const firmware: Migration = {
  version: 2,
  name: 'firmware store, releases and per-device OTA state',
  up(db) {
    db.exec(`
      CREATE TABLE firmware (
        id            INTEGER PRIMARY KEY,
        version       TEXT NOT NULL UNIQUE,   -- normalised semver
        sha256        TEXT NOT NULL,          -- also the file name under <data>/firmware/
        md5           TEXT NOT NULL,
        size          INTEGER NOT NULL,
        chip          TEXT NOT NULL,
        chip_id       INTEGER NOT NULL,
        project_name  TEXT NOT NULL,
        app_version   TEXT NOT NULL,          -- version[32] from esp_app_desc_t, as built
        build_date    TEXT NOT NULL,
        build_time    TEXT NOT NULL,
        idf_version   TEXT NOT NULL,
        file_name     TEXT,
        notes         TEXT,
        uploaded_at   TEXT NOT NULL,
        target        TEXT NOT NULL DEFAULT 'all' CHECK (target IN ('all', 'devices', 'percent')),
        percent       INTEGER CHECK (percent BETWEEN 0 AND 100),
        paused        INTEGER NOT NULL DEFAULT 0 CHECK (paused IN (0, 1))
      ) STRICT;

      CREATE TABLE firmware_targets (
        firmware_id INTEGER NOT NULL REFERENCES firmware (id) ON DELETE CASCADE,
        device_id   TEXT NOT NULL,
        PRIMARY KEY (firmware_id, device_id)
      ) STRICT;

      -- Where each device is in its latest update. One row per device.
      CREATE TABLE ota_state (
        device_id    TEXT PRIMARY KEY,
        version      TEXT NOT NULL,
        from_version TEXT,
        state        TEXT NOT NULL CHECK (state IN ('offered', 'downloading', 'installing', 'rebooting', 'done', 'failed')),
        detail       TEXT,
        updated_at   TEXT NOT NULL
      ) STRICT;

      -- A version that failed on a device is not offered to it again until someone presses retry.
      CREATE TABLE ota_blocked (
        device_id  TEXT NOT NULL,
        version    TEXT NOT NULL,
        failed_at  TEXT NOT NULL,
        PRIMARY KEY (device_id, version)
      ) STRICT;

      -- The chip a device is known to have (learned from the firmware it installed).
      ALTER TABLE devices ADD COLUMN chip TEXT;
    `)
  }
}
