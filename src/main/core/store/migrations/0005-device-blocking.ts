import type { Migration } from './types'

export const deviceBlocking: Migration = {
  version: 5,
  name: 'block devices from the dashboard',
  up(db) {
    db.exec(
      `ALTER TABLE devices ADD COLUMN blocked INTEGER NOT NULL DEFAULT 0 CHECK (blocked IN (0, 1));`
    )
  }
}
