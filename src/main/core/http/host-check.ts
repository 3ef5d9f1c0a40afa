import { isIP } from 'node:net'
import { hostname } from 'node:os'
import type { RequestHandler } from 'express'
import { mdnsHostName } from '../discovery/mdns-advertiser'
import { HttpError } from './errors'

/** The host part of a Host header, lower case, without port, brackets or a trailing dot. */
export function hostOf(header: string): string {
  const h = header.trim().toLowerCase()
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']') > 0 ? h.indexOf(']') : undefined)
  const colon = h.lastIndexOf(':')
  return (colon >= 0 && h.indexOf(':') === colon ? h.slice(0, colon) : h).replace(/\.$/, '')
}

/**
 * The names this server answers to. DNS rebinding works by pointing an attacker's name at a LAN
 * address after the browser loaded the attacker's page, so the browser then sends that name as
 * Host. Addresses written as numbers can never be rebound, and neither can "localhost"; the
 * machine's own names (including the mDNS one dispensers use) and PASTILLERO_ALLOWED_HOSTS (for a
 * reverse proxy's public name) are the only names accepted.
 */
export function hostAllowed(header: string | undefined, extra: readonly string[] = []): boolean {
  if (!header) return false
  const host = hostOf(header)
  if (!host) return false
  if (isIP(host)) return true
  if (host === 'localhost' || host.endsWith('.localhost')) return true
  const os = hostname().toLowerCase()
  const short = os.split('.')[0]!
  const names = new Set([os, short, `${short}.local`, mdnsHostName().toLowerCase(), ...extra])
  return names.has(host)
}

/** Refuses admin requests whose Host is not one of ours (421, the JSON envelope). */
export function requireKnownHost(extra: readonly string[] = []): RequestHandler {
  return (req, _res, next) => {
    if (hostAllowed(req.get('host'), extra)) return next()
    next(
      new HttpError(
        421,
        'unknown-host',
        'this server does not answer to that name; add it to PASTILLERO_ALLOWED_HOSTS if it is yours'
      )
    )
  }
}
