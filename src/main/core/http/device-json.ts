import type { Response } from 'express'

const JSON_TYPE = 'application/json; charset=utf-8'

/**
 * Sends a device JSON answer: the same bytes and headers `res.json()` would send, without its
 * content negotiation, ETag and freshness work (ETags are off in this app anyway).
 */
export function sendDeviceJson(res: Response, body: string): void {
  res.writeHead(200, { 'Content-Type': JSON_TYPE, 'Content-Length': Buffer.byteLength(body) })
  res.end(body)
}
