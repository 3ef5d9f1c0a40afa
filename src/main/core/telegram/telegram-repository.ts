import type { Db } from '../store/db'

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
  /** The family member who linked this chat from their own dashboard session, if any. */
  account_id: number | null
  account_name: string | null
}

export type TelegramRepository = ReturnType<typeof createTelegramRepository>

/**
 * Telegram's tables: `outbox` (every message to send or edit, written by the alerts and the
 * weekly summary in their own transactions, delivered by telegram/outbox-sender.ts) and
 * `telegram_recipients` (the linked chats; the account name is joined in for display).
 */
export function createTelegramRepository(db: Db) {
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
    `SELECT r.chat_id, r.name, r.source, r.linked_at, r.account_id, a.name AS account_name
     FROM telegram_recipients r LEFT JOIN accounts a ON a.id = r.account_id ORDER BY r.linked_at`
  )
  const upsertRecipient = db.prepare<[string, string | null, string, string, number | null]>(`
    INSERT INTO telegram_recipients (chat_id, name, source, linked_at, account_id)
    VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (chat_id) DO UPDATE SET name = COALESCE(excluded.name, telegram_recipients.name),
      account_id = COALESCE(excluded.account_id, telegram_recipients.account_id)`)
  const recipientAccount = db.prepare<[string], { name: string }>(
    `SELECT a.name FROM telegram_recipients r JOIN accounts a ON a.id = r.account_id
     WHERE r.chat_id = ?`
  )
  const removeRecipient = db.prepare<[string]>('DELETE FROM telegram_recipients WHERE chat_id = ?')
  const dropPendingFor = db.prepare<[string]>(
    "DELETE FROM outbox WHERE chat_id = ? AND status = 'pending'"
  )

  return {
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
    addRecipient: (
      chatId: string,
      name: string | null,
      source: 'linked' | 'env',
      at: string,
      accountId: number | null = null
    ) => upsertRecipient.run(chatId, name, source, at, accountId),
    /** The account a chat was linked by (its acknowledgements carry that name). */
    recipientAccountName: (chatId: string): string | null =>
      recipientAccount.get(chatId)?.name ?? null,
    removeRecipient: db.transaction((chatId: string) => {
      dropPendingFor.run(chatId)
      return removeRecipient.run(chatId).changes > 0
    })
  }
}
