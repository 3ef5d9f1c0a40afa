import type { Request } from 'express'

/** The peer's address without the IPv4-mapped IPv6 prefix (`::ffff:192.168.1.50`). */
export function clientIp(req: Request): string | null {
  const ip = req.socket.remoteAddress
  if (!ip) return null
  return ip.startsWith('::ffff:') ? ip.slice(7) : ip
}
