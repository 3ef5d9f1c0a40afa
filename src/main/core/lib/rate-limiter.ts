/**
 * Counts failures per key in a sliding window. In memory on purpose: a restart forgiving a few
 * failed logins is harmless, and it keeps the hot path free of writes.
 *
 * An attempt is counted when it starts (reserve), not when its slow check ends: otherwise many
 * concurrent guesses all pass the check before the first failure is recorded. A successful
 * attempt gives its reservation back (release).
 */
export class FailureLimiter {
  private readonly failures = new Map<string, number[]>()

  constructor(
    readonly maxFailures: number,
    readonly windowMs: number
  ) {}

  /** Milliseconds until `key` may try again, or 0 when it may try now. */
  retryAfterMs(key: string, now = Date.now()): number {
    const recent = this.recent(key, now)
    if (recent.length < this.maxFailures) return 0
    return Math.max(1, recent[0]! + this.windowMs - now)
  }

  /**
   * Counts an attempt as a failure now, unless the key is over its limit. Returns the handle to
   * give back on success, or undefined when the key must wait.
   */
  reserve(key: string, now = Date.now()): { key: string; at: number } | undefined {
    if (this.retryAfterMs(key, now) > 0) return undefined
    this.fail(key, now)
    return { key, at: now }
  }

  /** Gives a reservation back (the attempt succeeded, or was never tried). */
  release(handle: { key: string; at: number }): void {
    const list = this.failures.get(handle.key)
    if (!list) return
    const i = list.indexOf(handle.at)
    if (i >= 0) list.splice(i, 1)
    if (list.length === 0) this.failures.delete(handle.key)
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
