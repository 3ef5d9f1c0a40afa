import type { PastilleroBridge } from '../shared/ipc-contract'

declare global {
  interface Window {
    /**
     * Desktop-only functions from the preload. Undefined when the dashboard is opened in a
     * browser (e.g. from a phone on the LAN), so check before use: `window.pastillero?.…`.
     */
    pastillero?: PastilleroBridge
  }
}

export {}
