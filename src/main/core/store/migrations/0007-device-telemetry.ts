import type { Migration } from './types'

/**
 * What a dispenser reports about itself in its heartbeat (issue 11): the chip model as it
 * reported it, the schedule version it applied, and health figures for the device page.
 * `devices.chip` (0002) stays the chip the server trusts for OTA offers; a reported model sets
 * it too, normalised to the family the firmware images name (see devices/chip.ts).
 */
export const deviceTelemetry: Migration = {
  version: 7,
  name: 'device telemetry from the heartbeat',
  up(db) {
    db.exec(`
      ALTER TABLE devices ADD COLUMN chip_model TEXT;
      ALTER TABLE devices ADD COLUMN applied_schedule_version INTEGER;
      ALTER TABLE devices ADD COLUMN rssi INTEGER;
      ALTER TABLE devices ADD COLUMN free_heap INTEGER;
      ALTER TABLE devices ADD COLUMN uptime_s INTEGER;
      ALTER TABLE devices ADD COLUMN reset_reason TEXT;
    `)
  }
}
