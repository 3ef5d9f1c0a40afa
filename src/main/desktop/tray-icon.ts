import { Menu, Tray, nativeImage } from 'electron'
import type { DeviceView } from '../../shared/api-schemas'
import type { Logger } from '../core/lib/logger'

export interface PresenceSummary {
  online: number
  offline: number
}

export function summarizePresence(devices: readonly Pick<DeviceView, 'online'>[]): PresenceSummary {
  const online = devices.filter((d) => d.online).length
  return { online, offline: devices.length - online }
}

export function presenceLine({ online, offline }: PresenceSummary): string {
  return `${online} en línea / ${offline} sin conexión`
}

/**
 * The tray (menu bar) icon: the app lives here while the window is hidden. Its menu opens the
 * window, shows how many dispensers are online, and quits.
 */
export class TrayIcon {
  private tray: Tray | undefined
  private status: PresenceSummary = { online: 0, offline: 0 }

  constructor(
    private readonly options: {
      iconPath: string
      onOpen: () => void
      onQuit: () => void
      platform?: NodeJS.Platform
      log?: Logger
    }
  ) {}

  create(): void {
    const image = nativeImage.createFromPath(this.options.iconPath)
    // Electron would show a blank slot; say why in the log instead of leaving it a mystery.
    if (image.isEmpty()) this.options.log?.warn(`tray icon not found: ${this.options.iconPath}`)
    if ((this.options.platform ?? process.platform) === 'darwin') image.setTemplateImage(true)
    this.tray = new Tray(image)
    // Windows and most Linux trays open the window on click; the menu is the right click.
    this.tray.on('click', () => this.options.onOpen())
    this.render()
  }

  setStatus(status: PresenceSummary): void {
    this.status = status
    this.render()
  }

  destroy(): void {
    this.tray?.destroy()
    this.tray = undefined
  }

  private render(): void {
    if (!this.tray) return
    const line = presenceLine(this.status)
    this.tray.setToolTip(`Pastillero — ${line}`)
    // Linux only picks up menu changes when the whole menu is set again.
    this.tray.setContextMenu(
      Menu.buildFromTemplate([
        { label: 'Abrir Pastillero', click: () => this.options.onOpen() },
        { type: 'separator' },
        { label: line, enabled: false },
        { type: 'separator' },
        { label: 'Salir', click: () => this.options.onQuit() }
      ])
    )
  }
}
