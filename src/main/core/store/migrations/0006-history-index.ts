import type { Migration } from './types'

export const historyIndex: Migration = {
  version: 6,
  name: 'index history filtered by device and type',
  up(db) {
    // Without it, "this device's doses" walked every dose of every device (142 ms over 1M events
    // for a new device; see docs/performance.md). With it, a page is a short index range.
    db.exec(
      `CREATE INDEX events_device_type_occurred ON events (device_id, type, occurred_at, id);`
    )
  }
}
