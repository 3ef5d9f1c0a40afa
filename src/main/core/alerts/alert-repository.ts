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

export interface OutboxRow {
  id: number
  alert_id: number | null
  chat_id: string
  action: 'send' | 'edit'
  text: string
  with_ack_button: 0 | 1
  status: 'pending' | 'sent' | 'failed'
  attempts: number
  next_attempt_at: string
  last_error: string | null
  message_id: number | null
  silent: 0 | 1 | null
  sent_at: string | null
  created_at: string
}

export interface RecipientRow {
  chat_id: string
  name: string | null
  source: 'linked' | 'env'
  linked_at: string
}

export type AlertRepository = ReturnType<typeof createAlertRepository>

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
  const insertOutbox = db.prepare<{
    alert_id: number | null
    chat_id: string
    action: 'send' | 'edit'
    text: string
    with_ack_button: number
    message_id: number | null
    now: string
  }>(`
    INSERT INTO outbox (alert_id, chat_id, action, text, with_ack_button, message_id, next_attempt_at, created_at)
    VALUES (@alert_id, @chat_id, @action, @text, @with_ack_button, @message_id, @now, @now)`)
  const due = db.prepare<[string, number], OutboxRow>(
    "SELECT * FROM outbox WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY id LIMIT ?"
  )
  const nextDue = db.prepare<[], { at: string }>(
    "SELECT MIN(next_attempt_at) AS at FROM outbox WHERE status = 'pending'"
  )
  const markSent = db.prepare<[string, number | null, number, number]>(
    "UPDATE outbox SET status = 'sent', sent_at = ?, message_id = COALESCE(?, message_id), silent = ?, attempts = attempts + 1 WHERE id = ?"
  )
  const markRetry = db.prepare<[string, string, number]>(
    'UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE id = ?'
  )
  const markFailed = db.prepare<[string, number]>(
    "UPDATE outbox SET status = 'failed', attempts = attempts + 1, last_error = ? WHERE id = ?"
  )
  const deliveries = db.prepare<[number], OutboxRow>(
    "SELECT * FROM outbox WHERE alert_id = ? AND action = 'send' ORDER BY id"
  )
  const deliveriesFor = db.prepare<[string], OutboxRow>(
    `SELECT * FROM outbox WHERE action = 'send' AND alert_id IN (SELECT value FROM json_each(?)) ORDER BY id`
  )
  const recipients = db.prepare<[], RecipientRow>(
    'SELECT * FROM telegram_recipients ORDER BY linked_at'
  )
  const upsertRecipient = db.prepare<[string, string | null, string, string]>(`
    INSERT INTO telegram_recipients (chat_id, name, source, linked_at) VALUES (?, ?, ?, ?)
    ON CONFLICT (chat_id) DO UPDATE SET name = COALESCE(excluded.name, telegram_recipients.name)`)
  const removeRecipient = db.prepare<[string]>('DELETE FROM telegram_recipients WHERE chat_id = ?')
  const dropPendingFor = db.prepare<[string]>(
    "DELETE FROM outbox WHERE chat_id = ? AND status = 'pending'"
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
    },
    enqueue(row: {
      alert_id: number | null
      chat_id: string
      action: 'send' | 'edit'
      text: string
      ack_button: boolean
      message_id?: number | null
      now: string
    }) {
      insertOutbox.run({
        alert_id: row.alert_id,
        chat_id: row.chat_id,
        action: row.action,
        text: row.text,
        with_ack_button: row.ack_button ? 1 : 0,
        message_id: row.message_id ?? null,
        now: row.now
      })
    },
    due: (now: string, limit = 20) => due.all(now, limit),
    nextDueAt: () => nextDue.get()?.at ?? null,
    markSent: (id: number, at: string, messageId: number | null, silent: boolean) =>
      markSent.run(at, messageId, silent ? 1 : 0, id),
    markRetry: (id: number, nextAt: string, error: string) =>
      markRetry.run(nextAt, error.slice(0, 300), id),
    markFailed: (id: number, error: string) => markFailed.run(error.slice(0, 300), id),
    deliveries: (alertId: number) => deliveries.all(alertId),
    deliveriesFor(alertIds: number[]): Map<number, OutboxRow[]> {
      const map = new Map<number, OutboxRow[]>()
      for (const row of deliveriesFor.all(JSON.stringify(alertIds))) {
        const list = map.get(row.alert_id!) ?? []
        list.push(row)
        map.set(row.alert_id!, list)
      }
      return map
    },
    recipients: () => recipients.all(),
    addRecipient: (chatId: string, name: string | null, source: 'linked' | 'env', at: string) =>
      upsertRecipient.run(chatId, name, source, at),
    removeRecipient: db.transaction((chatId: string) => {
      dropPendingFor.run(chatId)
      return removeRecipient.run(chatId).changes > 0
    })
  }
}
