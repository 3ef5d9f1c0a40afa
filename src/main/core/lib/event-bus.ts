import { EventEmitter } from 'node:events'
import type { CommandView, DeviceView, EventView } from '../../../shared/api-schemas'

/** What the core announces to the live stream (and, later, to alerts and the tray). */
export interface CoreEvents {
  'device.updated': [DeviceView]
  'device.online': [DeviceView]
  'device.offline': [DeviceView]
  'device.removed': [{ device_id: string }]
  'event.created': [EventView]
  'command.updated': [{ device_id: string; command: CommandView }]
}

export class CoreEventBus extends EventEmitter<CoreEvents> {
  constructor() {
    super()
    // Every SSE client adds listeners; the limit is only a leak detector.
    this.setMaxListeners(1000)
  }
}
