import type { EventPage, EventView } from '../../../shared/api-schemas'
import type { DeviceService } from '../devices/device-service'
import type { CoreEventBus } from '../lib/event-bus'
import type { Clock } from '../lib/time'
import type { BatchWriter } from '../store/batch-writer'
import type { DeviceContacts } from '../devices/device-contacts'
import type { EventRepository, EventRow, NewEvent } from './event-repository'
import type { EventBody, EventQuery } from './schemas'
import { Invalid } from '../lib/domain-errors'

// A device clock before this, or more than a day ahead of ours, is not trusted for ordering:
// an ESP32 without NTP counts seconds from boot, i.e. from 1970.
const PLAUSIBLE_FROM = Date.parse('2020-01-01T00:00:00Z')
const FUTURE_SLACK_MS = 24 * 3600 * 1000

export function toEventView(row: EventRow): EventView {
  return {
    id: row.id,
    device_id: row.device_id,
    type: row.type,
    payload: row.payload ? (JSON.parse(row.payload) as Record<string, unknown>) : null,
    device_time: row.device_time,
    occurred_at: row.occurred_at,
    received_at: row.received_at,
    event_id: row.event_id
  }
}

function encodeCursor(row: EventRow): string {
  return Buffer.from(JSON.stringify([row.occurred_at, row.id])).toString('base64url')
}

function decodeCursor(cursor: string): { occurred_at: string; id: number } {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === 'string' &&
      Number.isSafeInteger(value[1])
    ) {
      return { occurred_at: value[0], id: value[1] as number }
    }
  } catch {
    // fall through to the error below
  }
  throw new Invalid('invalid-cursor', 'cursor is not one this server handed out', 'cursor')
}

export type EventService = ReturnType<typeof createEventService>

export function createEventService(deps: {
  events: EventRepository
  devices: DeviceService
  bus: CoreEventBus
  /** Group commit: the event's batch is on disk before it is acknowledged. */
  writer: BatchWriter
  contacts: DeviceContacts
  clock: Clock
}) {
  const { events, devices, bus, writer, contacts, clock } = deps

  return {
    /**
     * Stores an event (or finds it stored under its event_id) in the writer's next batch and
     * resolves once that batch is on disk. Only then do the device contact, the live stream and
     * the alert engine (`event.created`) hear of it: they see what the device was told.
     */
    async ingest(
      body: EventBody,
      socketIp: string | null
    ): Promise<{ id: number; duplicate: boolean }> {
      const now = clock()
      const receivedAt = new Date(now).toISOString()
      const deviceTime = body.timestamp ? body.timestamp.toISOString() : null
      const t = body.timestamp?.getTime()
      const plausible = t !== undefined && t >= PLAUSIBLE_FROM && t <= now + FUTURE_SLACK_MS
      const event: NewEvent = {
        device_id: body.device_id,
        type: body.type,
        payload: body.payload ? JSON.stringify(body.payload) : null,
        device_time: deviceTime,
        occurred_at: plausible ? deviceTime! : receivedAt,
        event_id: body.event_id ?? null,
        received_at: receivedAt
      }
      const { row, duplicate } = await writer.submit(() => {
        // The device row first: a device that never beat gets one (events refer to it).
        devices.touch(body.device_id, socketIp, receivedAt)
        return events.insert(event)
      })
      contacts.contacted({
        device_id: body.device_id,
        at: now,
        via: 'event',
        firmware_version: null
      })
      if (!duplicate) bus.emit('event.created', toEventView(row))
      return { id: row.id, duplicate }
    },
    list(query: EventQuery, defaultLimit = 50): EventPage {
      const limit = query.limit ?? defaultLimit
      const rows = events.list({
        device_id: query.device_id,
        type: query.type,
        since: query.since ? new Date(query.since).toISOString() : undefined,
        until: query.until ? new Date(query.until).toISOString() : undefined,
        before: query.cursor ? decodeCursor(query.cursor) : undefined,
        limit: limit + 1
      })
      const page = rows.slice(0, limit)
      const last = page.at(-1)
      return {
        ok: true,
        events: page.map(toEventView),
        next_cursor: rows.length > limit && last ? encodeCursor(last) : null
      }
    }
  }
}
