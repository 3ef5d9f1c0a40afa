import type { Migration } from './types'

export const familyView: Migration = {
  version: 10,
  name: 'alerts close themselves; alarms name their medicine and dose',
  up(db) {
    db.exec(`
      -- A missed-dose alert whose dose arrives later is closed by the dose itself, not by a
      -- person: resolved_at says when. "Open" means neither acknowledged nor resolved; a late dose
      -- looks up the unresolved missed alerts of its device.
      ALTER TABLE alerts ADD COLUMN resolved_at TEXT;
      CREATE INDEX alerts_unresolved ON alerts (device_id, kind, created_at) WHERE resolved_at IS NULL;

      -- Optional words for the doctor's report and the "Hoy" page ("Sintrom", "1/2 comprimido").
      ALTER TABLE schedule_alarms ADD COLUMN medicine TEXT;
      ALTER TABLE schedule_alarms ADD COLUMN dose TEXT;
    `)
  }
}
