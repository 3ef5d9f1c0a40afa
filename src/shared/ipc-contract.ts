import { z } from 'zod'

/**
 * The one list of IPC channels between the Electron window and the main process, with the schema
 * of each call's arguments and result. The main process validates every call against it; the
 * preload exposes each channel as a named function (see PastilleroBridge) and nothing else.
 *
 * Only what a web page cannot do belongs here: everything else goes over the core's HTTP API, so
 * the window and a phone's browser behave the same.
 */
export const IPC = {
  appVersion: 'app:version',
  getLaunchAtLogin: 'launch-at-login:get',
  setLaunchAtLogin: 'launch-at-login:set',
  openDataFolder: 'data-folder:open',
  revealLogs: 'logs:reveal'
} as const

export type IpcChannel = (typeof IPC)[keyof typeof IPC]

/** Arguments travel as a tuple (what ipcRenderer.invoke spreads); extra arguments are refused. */
export const ipcContract = {
  [IPC.appVersion]: { args: z.tuple([]), result: z.string() },
  [IPC.getLaunchAtLogin]: { args: z.tuple([]), result: z.boolean() },
  [IPC.setLaunchAtLogin]: { args: z.tuple([z.boolean()]), result: z.boolean() },
  [IPC.openDataFolder]: { args: z.tuple([]), result: z.void() },
  [IPC.revealLogs]: { args: z.tuple([]), result: z.void() }
} as const satisfies Record<IpcChannel, { args: z.ZodTuple; result: z.ZodType }>

export type IpcArgs<C extends IpcChannel> = z.infer<(typeof ipcContract)[C]['args']>
export type IpcResult<C extends IpcChannel> = z.infer<(typeof ipcContract)[C]['result']>

/** What the preload puts on `window.pastillero` (only inside the desktop app). */
export interface PastilleroBridge {
  /** The app's version, e.g. "0.1.0". */
  appVersion(): Promise<string>
  /** Whether the app starts when the user logs in. */
  getLaunchAtLogin(): Promise<boolean>
  /** Turns launch at login on or off; resolves to the state the OS now reports. */
  setLaunchAtLogin(enabled: boolean): Promise<boolean>
  /** Opens the folder with the database and firmware files in the file manager. */
  openDataFolder(): Promise<void>
  /** Shows the log folder (<data>/logs) in the file manager, or the data folder before any log. */
  revealLogs(): Promise<void>
}
