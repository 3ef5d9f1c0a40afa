import type { Db } from '../store/db'

export interface CommandRow {
  id: number
  device_id: string
  command: string
  status: 'pending' | 'delivered'
  requested_at: string
  delivered_at: string | null
}

export type CommandRepository = ReturnType<typeof createCommandRepository>

export function createCommandRepository(db: Db) {
  const pending = db.prepare<[string, string], CommandRow>(
    "SELECT * FROM commands WHERE device_id = ? AND command = ? AND status = 'pending' ORDER BY id LIMIT 1"
  )
  const insert = db.prepare<[string, string, string], CommandRow>(
    "INSERT INTO commands (device_id, command, status, requested_at) VALUES (?, ?, 'pending', ?) RETURNING *"
  )
  const oldestPending = db.prepare<[string], CommandRow>(
    "SELECT * FROM commands WHERE device_id = ? AND status = 'pending' ORDER BY id LIMIT 1"
  )
  const markDelivered = db.prepare<[string, number], CommandRow>(
    "UPDATE commands SET status = 'delivered', delivered_at = ? WHERE id = ? RETURNING *"
  )
  const latest = db.prepare<[string], CommandRow>(
    'SELECT * FROM commands WHERE device_id = ? ORDER BY id DESC LIMIT 1'
  )
  const deliveredBetween = db.prepare<[string, string, string, string], { delivered_at: string }>(
    `SELECT delivered_at FROM commands WHERE device_id = ? AND command = ? AND status = 'delivered'
     AND delivered_at >= ? AND delivered_at <= ? ORDER BY delivered_at`
  )
  const latestPerDevice = db.prepare<[], CommandRow>(
    'SELECT * FROM commands WHERE id IN (SELECT MAX(id) FROM commands GROUP BY device_id)'
  )

  // Devices that may have a command waiting. Every heartbeat asks; almost none do, so the answer
  // comes from memory and only these devices cost a query.
  const maybePending = new Set(
    db
      .prepare<[], { device_id: string }>(
        "SELECT DISTINCT device_id FROM commands WHERE status = 'pending'"
      )
      .all()
      .map((r) => r.device_id)
  )

  return {
    /** Queues a command unless the same one is already waiting: pressing reboot twice reboots once. */
    queue(device_id: string, command: string, now: string): { row: CommandRow; created: boolean } {
      const existing = pending.get(device_id, command)
      if (existing) return { row: existing, created: false }
      const row = insert.get(device_id, command, now)!
      maybePending.add(device_id)
      return { row, created: true }
    },
    /** False when no command can be waiting for this device (answered from memory). */
    mightHavePending(device_id: string): boolean {
      return maybePending.has(device_id)
    },
    /**
     * Hands out the oldest pending command and marks it delivered. Called inside the heartbeat
     * transaction, so two concurrent heartbeats can never both receive it.
     */
    claimNext(device_id: string, now: string): CommandRow | undefined {
      if (!maybePending.has(device_id)) return undefined
      const next = oldestPending.get(device_id)
      if (!next) {
        maybePending.delete(device_id)
        return undefined
      }
      return markDelivered.get(now, next.id)
    },
    latest(device_id: string): CommandRow | undefined {
      return latest.get(device_id)
    },
    /** When each `command` reached the device in [from, to] (ISO instants, oldest first). */
    deliveredBetween(device_id: string, command: string, from: string, to: string): string[] {
      return deliveredBetween.all(device_id, command, from, to).map((r) => r.delivered_at)
    },
    latestByDevice(): Map<string, CommandRow> {
      return new Map(latestPerDevice.all().map((row) => [row.device_id, row]))
    }
  }
}
