import type { RequestHandler } from 'express'
import { secretsEqual } from '../lib/secrets'
import { HttpError } from './errors'

/**
 * Requires the device key in `X-API-Key`, as the seed did. Keys are compared in constant time.
 * `keys()` returns every key accepted right now (more than one during a key rotation).
 */
export function requireDeviceKey(keys: () => readonly string[]): RequestHandler {
  return (req, _res, next) => {
    const given = req.get('x-api-key')
    if (!given)
      return next(new HttpError(401, 'missing-api-key', 'the X-API-Key header is required'))
    // Check every key so the time taken does not reveal which one (if any) matched.
    let ok = false
    for (const key of keys()) ok = secretsEqual(given, key) || ok
    if (!ok) return next(new HttpError(401, 'invalid-api-key', 'the X-API-Key is not valid'))
    next()
  }
}
