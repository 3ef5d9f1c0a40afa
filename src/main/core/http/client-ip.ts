import type { IncomingMessage } from 'node:http'
import { isIP } from 'node:net'
import type { Request } from 'express'

/** The app setting that says a reverse proxy in front of us sets X-Forwarded-* / X-Real-IP. */
export const TRUST_PROXY_SETTING = 'pastillero trust proxy'

function bare(ip: string): string {
  return ip.startsWith('::ffff:') ? ip.slice(7) : ip
}

function trustsProxy(req: Request): boolean {
  return req.app?.get(TRUST_PROXY_SETTING) === true
}

/**
 * The client's address. Directly connected: the peer's address (without the IPv4-mapped IPv6
 * prefix). Behind a trusted proxy (PASTILLERO_TRUST_PROXY): X-Real-IP, which the README's nginx
 * sets from the connection, else the last X-Forwarded-For entry, the one the proxy appended
 * (earlier entries are whatever the client wrote). Without that setting both headers are ignored:
 * anyone could send them.
 */
export function clientIp(req: Request): string | null {
  return clientIpOf(req, trustsProxy(req))
}

/** A header's value as Express's `req.get` gives it (Node joins repeated ones with ", "). */
function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name]
  return typeof value === 'string' ? value : undefined
}

/**
 * `clientIp` for a request Express has not wrapped (the device path, http/device-path.ts), so
 * the proxy setting comes from the caller instead of `req.app`.
 */
export function clientIpOf(req: IncomingMessage, trustProxy: boolean): string | null {
  const peer = req.socket.remoteAddress
  if (trustProxy) {
    const real = header(req, 'x-real-ip')?.trim()
    if (real && isIP(bare(real))) return bare(real)
    const forwarded = header(req, 'x-forwarded-for')?.split(',').at(-1)?.trim()
    if (forwarded && isIP(bare(forwarded))) return bare(forwarded)
  }
  return peer ? bare(peer) : null
}

/** Whether the person reached us over HTTPS (only a trusted proxy can say so). */
export function viaHttps(req: Request): boolean {
  if (!trustsProxy(req)) return false
  return req.get('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase() === 'https'
}
