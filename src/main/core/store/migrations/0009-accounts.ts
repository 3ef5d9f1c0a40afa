import type { Migration } from './types'

/**
 * Family member accounts. Until now there was one shared admin password (a scrypt hash in the
 * settings table, or ADMIN_PASSWORD): it becomes the first account, an admin named "admin", with
 * the same hash, so nobody has to sign in differently after the upgrade. Sessions, schedule
 * versions and Telegram chats learn who they belong to.
 */
export const accounts: Migration = {
  version: 9,
  name: 'family member accounts; sessions, schedule versions and Telegram chats record who',
  up(db) {
    db.exec(`
      CREATE TABLE accounts (
        id                  INTEGER PRIMARY KEY AUTOINCREMENT,
        name                TEXT NOT NULL UNIQUE COLLATE NOCASE,
        role                TEXT NOT NULL CHECK (role IN ('admin', 'family')),
        -- scrypt$N$r$p$salt$hash; '!' when the password comes from ADMIN_PASSWORD (never stored)
        password_hash       TEXT NOT NULL,
        created_at          TEXT NOT NULL,
        password_changed_at TEXT NOT NULL
      ) STRICT;

      -- A session belongs to one account; removing the account ends its sessions.
      ALTER TABLE sessions ADD COLUMN account_id INTEGER REFERENCES accounts (id) ON DELETE CASCADE;
      CREATE INDEX sessions_account ON sessions (account_id);

      ALTER TABLE schedule_versions ADD COLUMN created_by TEXT;
      ALTER TABLE telegram_recipients ADD COLUMN account_id INTEGER
        REFERENCES accounts (id) ON DELETE SET NULL;
    `)
    const hash = db
      .prepare<[], { value: string }>(
        "SELECT value FROM settings WHERE key = 'admin_password_hash'"
      )
      .get()
    const storedHash = hash ? (JSON.parse(hash.value) as unknown) : undefined
    if (typeof storedHash === 'string') {
      const now = new Date().toISOString()
      const { id } = db
        .prepare<[string, string, string], { id: number }>(
          `INSERT INTO accounts (name, role, password_hash, created_at, password_changed_at)
           VALUES ('admin', 'admin', ?, ?, ?) RETURNING id`
        )
        .get(storedHash, now, now)!
      // Whoever was signed in stays signed in, now as that account.
      db.prepare('UPDATE sessions SET account_id = ?').run(id)
      db.prepare("DELETE FROM settings WHERE key = 'admin_password_hash'").run()
    } else {
      // ADMIN_PASSWORD installs: the account is made at start; old sessions sign in again.
      db.exec('DELETE FROM sessions')
    }
  }
}
