import type { Migration } from './types'

/** How long "accept new dispensers" stays open after the first setup. */
export const FIRST_SETUP_ADOPTION_MS = 60 * 60 * 1000

export const deviceCredentials: Migration = {
  version: 8,
  name: 'device credentials: adoption and per-device tokens',
  up(db) {
    // One row per device id the server has heard of with the enrolment key: pending (waiting for
    // the family to adopt it) or adopted. token_hash is the SHA-256 (hex) of the device's own
    // token; the token itself is never stored. token_state: none (uses the enrolment key),
    // issued (handed out, not used yet: the enrolment key still works, in case the answer was
    // lost), active (the enrolment key no longer authenticates this id), revoked (neither does).
    db.exec(`
      CREATE TABLE device_credentials (
        device_id        TEXT PRIMARY KEY,
        status           TEXT NOT NULL CHECK (status IN ('pending', 'adopted')),
        adopted_at       TEXT,
        adopted_by       TEXT,
        token_state      TEXT NOT NULL DEFAULT 'none'
                         CHECK (token_state IN ('none', 'issued', 'active', 'revoked')),
        token_hash       TEXT,
        token_issued_at  TEXT,
        token_used_at    TEXT,
        first_seen       TEXT NOT NULL,
        last_seen        TEXT NOT NULL,
        reported_name    TEXT,
        firmware_version TEXT,
        ip_address       TEXT,
        attempts         INTEGER NOT NULL DEFAULT 0,
        CHECK ((token_state IN ('issued', 'active')) = (token_hash IS NOT NULL))
      ) STRICT;
      CREATE UNIQUE INDEX device_credentials_token ON device_credentials (token_hash)
        WHERE token_hash IS NOT NULL;
    `)
    // Every dispenser already known was trusted under the shared key: it stays adopted, so an
    // upgrade changes nothing for existing firmware.
    db.exec(`
      INSERT INTO device_credentials (device_id, status, adopted_at, adopted_by, first_seen, last_seen,
                                      reported_name, firmware_version, ip_address)
      SELECT device_id, 'adopted', last_seen, 'upgrade', first_seen, last_seen,
             name, firmware_version, ip_address
      FROM devices;
    `)
    // "Accept new dispensers" is open for the first hour of a new installation only. An upgraded
    // one that already has dispensers starts closed: new ones wait in the dashboard's list.
    const known = (db.prepare('SELECT COUNT(*) AS n FROM devices').get() as { n: number }).n
    const now = Date.now()
    const until = new Date(known === 0 ? now + FIRST_SETUP_ADOPTION_MS : now).toISOString()
    db.prepare(
      `INSERT INTO settings (key, value, updated_at) VALUES ('device_adoption_open_until', ?, ?)
       ON CONFLICT (key) DO NOTHING`
    ).run(JSON.stringify(until), new Date(now).toISOString())
  }
}
