import type { Db } from '../store/db'

export interface VersionRow {
  id: number
  device_id: string
  valid_from: string
  created_at: string
  /** The account that saved it (null before accounts existed). */
  created_by: string | null
}

export interface AlarmRow {
  version_id: number
  alarm_id: number
  label: string
  time_of_day: string
  days_mask: number
  compartment: number | null
  pill_count: number | null
  window_min: number
  medicine: string | null
  dose: string | null
}

export type NewAlarm = Omit<AlarmRow, 'version_id'>

export interface PresenceRow {
  device_id: string
  start_at: string
  end_at: string
}

export interface ZoneRow {
  id: number
  time_zone: string
  valid_from: string
}

export type ScheduleRepository = ReturnType<typeof createScheduleRepository>

const PRESENCE_RESOLUTION_MS = 60_000

/**
 * The schedules feature's own tables: schedule_versions, schedule_alarms, schedule_alarm_ids,
 * device_presence and time_zone_history. What it reads of other features' tables (device
 * names, events) is in ./outcome-read-model.ts.
 */
export function createScheduleRepository(db: Db) {
  const versionsOf = db.prepare<[string], VersionRow>(
    'SELECT * FROM schedule_versions WHERE device_id = ? ORDER BY id'
  )
  const latestVersion = db.prepare<[string], VersionRow>(
    'SELECT * FROM schedule_versions WHERE device_id = ? ORDER BY id DESC LIMIT 1'
  )
  const latestVersions = db.prepare<[], [string, number]>(
    'SELECT device_id, MAX(id) FROM schedule_versions GROUP BY device_id'
  )
  const alarmsOfDevice = db.prepare<[string], AlarmRow>(`
    SELECT a.* FROM schedule_alarms a JOIN schedule_versions v ON v.id = a.version_id
    WHERE v.device_id = ? ORDER BY a.version_id, a.time_of_day, a.label, a.alarm_id`)
  const alarmsOfVersion = db.prepare<[number], AlarmRow>(
    'SELECT * FROM schedule_alarms WHERE version_id = ? ORDER BY time_of_day, label, alarm_id'
  )
  const devicesWithSchedules = db.prepare<[], { device_id: string }>(
    'SELECT DISTINCT device_id FROM schedule_versions ORDER BY device_id'
  )
  const insertVersion = db.prepare<
    { device_id: string; valid_from: string; created_at: string; created_by: string | null },
    { id: number }
  >(
    `INSERT INTO schedule_versions (device_id, valid_from, created_at, created_by)
     VALUES (@device_id, @valid_from, @created_at, @created_by) RETURNING id`
  )
  const insertAlarmId = db.prepare<{ device_id: string; created_at: string }, { id: number }>(
    'INSERT INTO schedule_alarm_ids (device_id, created_at) VALUES (@device_id, @created_at) RETURNING id'
  )
  const insertAlarm = db.prepare<AlarmRow>(`
    INSERT INTO schedule_alarms
      (version_id, alarm_id, label, time_of_day, days_mask, compartment, pill_count, window_min,
       medicine, dose)
    VALUES
      (@version_id, @alarm_id, @label, @time_of_day, @days_mask, @compartment, @pill_count,
       @window_min, @medicine, @dose)`)

  const lastPresence = db.prepare<[string], PresenceRow>(
    'SELECT * FROM device_presence WHERE device_id = ? ORDER BY start_at DESC LIMIT 1'
  )
  const extendPresence = db.prepare<{ device_id: string; start_at: string; end_at: string }>(
    'UPDATE device_presence SET end_at = @end_at WHERE device_id = @device_id AND start_at = @start_at'
  )
  // A sighting of a device the devices table does not hold (removed meanwhile) is dropped
  // instead of failing the caller's foreign key (the one look at `devices`: the key's guard).
  const insertPresence = db.prepare<{ device_id: string; at: string }>(`
    INSERT INTO device_presence (device_id, start_at, end_at)
    SELECT @device_id, @at, @at WHERE EXISTS (SELECT 1 FROM devices WHERE device_id = @device_id)
    ON CONFLICT (device_id, start_at) DO NOTHING`)
  const presenceBetween = db.prepare<{ device_id: string; from: string; to: string }, PresenceRow>(`
    SELECT * FROM device_presence
    WHERE device_id = @device_id AND start_at <= @to AND end_at >= @from
    ORDER BY start_at`)

  const zones = db.prepare<[], ZoneRow>('SELECT * FROM time_zone_history ORDER BY id')
  const lastZone = db.prepare<[], ZoneRow>(
    'SELECT * FROM time_zone_history ORDER BY id DESC LIMIT 1'
  )
  const insertZone = db.prepare<{ time_zone: string; valid_from: string }>(
    'INSERT INTO time_zone_history (time_zone, valid_from) VALUES (@time_zone, @valid_from)'
  )

  return {
    versions(deviceId: string): VersionRow[] {
      return versionsOf.all(deviceId)
    },
    latestVersion(deviceId: string): VersionRow | undefined {
      return latestVersion.get(deviceId)
    },
    /** Every device that has a schedule, with its latest version's id. */
    latestVersions(): Array<[string, number]> {
      return latestVersions.raw().all()
    },
    alarmsOfDevice(deviceId: string): AlarmRow[] {
      return alarmsOfDevice.all(deviceId)
    },
    alarmsOfVersion(versionId: number): AlarmRow[] {
      return alarmsOfVersion.all(versionId)
    },
    devicesWithSchedules(): string[] {
      return devicesWithSchedules.all().map((r) => r.device_id)
    },
    /** Writes a version and its alarms; the caller runs it in a transaction. */
    insertVersion(
      deviceId: string,
      validFrom: string,
      createdAt: string,
      alarms: NewAlarm[],
      createdBy: string | null = null
    ) {
      const { id } = insertVersion.get({
        device_id: deviceId,
        valid_from: validFrom,
        created_at: createdAt,
        created_by: createdBy
      })!
      for (const alarm of alarms) insertAlarm.run({ ...alarm, version_id: id })
      return id
    },
    newAlarmId(deviceId: string, createdAt: string): number {
      return insertAlarmId.get({ device_id: deviceId, created_at: createdAt })!.id
    },
    /**
     * Records that the device was heard from at `at`. A sighting within `gapMs` of the open
     * interval's end extends it; anything later starts a new interval.
     */
    recordSighting(deviceId: string, at: string, gapMs: number): void {
      const last = lastPresence.get(deviceId)
      if (last && at >= last.start_at) {
        if (at <= last.end_at) return
        const since = Date.parse(at) - Date.parse(last.end_at)
        // Presence only needs minute-level precision (dose windows are an hour), so an interval
        // is stretched at most once a minute instead of on every heartbeat.
        if (since < PRESENCE_RESOLUTION_MS) return
        if (since <= gapMs) {
          extendPresence.run({ device_id: deviceId, start_at: last.start_at, end_at: at })
          return
        }
      }
      insertPresence.run({ device_id: deviceId, at })
    },
    presence(deviceId: string, from: string, to: string): PresenceRow[] {
      return presenceBetween.all({ device_id: deviceId, from, to })
    },
    zones(): ZoneRow[] {
      return zones.all()
    },
    lastZone(): ZoneRow | undefined {
      return lastZone.get()
    },
    insertZone(timeZone: string, validFrom: string): void {
      insertZone.run({ time_zone: timeZone, valid_from: validFrom })
    }
  }
}
