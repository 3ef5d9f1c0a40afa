/** One contact from a dispenser: what every feature that cares about "heard from" receives. */
export interface DeviceContact {
  device_id: string
  /** When the server heard it, on the core's clock (ms since the epoch). */
  at: number
  /** Which request proved it alive. */
  via: 'heartbeat' | 'event' | 'schedule'
  /** What a heartbeat reported; null for other contacts (nothing changed then). */
  firmware_version: string | null
}

export type ContactListener = (contact: DeviceContact) => void

/**
 * The one place where the cross-feature effects of a device contact are wired: presence (online,
 * offline), the schedules' presence history, the firmware's update confirmation. Listeners run
 * synchronously on the request path after the contact is accepted, so they must be cheap: they
 * update memory and leave their writes to the batch writer's next batch.
 */
export class DeviceContacts {
  private listeners: ContactListener[] = []

  subscribe(listener: ContactListener): () => void {
    this.listeners = [...this.listeners, listener]
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener)
    }
  }

  contacted(contact: DeviceContact): void {
    for (const listener of this.listeners) listener(contact)
  }
}
