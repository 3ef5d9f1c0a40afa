import type { Db } from '../store/db'

export type DeviceFirmwareRepository = ReturnType<typeof createDeviceFirmwareRepository>

/**
 * The firmware side of the `devices` table: which chip each dispenser has and which versions
 * the fleet runs. The devices feature owns the table; the firmware service reads and records
 * these through here (core.ts passes it), so no firmware SQL touches `devices`.
 */
export function createDeviceFirmwareRepository(db: Db) {
  const runningCounts = db.prepare<[], { firmware_version: string; n: number }>(
    'SELECT firmware_version, COUNT(*) AS n FROM devices WHERE firmware_version IS NOT NULL GROUP BY firmware_version'
  )
  const setChip = db.prepare<[string, string]>('UPDATE devices SET chip = ? WHERE device_id = ?')
  const chip = db.prepare<[string], { chip: string | null }>(
    'SELECT chip FROM devices WHERE device_id = ?'
  )
  return {
    /** How many devices run each firmware version. */
    runningCounts: () => new Map(runningCounts.all().map((r) => [r.firmware_version, r.n])),
    /** Records the chip a device proved to have (by installing a build for it). */
    setChip: (deviceId: string, value: string) => setChip.run(value, deviceId),
    chip: (deviceId: string) => chip.get(deviceId)?.chip ?? null
  }
}
