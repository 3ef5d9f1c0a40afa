import type { RequestHandler } from 'express'
import { createHash, timingSafeEqual } from 'node:crypto'
import { HttpError } from './errors'

/**
 * Requires the device key in `X-API-Key`, as the seed did. Keys are compared in constant time.
 * `keys()` returns every key accepted right now (more than one during a key rotation).
 */
const digests = new Map<string, Buffer>()
function digestOf(key: string): Buffer {
  let digest = digests.get(key)
  if (!digest) {
    if (digests.size > 16) digests.clear()
    digest = createHash('sha256').update(key).digest()
    digests.set(key, digest)
  }
  return digest
}

export function requireDeviceKey(keys: () => readonly string[]): RequestHandler {
  return (req, _res, next) => {
    const given = req.get('x-api-key')
    if (!given)
      return next(new HttpError(401, 'missing-api-key', 'the X-API-Key header is required'))
    // Compare SHA-256 digests (equal length, constant time); check every key so the time taken
    // does not reveal which one matched. The accepted keys' digests are cached: they rarely change.
    const givenDigest = createHash('sha256').update(given).digest()
    let ok = false
    for (const key of keys()) ok = timingSafeEqual(givenDigest, digestOf(key)) || ok
    if (!ok) return next(new HttpError(401, 'invalid-api-key', 'the X-API-Key is not valid'))
    next()
  }
}
