const PRUNE_ABOVE = 10_000

/**
 * Per-key token buckets: `capacity` requests at once, refilled at `perSecond`. Keys whose bucket
 * is full again are forgotten (a full bucket is the same as none), so memory stays bounded by
 * twice the active keys.
 *
 * A bucket is held as one number, the instant (ms) it will be full again: with every dispenser
 * of a 100,000-device fleet in the heartbeat limiter, a number per key instead of an object with
 * two numbers is a few MB less (issue 12). At `now` the bucket holds
 * `capacity - max(0, fullAt - now) * perSecond / 1000` tokens.
 */
export class TokenBuckets {
  private readonly fullAt = new Map<string, number>()
  private readonly msPerToken: number
  private pruneAbove = PRUNE_ABOVE

  constructor(
    private readonly capacity: number,
    perSecond: number
  ) {
    this.msPerToken = 1000 / perSecond
  }

  /** Takes one token; returns 0 when allowed, else the milliseconds until one is available. */
  take(key: string, now = Date.now()): number {
    const deficitMs = Math.max(0, (this.fullAt.get(key) ?? now) - now)
    const tokens = this.capacity - deficitMs / this.msPerToken
    if (tokens < 1) return Math.ceil((1 - tokens) * this.msPerToken)
    this.fullAt.set(key, now + deficitMs + this.msPerToken)
    if (this.fullAt.size > this.pruneAbove) {
      this.prune(now)
      // The next sweep waits until the map has doubled: with more active keys than 10,000 (a
      // large fleet, each beating every 30 s) a sweep on every take would cost O(keys) per take.
      this.pruneAbove = Math.max(PRUNE_ABOVE, 2 * this.fullAt.size)
    }
    return 0
  }

  private prune(now: number): void {
    for (const [key, fullAt] of this.fullAt) if (fullAt <= now) this.fullAt.delete(key)
  }
}
