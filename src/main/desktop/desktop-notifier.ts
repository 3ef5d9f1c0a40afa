import { Notification } from 'electron'
import type { DeviceView } from '../../shared/api-schemas'
import type { CoreEventBus } from '../core/lib/event-bus'
import type { Logger } from '../core/lib/logger'

export interface NotificationText {
  title: string
  body: string
}

/** The family's language and time zone (settings), which every message follows. */
export interface Locale {
  language: 'es' | 'en'
  time_zone: string
}

const DEFAULT_LOCALE: Locale = { language: 'es', time_zone: 'UTC' }

/** "08:35" on the family's clock (not the machine's: a laptop may travel). */
function lastSeenTime(iso: string, locale: Locale): string {
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return ''
  return date.toLocaleTimeString(locale.language === 'es' ? 'es-ES' : 'en-GB', {
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
    timeZone: locale.time_zone
  })
}

type Named = Pick<DeviceView, 'name' | 'device_id'>

/** A dispenser that never reported a name is shown by its id, as on the dashboard. */
function displayName(device: Named): string {
  return device.name ?? device.device_id
}

export function offlineText(
  device: Named & Pick<DeviceView, 'last_seen'>,
  locale: Locale = DEFAULT_LOCALE
): NotificationText {
  const name = displayName(device)
  const since = lastSeenTime(device.last_seen, locale)
  if (locale.language === 'en')
    return {
      title: `${name}: offline`,
      body:
        `The dispenser "${name}" stopped reporting` +
        `${since ? ` (last contact at ${since})` : ''}. Check that it is plugged in and on Wi-Fi.`
    }
  return {
    title: `${name}: sin conexión`,
    body:
      `El pastillero «${name}» dejó de comunicarse` +
      `${since ? ` (último contacto a las ${since})` : ''}. Revisa que esté enchufado y con Wi-Fi.`
  }
}

export function onlineText(
  device: Named & Pick<DeviceView, 'heartbeats'>,
  locale: Locale = DEFAULT_LOCALE
): NotificationText {
  const name = displayName(device)
  // The core announces a dispenser's very first heartbeat as "online" too.
  if (locale.language === 'en')
    return device.heartbeats <= 1
      ? {
          title: `New dispenser: ${name}`,
          body: `"${name}" connected to this server for the first time.`
        }
      : { title: `${name}: online`, body: `The dispenser "${name}" is back online.` }
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
  private readonly onOffline = (device: DeviceView) =>
    this.notify(offlineText(device, this.locale()))
  private readonly onOnline = (device: DeviceView) => this.notify(onlineText(device, this.locale()))

  constructor(
    private readonly deps: {
      bus: CoreEventBus
      onClick: () => void
      log: Logger
      /** The family's language and zone, read for each notification (settings can change). */
      locale?: () => Locale
    }
  ) {}

  private locale(): Locale {
    return this.deps.locale?.() ?? DEFAULT_LOCALE
  }

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
