import { BrowserWindow, ipcMain, type IpcMainInvokeEvent } from 'electron'
import {
  ipcContract,
  type IpcArgs,
  type IpcChannel,
  type IpcResult
} from '../../shared/ipc-contract'
import type { Logger } from '../core/lib/logger'
import { originOf } from './security'

export type IpcHandler<C extends IpcChannel> = (
  ...args: IpcArgs<C>
) => IpcResult<C> | Promise<IpcResult<C>>

/**
 * The single chokepoint every IPC call goes through. A call is answered only when it comes from
 * the top frame of our main window, showing the core's origin, with arguments that match the
 * contract; anything else is refused (the renderer's invoke() rejects) and logged.
 */
export class IpcRouter {
  private readonly channels = new Set<IpcChannel>()

  constructor(
    private readonly deps: {
      /** The core's origin, e.g. http://127.0.0.1:8000. */
      origin: string
      /** The one window allowed to call (undefined while it does not exist). */
      mainWindow: () => BrowserWindow | undefined
      log: Logger
    }
  ) {}

  handle<C extends IpcChannel>(channel: C, handler: IpcHandler<C>): void {
    const contract = ipcContract[channel]
    this.channels.add(channel)
    ipcMain.handle(channel, async (event: IpcMainInvokeEvent, ...raw: unknown[]) => {
      const refusal = this.senderProblem(event)
      if (refusal) {
        this.deps.log.warn(`IPC ${channel} refused: ${refusal}`)
        throw new Error(`IPC ${channel} refused: ${refusal}`)
      }
      const parsed = contract.args.safeParse(raw)
      if (!parsed.success) {
        const issue = parsed.error.issues[0]
        const where = issue?.path.length ? ` (argument ${issue.path.join('.')})` : ''
        this.deps.log.warn(`IPC ${channel} refused: bad arguments${where}`)
        throw new Error(`IPC ${channel} refused: bad arguments${where}: ${issue?.message ?? ''}`)
      }
      const result = await handler(...(parsed.data as IpcArgs<C>))
      return contract.result.parse(result)
    })
  }

  dispose(): void {
    for (const channel of this.channels) ipcMain.removeHandler(channel)
    this.channels.clear()
  }

  /** Why this sender may not call us, or undefined if it may. */
  senderProblem(event: IpcMainInvokeEvent): string | undefined {
    const frame = event.senderFrame
    if (!frame) return 'the sending frame is gone'
    if (frame.parent) return 'sent from a subframe'
    const origin = originOf(frame.url)
    if (origin !== this.deps.origin) return `sent from ${origin ?? 'an opaque origin'}`
    const main = this.deps.mainWindow()
    if (!main || BrowserWindow.fromWebContents(event.sender) !== main)
      return 'sent from a window other than the main window'
    return undefined
  }
}
