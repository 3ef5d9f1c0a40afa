import type { Db } from '../store/db'

export interface FirmwareRow {
  id: number
  version: string
  sha256: string
  md5: string
  size: number
  chip: string
  chip_id: number
  project_name: string
  app_version: string
  build_date: string
  build_time: string
  idf_version: string
  file_name: string | null
  notes: string | null
  uploaded_at: string
  target: 'all' | 'devices' | 'percent'
  percent: number | null
  paused: 0 | 1
}

export type NewFirmware = Omit<FirmwareRow, 'id' | 'target' | 'percent' | 'paused'>

export interface OtaStateRow {
  device_id: string
  version: string
  from_version: string | null
  state: 'offered' | 'downloading' | 'installing' | 'rebooting' | 'done' | 'failed'
  detail: string | null
  updated_at: string
}

export type FirmwareRepository = ReturnType<typeof createFirmwareRepository>

/**
 * The firmware feature's tables: firmware, firmware_targets, ota_state, ota_blocked. What it
 * needs of `devices` (chips, running versions) goes through devices/device-firmware-repository.ts.
 */
export function createFirmwareRepository(db: Db) {
  const insert = db.prepare<NewFirmware, FirmwareRow>(`
    INSERT INTO firmware (version, sha256, md5, size, chip, chip_id, project_name, app_version, build_date,
                          build_time, idf_version, file_name, notes, uploaded_at)
    VALUES (@version, @sha256, @md5, @size, @chip, @chip_id, @project_name, @app_version, @build_date,
            @build_time, @idf_version, @file_name, @notes, @uploaded_at)
    RETURNING *`)
  const all = db.prepare<[], FirmwareRow>('SELECT * FROM firmware')
  const byId = db.prepare<[number], FirmwareRow>('SELECT * FROM firmware WHERE id = ?')
  const byVersion = db.prepare<[string], FirmwareRow>('SELECT * FROM firmware WHERE version = ?')
  const bySha = db.prepare<[string], { n: number }>(
    'SELECT COUNT(*) AS n FROM firmware WHERE sha256 = ?'
  )
  const remove = db.prepare<[number]>('DELETE FROM firmware WHERE id = ?')
  const setRelease = db.prepare<{ id: number; target: string; percent: number | null }>(
    'UPDATE firmware SET target = @target, percent = @percent WHERE id = @id'
  )
  const setPaused = db.prepare<[number, number]>('UPDATE firmware SET paused = ? WHERE id = ?')
  const clearTargets = db.prepare<[number]>('DELETE FROM firmware_targets WHERE firmware_id = ?')
  const addTarget = db.prepare<[number, string]>(
    'INSERT OR IGNORE INTO firmware_targets (firmware_id, device_id) VALUES (?, ?)'
  )
  const targets = db.prepare<[number], { device_id: string }>(
    'SELECT device_id FROM firmware_targets WHERE firmware_id = ? ORDER BY device_id'
  )
  const allTargets = db.prepare<[], { firmware_id: number; device_id: string }>(
    'SELECT * FROM firmware_targets'
  )
  const getState = db.prepare<[string], OtaStateRow>('SELECT * FROM ota_state WHERE device_id = ?')
  const allStates = db.prepare<[], OtaStateRow>('SELECT * FROM ota_state')
  const putState = db.prepare<OtaStateRow>(`
    INSERT INTO ota_state (device_id, version, from_version, state, detail, updated_at)
    VALUES (@device_id, @version, @from_version, @state, @detail, @updated_at)
    ON CONFLICT (device_id) DO UPDATE SET version = excluded.version, from_version = excluded.from_version,
      state = excluded.state, detail = excluded.detail, updated_at = excluded.updated_at`)
  const block = db.prepare<[string, string, string]>(
    'INSERT OR REPLACE INTO ota_blocked (device_id, version, failed_at) VALUES (?, ?, ?)'
  )
  const unblock = db.prepare<[string]>('DELETE FROM ota_blocked WHERE device_id = ?')
  const blocked = db.prepare<[string], { version: string }>(
    'SELECT version FROM ota_blocked WHERE device_id = ?'
  )
  return {
    insert: (row: NewFirmware) => insert.get(row)!,
    list: () => all.all(),
    get: (id: number) => byId.get(id),
    byVersion: (version: string) => byVersion.get(version),
    /** Files are stored by content, so two rows may share one; a file goes only with its last row. */
    isFileUsed: (sha256: string) => bySha.get(sha256)!.n > 0,
    remove: (id: number) => remove.run(id).changes > 0,
    setRelease: db.transaction(
      (id: number, target: FirmwareRow['target'], percent: number | null, devices: string[]) => {
        setRelease.run({ id, target, percent })
        clearTargets.run(id)
        for (const d of devices) addTarget.run(id, d)
      }
    ),
    setPaused: (id: number, paused: boolean) => setPaused.run(paused ? 1 : 0, id),
    targets: (id: number) => targets.all(id).map((r) => r.device_id),
    targetsByFirmware(): Map<number, Set<string>> {
      const map = new Map<number, Set<string>>()
      for (const r of allTargets.all()) {
        if (!map.has(r.firmware_id)) map.set(r.firmware_id, new Set())
        map.get(r.firmware_id)!.add(r.device_id)
      }
      return map
    },
    state: (deviceId: string) => getState.get(deviceId),
    states: () => allStates.all(),
    putState: (row: OtaStateRow) => putState.run(row),
    block: (deviceId: string, version: string, at: string) => block.run(deviceId, version, at),
    unblock: (deviceId: string) => unblock.run(deviceId).changes,
    blockedVersions: (deviceId: string) => new Set(blocked.all(deviceId).map((r) => r.version))
  }
}
