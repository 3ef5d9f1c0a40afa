import { HttpError } from '../http/errors'
import { TokenBuckets } from '../lib/token-bucket'
import type { DeviceService } from './device-service'

/** Refuses a device the family blocked from the dashboard: 403, and nothing it sends is stored. */
export function assertNotBlocked(devices: DeviceService, deviceId: string | undefined): void {
  if (deviceId && devices.isBlocked(deviceId)) {
    throw new HttpError(
      403,
      'device-blocked',
      `device ${deviceId} is blocked in Pastillero`,
      'device_id'
    )
  }
}

/**
 * Events are the only device writes that grow the database, so each device gets a budget: a
 * burst of 120, then one per second. A firmware stuck in a loop gets 429s instead of filling the
 * disk; a real dispenser logs a handful of events an hour.
 */
export function createEventRateLimit(capacity = 120, perSecond = 1) {
  const buckets = new TokenBuckets(capacity, perSecond)
  return (deviceId: string): void => {
    const waitMs = buckets.take(deviceId)
    if (waitMs > 0) {
      const seconds = Math.max(1, Math.ceil(waitMs / 1000))
      throw new HttpError(
        429,
        'rate-limited',
        `too many events from ${deviceId}; retry in ${seconds} s`,
        undefined,
        {
          'Retry-After': String(seconds)
        }
      )
    }
  }
}
