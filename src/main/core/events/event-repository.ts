import type { Db } from '../store/db'

export interface EventRow {
  id: number
  device_id: string
  type: string
  payload: string | null
  device_time: string | null
  occurred_at: string
  event_id: string | null
  received_at: string
}

export interface NewEvent {
  device_id: string
  type: string
  payload: string | null
  device_time: string | null
  occurred_at: string
  event_id: string | null
  received_at: string
}

export interface EventFilter {
  device_id?: string
  type?: string
  since?: string
  until?: string
  /** Keyset position: return rows strictly older than this (occurred_at, id). */
  before?: { occurred_at: string; id: number }
  limit: number
}

export type EventRepository = ReturnType<typeof createEventRepository>

/**
 * One device's events of one type in a time range. The index is named: on a database whose
 * statistics predate its events (a server started empty, which is every new install), SQLite
 * picks the (type, occurred_at) index for this query and walks every event of that type in the
 * range, checking the device on each row: 40 s of blocked event loop per alert tick after 22,000
 * bench events (issue 12's stalled events round). The composite index reads only the device's
 * own rows, whatever the statistics say.
 */
export const DEVICE_TYPE_BETWEEN_SQL =
  'SELECT * FROM events INDEXED BY events_device_type_occurred WHERE device_id = ? AND type = ? AND occurred_at >= ? AND occurred_at <= ? ORDER BY occurred_at, id'

export function createEventRepository(db: Db) {
  const insert = db.prepare<NewEvent, EventRow>(`
    INSERT INTO events (device_id, type, payload, device_time, occurred_at, event_id, received_at)
    VALUES (@device_id, @type, @payload, @device_time, @occurred_at, @event_id, @received_at)
    ON CONFLICT (device_id, event_id) WHERE event_id IS NOT NULL DO NOTHING
    RETURNING *`)
  const byEventId = db.prepare<[string, string], EventRow>(
    'SELECT * FROM events WHERE device_id = ? AND event_id = ?'
  )
  const removeForDevice = db.prepare<[string]>('DELETE FROM events WHERE device_id = ?')
  const ofTypeBetween = db.prepare<[string, string, string], EventRow>(
    'SELECT * FROM events WHERE type = ? AND occurred_at >= ? AND occurred_at <= ? ORDER BY occurred_at, id'
  )
  const deviceTypeBetween = db.prepare<[string, string, string, string], EventRow>(
    DEVICE_TYPE_BETWEEN_SQL
  )

  return {
    /** Inserts the event, or returns the one already stored under the same event_id. */
    insert(event: NewEvent): { row: EventRow; duplicate: boolean } {
      const row = insert.get(event)
      if (row) return { row, duplicate: false }
      return { row: byEventId.get(event.device_id, event.event_id!)!, duplicate: true }
    },
    /** Newest first, keyset-paginated on (occurred_at, id) so deep pages cost as little as the first. */
    list(filter: EventFilter): EventRow[] {
      const where: string[] = []
      const params: Record<string, string | number> = { limit: filter.limit }
      const when = (value: string | number | undefined, clause: string, name: string) => {
        if (value === undefined || value === '') return
        where.push(clause)
        params[name] = value
      }
      when(filter.device_id, 'device_id = @device_id', 'device_id')
      when(filter.type, 'type = @type', 'type')
      when(filter.since, 'occurred_at >= @since', 'since')
      when(filter.until, 'occurred_at < @until', 'until')
      if (filter.before) {
        where.push('(occurred_at, id) < (@before_at, @before_id)')
        params.before_at = filter.before.occurred_at
        params.before_id = filter.before.id
      }
      // Device and type together: the composite index, named (see DEVICE_TYPE_BETWEEN_SQL).
      const from =
        filter.device_id && filter.type ? 'events INDEXED BY events_device_type_occurred' : 'events'
      const sql = `SELECT * FROM ${from} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY occurred_at DESC, id DESC LIMIT @limit`
      return db.prepare<Record<string, string | number>, EventRow>(sql).all(params)
    },
    /** Events of one type in [from, to] (inclusive), oldest first. */
    ofTypeBetween(type: string, from: string, to: string): EventRow[] {
      return ofTypeBetween.all(type, from, to)
    },
    forDeviceOfTypeBetween(device_id: string, type: string, from: string, to: string): EventRow[] {
      return deviceTypeBetween.all(device_id, type, from, to)
    },
    /** Retention: deletes events that happened before `before`. */
    deleteOlderThan(before: string): number {
      return db.prepare<[string]>('DELETE FROM events WHERE occurred_at < ?').run(before).changes
    },
    removeForDevice(device_id: string): number {
      return removeForDevice.run(device_id).changes
    }
  }
}
