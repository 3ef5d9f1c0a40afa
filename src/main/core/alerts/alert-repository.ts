import type { Db } from '../store/db'

export interface AlertRow {
  id: number
  kind: string
  device_id: string
  dedupe_key: string
  params: string
  text: string
  created_at: string
  acknowledged_at: string | null
  acknowledged_by: string | null
  resolved_at: string | null
}

export type AlertRepository = ReturnType<typeof createAlertRepository>

/** The `alerts` table (their Telegram deliveries are telegram/telegram-repository.ts's). */
export function createAlertRepository(db: Db) {
  const insertAlert = db.prepare<
    Omit<AlertRow, 'id' | 'acknowledged_at' | 'acknowledged_by' | 'resolved_at'>,
    AlertRow
  >(`
    INSERT INTO alerts (kind, device_id, dedupe_key, params, text, created_at)
    VALUES (@kind, @device_id, @dedupe_key, @params, @text, @created_at)
    ON CONFLICT (dedupe_key) DO NOTHING
    RETURNING *`)
  const alertById = db.prepare<[number], AlertRow>('SELECT * FROM alerts WHERE id = ?')
  const hasKey = db.prepare<[string], { id: number }>('SELECT id FROM alerts WHERE dedupe_key = ?')
  const ack = db.prepare<[string, string, number], AlertRow>(
    'UPDATE alerts SET acknowledged_at = ?, acknowledged_by = ? WHERE id = ? AND acknowledged_at IS NULL RETURNING *'
  )
  const latestOfKind = db.prepare<[string, string, string], AlertRow>(
    'SELECT * FROM alerts WHERE device_id = ? AND kind = ? AND created_at >= ? ORDER BY id DESC LIMIT 1'
  )
  const unresolvedOfKind = db.prepare<[string, string, string], AlertRow>(
    `SELECT * FROM alerts WHERE device_id = ? AND kind = ? AND resolved_at IS NULL
     AND created_at >= ? ORDER BY id DESC`
  )
  const resolve = db.prepare<[string, string, string, number], AlertRow>(
    'UPDATE alerts SET resolved_at = ?, params = ?, text = ? WHERE id = ? AND resolved_at IS NULL RETURNING *'
  )
  const openCounts = db.prepare<[], { device_id: string; n: number }>(
    'SELECT device_id, COUNT(*) AS n FROM alerts WHERE acknowledged_at IS NULL AND resolved_at IS NULL GROUP BY device_id'
  )
  return {
    /** Inserts unless an alert with the same dedupe key exists (then returns undefined). */
    insertAlert: (
      row: Omit<AlertRow, 'id' | 'acknowledged_at' | 'acknowledged_by' | 'resolved_at'>
    ) => insertAlert.get(row),
    alert: (id: number) => alertById.get(id),
    hasKey: (key: string) => hasKey.get(key) !== undefined,
    acknowledge: (id: number, by: string, at: string) => ack.get(at, by, id),
    latestOfKind: (deviceId: string, kind: string, since: string) =>
      latestOfKind.get(deviceId, kind, since),
    /** Alerts of a kind not yet resolved (seen or not), newest first. */
    unresolvedOfKind: (deviceId: string, kind: string, since: string) =>
      unresolvedOfKind.all(deviceId, kind, since),
    resolve: (id: number, at: string, params: string, text: string) =>
      resolve.get(at, params, text, id),
    openCounts: () => new Map(openCounts.all().map((r) => [r.device_id, r.n])),
    list(filter: {
      device_id?: string
      open?: boolean
      before_id?: number
      limit: number
    }): AlertRow[] {
      const where: string[] = []
      const params: Record<string, string | number> = { limit: filter.limit }
      if (filter.device_id) {
        where.push('device_id = @device_id')
        params.device_id = filter.device_id
      }
      if (filter.open) where.push('acknowledged_at IS NULL AND resolved_at IS NULL')
      if (filter.before_id) {
        where.push('id < @before_id')
        params.before_id = filter.before_id
      }
      const sql = `SELECT * FROM alerts ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT @limit`
      return db.prepare<Record<string, string | number>, AlertRow>(sql).all(params)
    }
  }
}
