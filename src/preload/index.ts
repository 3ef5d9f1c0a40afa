/**
 * The sandboxed preload: the page gets a few named functions on `window.pastillero`, never
 * ipcRenderer itself, so a compromised page can only make the calls listed in ipc-contract.ts
 * (which the main process still checks).
 *
 * A sandboxed preload can require nothing but `electron` (and a few Node built-ins), so the
 * contract is imported for its types only: it pulls in zod. The channel literals below are still
 * checked against the contract at compile time, arguments and results included.
 */
import { contextBridge, ipcRenderer } from 'electron'
import type { IpcArgs, IpcChannel, IpcResult, PastilleroBridge } from '../shared/ipc-contract'

function invoke<C extends IpcChannel>(channel: C, ...args: IpcArgs<C>): Promise<IpcResult<C>> {
  return ipcRenderer.invoke(channel, ...args) as Promise<IpcResult<C>>
}

const bridge: PastilleroBridge = {
  appVersion: () => invoke('app:version'),
  getLaunchAtLogin: () => invoke('launch-at-login:get'),
  setLaunchAtLogin: (enabled) => invoke('launch-at-login:set', enabled),
  openDataFolder: () => invoke('data-folder:open'),
  revealLogs: () => invoke('logs:reveal')
}

contextBridge.exposeInMainWorld('pastillero', bridge)
