import type { Session, WebContents, WebPreferences } from 'electron'

/**
 * Hardening from Electron's security checklist, in one place so a test can check all of it.
 * The window shows a web page served over plain HTTP on the LAN; treat it as untrusted content
 * that happens to be ours.
 */

/**
 * Sent in addition to the core's own CSP header (both apply, so the stricter wins). It keeps the
 * window safe even for a response where the core forgot its header. Styles keep 'unsafe-inline'
 * because the core's policy allows it for the dashboard and Swagger UI; scripts never do.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "frame-src 'none'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'"
].join('; ')

export function secureWebPreferences(preload: string): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    safeDialogs: true
  }
}

export function isHttpUrl(url: string): boolean {
  try {
    const { protocol } = new URL(url)
    return protocol === 'http:' || protocol === 'https:'
  } catch {
    return false
  }
}

export function originOf(url: string): string | undefined {
  try {
    const origin = new URL(url).origin
    return origin === 'null' ? undefined : origin
  } catch {
    return undefined
  }
}

/** Adds our CSP to a response from the core; other responses pass untouched. */
export function withContentSecurityPolicy(
  url: string,
  allowedOrigin: string,
  headers: Record<string, string[]> = {}
): Record<string, string[]> {
  if (originOf(url) !== allowedOrigin) return headers
  const out = { ...headers }
  const key =
    Object.keys(out).find((k) => k.toLowerCase() === 'content-security-policy') ??
    'Content-Security-Policy'
  out[key] = [...(out[key] ?? []), CONTENT_SECURITY_POLICY]
  return out
}

/** The window's session: no permissions at all (camera, notifications, geolocation…), our CSP. */
export function hardenSession(session: Session, allowedOrigin: string): void {
  session.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false))
  session.setPermissionCheckHandler(() => false)
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: withContentSecurityPolicy(
        details.url,
        allowedOrigin,
        details.responseHeaders
      )
    })
  })
}

/**
 * The window may only show the core's own pages. Links elsewhere open in the user's browser, and
 * only http(s) ones: shell.openExternal with file:, smb: or a custom scheme can run programs.
 */
export function hardenWebContents(
  contents: WebContents,
  allowedOrigin: string,
  openExternal: (url: string) => void
): void {
  const leaveApp = (url: string) => {
    if (isHttpUrl(url)) openExternal(url)
  }
  contents.on('will-navigate', (event) => {
    if (originOf(event.url) === allowedOrigin) return
    event.preventDefault()
    leaveApp(event.url)
  })
  contents.on('will-redirect', (event) => {
    if (originOf(event.url) === allowedOrigin) return
    event.preventDefault()
  })
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.setWindowOpenHandler(({ url }) => {
    leaveApp(url)
    return { action: 'deny' }
  })
}
