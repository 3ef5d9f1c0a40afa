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

export interface HeartbeatUpsert {
  device_id: string
  name?: string
  firmware_version?: string
  ip_address: string | null
  status?: string
  now: string
  telemetry?: HeartbeatTelemetry
}

export type DeviceRepository = ReturnType<typeof createDeviceRepository>

export function createDeviceRepository(db: Db) {
  // Fields the device did not send keep their last value (COALESCE), so a minimal heartbeat
  // does not wipe the name or firmware version. No RETURNING: on the hot path the row is read
  // back only when needed.
  const upsertHeartbeat = db.prepare(`
    INSERT INTO devices (device_id, name, firmware_version, ip_address, status, first_seen, last_seen, heartbeats,
                         chip_model, chip, applied_schedule_version, rssi, free_heap, uptime_s, reset_reason)
    VALUES (@device_id, @name, @firmware_version, @ip_address, @status, @now, @now, 1,
            @chip_model, @chip, @schedule_version, @rssi, @free_heap, @uptime_s, @reset_reason)
    ON CONFLICT (device_id) DO UPDATE SET
      name             = COALESCE(excluded.name, devices.name),
      firmware_version = COALESCE(excluded.firmware_version, devices.firmware_version),
      ip_address       = COALESCE(excluded.ip_address, devices.ip_address),
      status           = COALESCE(excluded.status, devices.status),
      last_seen        = excluded.last_seen,
      heartbeats       = devices.heartbeats + 1,
      -- telemetry (issue 11): a reported chip overrides the learned one (it is first-hand)
      chip_model       = COALESCE(excluded.chip_model, devices.chip_model),
      chip             = COALESCE(excluded.chip, devices.chip),
      applied_schedule_version = CASE WHEN @schedule_version_sent
                                      THEN excluded.applied_schedule_version
                                      ELSE devices.applied_schedule_version END,
      rssi             = COALESCE(excluded.rssi, devices.rssi),
      free_heap        = COALESCE(excluded.free_heap, devices.free_heap),
      uptime_s         = COALESCE(excluded.uptime_s, devices.uptime_s),
      reset_reason     = COALESCE(excluded.reset_reason, devices.reset_reason)`)
  const touch = db.prepare<
    { device_id: string; ip_address: string | null; now: string },
    DeviceRow
  >(`
    INSERT INTO devices (device_id, ip_address, first_seen, last_seen)
    VALUES (@device_id, @ip_address, @now, @now)
    ON CONFLICT (device_id) DO UPDATE SET last_seen = MAX(devices.last_seen, excluded.last_seen)
    RETURNING *`)
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
    /** Records a heartbeat without reading the row back. */
    recordHeartbeat({ telemetry: t = {}, ...input }: HeartbeatUpsert): void {
      upsertHeartbeat.run({
        ...input,
        name: input.name ?? null,
        firmware_version: input.firmware_version ?? null,
        status: input.status ?? null,
        chip_model: t.chip_model ?? null,
        chip: t.chip ?? null,
        schedule_version: t.schedule_version ?? null,
        schedule_version_sent: t.schedule_version === undefined ? 0 : 1,
        rssi: t.rssi ?? null,
        free_heap: t.free_heap ?? null,
        uptime_s: t.uptime_s ?? null,
        reset_reason: t.reset_reason ?? null
      })
    },
    /** Any contact (an event) proves the device is alive; creates it if it never beat. */
    touch(device_id: string, ip_address: string | null, now: string): DeviceRow {
      return touch.get({ device_id, ip_address, now })!
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
