/**
 * Counts failures per key in a sliding window. In memory on purpose: a restart forgiving a few
 * failed logins is harmless, and it keeps the hot path free of writes.
 */
export class FailureLimiter {
  private readonly failures = new Map<string, number[]>()

  constructor(
    private readonly maxFailures: number,
    private readonly windowMs: number
  ) {}

  /** Milliseconds until `key` may try again, or 0 when it may try now. */
  retryAfterMs(key: string, now = Date.now()): number {
    const recent = this.recent(key, now)
    if (recent.length < this.maxFailures) return 0
    return recent[0]! + this.windowMs - now
  }

  fail(key: string, now = Date.now()): void {
    const recent = this.recent(key, now)
    recent.push(now)
    this.failures.set(key, recent)
    if (this.failures.size > 10_000) this.prune(now)
  }

  reset(key: string): void {
    this.failures.delete(key)
  }

  private recent(key: string, now: number): number[] {
    return (this.failures.get(key) ?? []).filter((t) => now - t < this.windowMs)
  }

  private prune(now: number): void {
    for (const [key] of this.failures)
      if (this.recent(key, now).length === 0) this.failures.delete(key)
  }
}
