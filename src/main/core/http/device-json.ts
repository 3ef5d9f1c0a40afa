import type { ErrorRequestHandler, Response } from 'express'
import { SECURITY_HEADERS } from './security-headers'

const JSON_TYPE = 'application/json; charset=utf-8'

// The device answer's headers in the order the dashboard's stack would send them (the security
// headers, then the content type), as one flat list built once: writeHead takes it as it is,
// without the per-request header map and its name checks.
const HEAD: readonly string[] = [
  ...SECURITY_HEADERS.flat(),
  'Content-Type',
  JSON_TYPE,
  'Content-Length'
]

/**
 * Sends a device JSON answer: the same bytes and headers `res.json()` after `securityHeaders`
 * would send, without its content negotiation, ETag and freshness work (ETags are off in this
 * app anyway), and without setting the headers one by one.
 */
export function sendDeviceJson(res: Response, body: string): void {
  const head = HEAD.slice()
  head.push(String(Buffer.byteLength(body)))
  res.writeHead(200, head)
  res.end(body)
}

/**
 * The device routes skip the `securityHeaders` middleware (sendDeviceJson writes them): an error
 * on the way (401, 403, 422, 429…) gets them here before the app's error handler answers.
 */
export const deviceErrorHeaders: ErrorRequestHandler = (err, _req, res, next) => {
  if (!res.headersSent) for (const [name, value] of SECURITY_HEADERS) res.setHeader(name, value)
  next(err)
}
