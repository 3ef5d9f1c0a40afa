import type { Db } from '../store/db'

export type TokenState = 'none' | 'issued' | 'active' | 'revoked'

export interface CredentialRow {
  device_id: string
  status: 'pending' | 'adopted'
  adopted_at: string | null
  adopted_by: string | null
  token_state: TokenState
  token_hash: string | null
  token_issued_at: string | null
  token_used_at: string | null
  first_seen: string
  last_seen: string
  reported_name: string | null
  firmware_version: string | null
  ip_address: string | null
  attempts: number
}

export type CredentialRepository = ReturnType<typeof createCredentialRepository>

/** All SQL for device_credentials (migration 0008). The trust service keeps every row in memory. */
export function createCredentialRepository(db: Db) {
  const all = db.prepare<[], CredentialRow>('SELECT * FROM device_credentials')
  const byId = db.prepare<[string], CredentialRow>(
    'SELECT * FROM device_credentials WHERE device_id = ?'
  )
  const upsert = db.prepare<CredentialRow>(`
    INSERT INTO device_credentials (device_id, status, adopted_at, adopted_by, token_state, token_hash,
      token_issued_at, token_used_at, first_seen, last_seen, reported_name, firmware_version,
      ip_address, attempts)
    VALUES (@device_id, @status, @adopted_at, @adopted_by, @token_state, @token_hash,
      @token_issued_at, @token_used_at, @first_seen, @last_seen, @reported_name, @firmware_version,
      @ip_address, @attempts)
    ON CONFLICT (device_id) DO UPDATE SET
      status = excluded.status, adopted_at = excluded.adopted_at, adopted_by = excluded.adopted_by,
      token_state = excluded.token_state, token_hash = excluded.token_hash,
      token_issued_at = excluded.token_issued_at, token_used_at = excluded.token_used_at,
      last_seen = excluded.last_seen, reported_name = excluded.reported_name,
      firmware_version = excluded.firmware_version, ip_address = excluded.ip_address,
      attempts = excluded.attempts`)
  const remove = db.prepare<[string]>('DELETE FROM device_credentials WHERE device_id = ?')
  // Devices known to the devices table but without a credential row (a restored backup older
  // than migration 0008's data, for instance) were trusted when they were stored.
  const adoptKnown = db.prepare<[string]>(`
    INSERT INTO device_credentials (device_id, status, adopted_at, adopted_by, first_seen, last_seen,
                                    reported_name, firmware_version, ip_address)
    SELECT device_id, 'adopted', ?, 'upgrade', first_seen, last_seen, name, firmware_version, ip_address
    FROM devices WHERE device_id NOT IN (SELECT device_id FROM device_credentials)`)

  return {
    all: (): CredentialRow[] => all.all(),
    /**
     * Row by row: loading 100,000 rows with all() keeps ~20 MB of native memory (one V8 handle
     * per value until the array is built) that the allocator then keeps for good.
     */
    each: (): IterableIterator<CredentialRow> => all.iterate(),
    get: (deviceId: string): CredentialRow | undefined => byId.get(deviceId),
    save(row: CredentialRow): void {
      upsert.run(row)
    },
    remove(deviceId: string): boolean {
      return remove.run(deviceId).changes > 0
    },
    adoptKnownDevices(now: string): number {
      return adoptKnown.run(now).changes
    }
  }
}
