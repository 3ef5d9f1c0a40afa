import { EventEmitter } from 'node:events'
import type { AlertView, CommandView, DeviceView, EventView } from '../../../shared/api-schemas'

/** What the core announces on its bus (the live stream, alerts and the desktop shell listen). */
export interface CoreEvents {
  'device.updated': [DeviceView]
  'device.online': [DeviceView]
  'device.offline': [DeviceView]
  'device.removed': [{ device_id: string }]
  'event.created': [EventView]
  'command.updated': [{ device_id: string; command: CommandView }]
  /** The firmware list or a release changed; clients refetch it. */
  'firmware.updated': [Record<string, never>]
  'alert.created': [AlertView]
  'alert.updated': [AlertView]
  /** Telegram status, recipients or link code changed; clients refetch it. */
  'telegram.updated': [Record<string, never>]
  /** Adoption window, waiting dispensers or a device token changed; clients refetch them. */
  'adoption.updated': [Record<string, never>]
  /** Internal: new outbox rows are waiting for the sender. */
  'outbox.enqueued': [Record<string, never>]
  /** Internal: every heartbeat, after it is stored (not streamed). */
  'device.heartbeat': [{ device_id: string; firmware_version: string | null }]
}

export class CoreEventBus extends EventEmitter<CoreEvents> {
  constructor() {
    super()
    // Every SSE client adds listeners; the limit is only a leak detector.
    this.setMaxListeners(1000)
  }
}
