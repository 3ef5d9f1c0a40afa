/**
 * The messages the live stream (/api/admin/stream) carries, named after the core's bus events.
 * Plain constants, no zod, so the renderer can import them without pulling zod into its bundle.
 */
export const STREAM_EVENT_NAMES = [
  'device.updated',
  'device.online',
  'device.offline',
  'device.removed',
  'event.created',
  'command.updated',
  'firmware.updated',
  'alert.created',
  'alert.updated',
  'telegram.updated',
  'adoption.updated'
] as const

export type StreamEventName = (typeof STREAM_EVENT_NAMES)[number]
