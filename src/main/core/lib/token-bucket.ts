const PRUNE_ABOVE = 10_000

/**
 * Per-key token buckets: `capacity` requests at once, refilled at `perSecond`. Keys idle long
 * enough to be full again are forgotten, so memory stays bounded by twice the active keys.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>()
  private pruneAbove = PRUNE_ABOVE

  constructor(
    private readonly capacity: number,
    private readonly perSecond: number
  ) {}

  /** Takes one token; returns 0 when allowed, else the milliseconds until one is available. */
  take(key: string, now = Date.now()): number {
    const bucket = this.buckets.get(key) ?? { tokens: this.capacity, at: now }
    bucket.tokens = Math.min(
      this.capacity,
      bucket.tokens + ((now - bucket.at) / 1000) * this.perSecond
    )
    bucket.at = now
    if (bucket.tokens < 1) {
      this.buckets.set(key, bucket)
      return Math.ceil(((1 - bucket.tokens) / this.perSecond) * 1000)
    }
    bucket.tokens -= 1
    this.buckets.set(key, bucket)
    if (this.buckets.size > this.pruneAbove) {
      this.prune(now)
      // The next sweep waits until the map has doubled: with more active keys than 10,000 (a
      // large fleet, each beating every 30 s) a sweep on every take would cost O(keys) per take.
      this.pruneAbove = Math.max(PRUNE_ABOVE, 2 * this.buckets.size)
    }
    return 0
  }

  private prune(now: number): void {
    const fullAfterMs = (this.capacity / this.perSecond) * 1000
    for (const [key, b] of this.buckets) if (now - b.at > fullAfterMs) this.buckets.delete(key)
  }
}
