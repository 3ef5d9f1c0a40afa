/**
 * What a dispenser reports in POST /api/events. Zod-free so the renderer can import the list
 * without pulling zod into its bundle; api-schemas.ts builds its enum schema from it.
 */
export const EVENT_TYPES = [
  'alarm_triggered',
  'alarm_ack',
  'dose_taken',
  'reboot',
  'ota_start',
  'ota_done',
  'ota_fail'
] as const

export type EventType = (typeof EVENT_TYPES)[number]

const EVENT_TYPE_SET: ReadonlySet<string> = new Set(EVENT_TYPES)

export function isEventType(value: unknown): value is EventType {
  return typeof value === 'string' && EVENT_TYPE_SET.has(value)
}
