import type { Migration } from './types'

export const alerts: Migration = {
  version: 3,
  name: 'alerts, Telegram recipients and the delivery outbox',
  up(db) {
    db.exec(`
      CREATE TABLE alerts (
        id              INTEGER PRIMARY KEY,
        kind            TEXT NOT NULL,
        device_id       TEXT NOT NULL,
        dedupe_key      TEXT NOT NULL UNIQUE,   -- one alert per cause, even across restarts
        params          TEXT NOT NULL,          -- JSON: what the message says (label, times…)
        text            TEXT NOT NULL,          -- the message as sent, in the family's language
        created_at      TEXT NOT NULL,
        acknowledged_at TEXT,
        acknowledged_by TEXT
      ) STRICT;
      CREATE INDEX alerts_device ON alerts (device_id, id);
      CREATE INDEX alerts_open ON alerts (acknowledged_at, id);

      CREATE TABLE telegram_recipients (
        chat_id   TEXT PRIMARY KEY,
        name      TEXT,
        source    TEXT NOT NULL CHECK (source IN ('linked', 'env')),
        linked_at TEXT NOT NULL
      ) STRICT;

      -- Written in the same transaction as its alert; a sender works it off with retries, so an
      -- alert reaches every recipient once even across restarts and Telegram outages.
      CREATE TABLE outbox (
        id              INTEGER PRIMARY KEY,
        alert_id        INTEGER REFERENCES alerts (id) ON DELETE CASCADE,
        chat_id         TEXT NOT NULL,
        action          TEXT NOT NULL CHECK (action IN ('send', 'edit')),
        text            TEXT NOT NULL,
        with_ack_button INTEGER NOT NULL DEFAULT 0,
        status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
        attempts        INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT NOT NULL,
        last_error      TEXT,
        message_id      INTEGER,               -- for 'edit': the message to edit; for 'send': what Telegram returned
        silent          INTEGER,               -- as sent (quiet hours / mute)
        sent_at         TEXT,
        created_at      TEXT NOT NULL
      ) STRICT;
      CREATE INDEX outbox_due ON outbox (status, next_attempt_at, id);
      CREATE INDEX outbox_alert ON outbox (alert_id);
    `)
  }
}
