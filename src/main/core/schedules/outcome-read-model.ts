import type { Db } from '../store/db'

/** The dose-related events of one device, with what matching needs already pulled out. */
export interface DoseEventRow {
  id: number
  type: string
  alarm_label: string | number | null
  occurred_at: string
}

export type OutcomeReadModel = ReturnType<typeof createOutcomeReadModel>

/**
 * A read model: what the schedules feature reads of tables other features own, to compute dose
 * outcomes on read. The events (`events`, the events feature's) say what a dispenser reported;
 * the device names (`devices`, the devices feature's) label reports. Reads only: nothing here
 * writes, and the owning features stay free to add columns.
 */
export function createOutcomeReadModel(db: Db) {
  const deviceRow = db.prepare<[string], { device_id: string; name: string | null }>(
    'SELECT device_id, COALESCE(display_name, name) AS name FROM devices WHERE device_id = ?'
  )
  const deviceRows = db.prepare<[], { device_id: string; name: string | null }>(
    `SELECT device_id, COALESCE(display_name, name) AS name FROM devices
     ORDER BY COALESCE(display_name, name, device_id) COLLATE NOCASE, device_id`
  )
  const doseEvents = db.prepare<{ device_id: string; from: string; to: string }, DoseEventRow>(`
    SELECT id, type, json_extract(payload, '$.alarm_label') AS alarm_label, occurred_at
    FROM events
    WHERE device_id = @device_id AND occurred_at >= @from AND occurred_at < @to
      AND type IN ('alarm_triggered', 'alarm_ack', 'dose_taken')
    ORDER BY occurred_at, id`)
  // Any event at all proves the device was alive at its time, whatever its type.
  const eventTimes = db.prepare<{ device_id: string; from: string; to: string }, { at: string }>(`
    SELECT occurred_at AS at FROM events
    WHERE device_id = @device_id AND occurred_at >= @from AND occurred_at < @to`)

  return {
    device(deviceId: string) {
      return deviceRow.get(deviceId)
    },
    devices() {
      return deviceRows.all()
    },
    doseEvents(deviceId: string, from: string, to: string): DoseEventRow[] {
      return doseEvents.all({ device_id: deviceId, from, to })
    },
    /** When the device reported anything at all in [from, to): proof it was alive then. */
    eventTimes(deviceId: string, from: string, to: string): string[] {
      return eventTimes.all({ device_id: deviceId, from, to }).map((r) => r.at)
    }
  }
}
