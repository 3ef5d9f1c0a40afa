import type { Db } from '../store/db'

export interface DeviceRow {
  device_id: string
  name: string | null
  display_name: string | null
  firmware_version: string | null
  ip_address: string | null
  status: string | null
  first_seen: string
  last_seen: string
  heartbeats: number
  chip: string | null
  blocked: 0 | 1
  chip_model: string | null
  applied_schedule_version: number | null
  rssi: number | null
  free_heap: number | null
  uptime_s: number | null
  reset_reason: string | null
}

/** What a heartbeat says about the device itself (issue 11); every field optional. */
export interface HeartbeatTelemetry {
  /** As reported; `chip` is its family (devices/chip.ts), which OTA offers trust. */
  chip_model?: string
  chip?: string
  /** undefined: not sent (keep); null: sent as "none applied". */
  schedule_version?: number | null
  rssi?: number | null
  free_heap?: number | null
  uptime_s?: number | null
  reset_reason?: string
}

/**
 * The device columns a heartbeat reports, in the order the upsert writes them. A feature that
 * adds a reported field adds its column here (and to `heartbeatColumns()` in the service): the
 * batch upsert is built from this list. A value left out (undefined or null) keeps the stored one.
 */
export const HEARTBEAT_COLUMNS = [
  'name',
  'firmware_version',
  'ip_address',
  'status',
  // telemetry (issue 11): a reported chip overrides the learned one (it is first-hand)
  'chip_model',
  'chip',
  'rssi',
  'free_heap',
  'uptime_s',
  'reset_reason'
] as const
/**
 * Columns where a value sent replaces the stored one even when it is null ("none applied"); not
 * sent (undefined) keeps it.
 */
export const HEARTBEAT_SET_COLUMNS = ['applied_schedule_version'] as const
export type HeartbeatColumn =
  (typeof HEARTBEAT_COLUMNS)[number] | (typeof HEARTBEAT_SET_COLUMNS)[number]
export type HeartbeatColumns = Partial<Record<HeartbeatColumn, string | number | null>>

/** Folds newer reported values into older ones, as the upsert would. */
export function mergeColumns(into: HeartbeatColumns, newer: HeartbeatColumns): void {
  for (const c of HEARTBEAT_COLUMNS) if (newer[c] != null) into[c] = newer[c]
  for (const c of HEARTBEAT_SET_COLUMNS) if (newer[c] !== undefined) into[c] = newer[c]
}

/** One device's heartbeats since the last batch, coalesced: the latest values and a count. */
export interface CoalescedHeartbeat {
  device_id: string
  columns: HeartbeatColumns
  /** ISO-8601 of the first and the last heartbeat held. */
  first: string
  last: string
  count: number
}

export type DeviceRepository = ReturnType<typeof createDeviceRepository>

export function createDeviceRepository(db: Db) {
  // Fields the device did not send keep their last value (COALESCE), so a minimal heartbeat
  // does not wipe the name or firmware version. No RETURNING: the row is read back only when
  // needed. last_seen never moves back: an event may have been written meanwhile.
  const columns = [...HEARTBEAT_COLUMNS, ...HEARTBEAT_SET_COLUMNS]
  const upsertHeartbeat = db.prepare<Record<string, string | number | null>>(`
    INSERT INTO devices (device_id, ${columns.join(', ')}, first_seen, last_seen, heartbeats)
    VALUES (@device_id, ${columns.map((c) => `@${c}`).join(', ')}, @first, @last, @count)
    ON CONFLICT (device_id) DO UPDATE SET
      ${HEARTBEAT_COLUMNS.map((c) => `${c} = COALESCE(excluded.${c}, devices.${c}),`).join('\n      ')}
      ${HEARTBEAT_SET_COLUMNS.map((c) => `${c} = CASE WHEN @${c}_sent THEN excluded.${c} ELSE devices.${c} END,`).join('\n      ')}
      last_seen  = MAX(devices.last_seen, excluded.last_seen),
      heartbeats = devices.heartbeats + excluded.heartbeats`)
  const touch = db.prepare<{ device_id: string; ip_address: string | null; now: string }>(`
    INSERT INTO devices (device_id, ip_address, first_seen, last_seen)
    VALUES (@device_id, @ip_address, @now, @now)
    ON CONFLICT (device_id) DO UPDATE SET last_seen = MAX(devices.last_seen, excluded.last_seen)`)
  const lastSeenAll = db.prepare<[], { device_id: string; last_seen: string }>(
    'SELECT device_id, last_seen FROM devices'
  )
  const params: Record<string, string | number | null> = {}
  const byId = db.prepare<[string], DeviceRow>('SELECT * FROM devices WHERE device_id = ?')
  const all = db.prepare<[], DeviceRow>(
    'SELECT * FROM devices ORDER BY COALESCE(display_name, name, device_id) COLLATE NOCASE, device_id'
  )
  const rename = db.prepare<{ device_id: string; display_name: string | null }>(
    'UPDATE devices SET display_name = @display_name WHERE device_id = @device_id'
  )
  const remove = db.prepare<[string]>('DELETE FROM devices WHERE device_id = ?')
  const setBlocked = db.prepare<[number, string]>(
    'UPDATE devices SET blocked = ? WHERE device_id = ?'
  )
  const blocked = db.prepare<[], { device_id: string }>(
    'SELECT device_id FROM devices WHERE blocked = 1'
  )

  return {
    /** Writes one device's coalesced heartbeats, without reading the row back. */
    recordHeartbeats(beat: CoalescedHeartbeat): void {
      // One parameter object reused for every row of a batch: nothing allocated per device.
      params.device_id = beat.device_id
      for (const c of HEARTBEAT_COLUMNS) params[c] = beat.columns[c] ?? null
      for (const c of HEARTBEAT_SET_COLUMNS) {
        params[c] = beat.columns[c] ?? null
        params[`${c}_sent`] = beat.columns[c] === undefined ? 0 : 1
      }
      params.first = beat.first
      params.last = beat.last
      params.count = beat.count
      upsertHeartbeat.run(params)
    },
    /** Any contact (an event) proves the device is alive; creates it if it never beat. */
    touch(device_id: string, ip_address: string | null, now: string): void {
      touch.run({ device_id, ip_address, now })
    },
    /**
     * Every device's last sighting, for the presence sweep kept in memory. Row by row: all() of
     * 100,000 rows would hold them all at once, and its native memory stays with the allocator.
     */
    lastSeenAll(): IterableIterator<{ device_id: string; last_seen: string }> {
      return lastSeenAll.iterate()
    },
    get(device_id: string): DeviceRow | undefined {
      return byId.get(device_id)
    },
    list(): DeviceRow[] {
      return all.all()
    },
    rename(device_id: string, display_name: string | null): boolean {
      return rename.run({ device_id, display_name }).changes > 0
    },
    remove(device_id: string): boolean {
      return remove.run(device_id).changes > 0
    },
    setBlocked(device_id: string, value: boolean): boolean {
      return setBlocked.run(value ? 1 : 0, device_id).changes > 0
    },
    blockedIds(): string[] {
      return blocked.all().map((r) => r.device_id)
    }
  }
}
