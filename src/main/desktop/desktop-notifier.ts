import { Notification } from 'electron'
import type { DeviceView } from '../../shared/api-schemas'
import type { CoreEventBus } from '../core/lib/event-bus'
import type { Logger } from '../core/lib/logger'

export interface NotificationText {
  title: string
  body: string
}

function lastSeenTime(iso: string): string {
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return ''
  return date.toLocaleTimeString('es', { hour: '2-digit', minute: '2-digit' })
}

type Named = Pick<DeviceView, 'name' | 'device_id'>

/** A dispenser that never reported a name is shown by its id, as on the dashboard. */
function displayName(device: Named): string {
  return device.name ?? device.device_id
}

export function offlineText(device: Named & Pick<DeviceView, 'last_seen'>): NotificationText {
  const name = displayName(device)
  const since = lastSeenTime(device.last_seen)
  return {
    title: `${name}: sin conexión`,
    body:
      `El pastillero «${name}» dejó de comunicarse` +
      `${since ? ` (último contacto a las ${since})` : ''}. Revisa que esté enchufado y con Wi-Fi.`
  }
}

export function onlineText(device: Named & Pick<DeviceView, 'heartbeats'>): NotificationText {
  const name = displayName(device)
  // The core announces a dispenser's very first heartbeat as "online" too.
  if (device.heartbeats <= 1)
    return {
      title: `Nuevo pastillero: ${name}`,
      body: `«${name}» se conectó por primera vez a este servidor.`
    }
  return { title: `${name}: en línea`, body: `El pastillero «${name}» volvió a conectarse.` }
}

/**
 * OS notifications when a dispenser goes offline or comes back, so a family member at the
 * computer notices without the window open. Clicking one opens the window.
 */
export class DesktopNotifier {
  // Electron may garbage-collect a Notification (and lose its click handler) while it is still
  // on screen; holding a reference until it is clicked or closed prevents that.
  private readonly live = new Set<Notification>()
  private readonly onOffline = (device: DeviceView) => this.notify(offlineText(device))
  private readonly onOnline = (device: DeviceView) => this.notify(onlineText(device))

  constructor(private readonly deps: { bus: CoreEventBus; onClick: () => void; log: Logger }) {}

  start(): void {
    this.deps.bus.on('device.offline', this.onOffline)
    this.deps.bus.on('device.online', this.onOnline)
  }

  stop(): void {
    this.deps.bus.off('device.offline', this.onOffline)
    this.deps.bus.off('device.online', this.onOnline)
    this.live.clear()
  }

  private notify(text: NotificationText): void {
    if (!Notification.isSupported()) return
    try {
      const notification = new Notification({ title: text.title, body: text.body })
      this.live.add(notification)
      notification.on('click', () => {
        this.live.delete(notification)
        this.deps.onClick()
      })
      notification.on('close', () => this.live.delete(notification))
      notification.show()
    } catch (err) {
      this.deps.log.warn(
        `notification not shown: ${err instanceof Error ? err.message : String(err)}`
      )
    }
  }
}
