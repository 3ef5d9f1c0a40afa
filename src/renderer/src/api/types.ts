/**
 * Types for the admin API as the dashboard sees it. The view shapes come from the shared zod
 * schemas (type-only imports, so zod never reaches the browser bundle); the small response
 * wrappers and stream payloads below are not in src/shared, so they are spelled out here.
 */
import {
  STREAM_EVENT_NAMES as SHARED_STREAM_EVENT_NAMES,
  type StreamEventName as SharedStreamEventName
} from '@shared/stream-events'
import type { AlertView, CommandView, DeviceView, EventType, EventView } from '@shared/api-schemas'

// The shared shapes the rest of the dashboard imports from here.
export type {
  AlertView,
  CommandView,
  DeviceView,
  EditableSettings,
  EventPage,
  EventType,
  EventView,
  FirmwareView,
  OtaStateView,
  SettingsView,
  TelegramStatus
} from '@shared/api-schemas'

export interface OkResponse {
  ok: true
}
export interface SessionResponse {
  ok: true
  signed_in: boolean
  /** Who is signed in (absent when signed out). */
  account?: import('./accounts').SignedInAccount
  /** The family's zone and language (signed in only): every time on screen uses this zone. */
  family?: { time_zone: string; language: 'es' | 'en'; zone_confirmed: boolean }
}
export interface DeviceListResponse {
  ok: true
  devices: DeviceView[]
}
export interface DeviceResponse {
  ok: true
  device: DeviceView
}
export interface RebootResponse {
  ok: true
  command: CommandView
}

/** GET /api/admin/events query; since/until are ISO datetimes with an offset. */
export interface EventQuery {
  device_id?: string
  type?: EventType
  since?: string
  until?: string
  limit?: number
  cursor?: string
}

/** Payloads of the named messages on GET /api/admin/stream. */
export interface StreamEvents {
  'device.updated': DeviceView
  'device.online': DeviceView
  'device.offline': DeviceView
  'device.removed': { device_id: string }
  'event.created': EventView
  'command.updated': { device_id: string; command: CommandView }
  /** The firmware list or a release changed: refetch it. */
  'firmware.updated': Record<string, never>
  'alert.created': AlertView
  'alert.updated': AlertView
  /** Telegram recipients, token or link code changed: refetch the status. */
  'telegram.updated': Record<string, never>
  /** Adoption window, waiting dispensers or a device token changed: refetch them. */
  'adoption.updated': Record<string, never>
}
export type StreamEventName = keyof StreamEvents
export type StreamMessage = {
  [K in StreamEventName]: { name: K; data: StreamEvents[K] }
}[StreamEventName]

/** The stream's message names, shared with the core; typed here against the payload map. */
export const STREAM_EVENT_NAMES: readonly StreamEventName[] = SHARED_STREAM_EVENT_NAMES
// The payload map must name exactly the shared messages (compile-time check both ways).
type _SameNames = [SharedStreamEventName] extends [StreamEventName]
  ? [StreamEventName] extends [SharedStreamEventName]
    ? true
    : never
  : never
export const _streamNamesMatch: _SameNames = true

// The event types and their check: zod-free, so importing them keeps zod out of the bundle.
export { EVENT_TYPES, isEventType } from '@shared/event-types'
