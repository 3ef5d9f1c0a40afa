/**
 * Small seeded randomness, so a fleet built from the same seed has the same ids, names and (given
 * the same timings) the same choices. Math.random() would make a failing run impossible to replay.
 */

/** FNV-1a over the UTF-16 code units: a stable 32-bit hash of a seed string. */
export function hashString(text: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

/** A random source: `next()` is uniform in [0, 1). */
export interface Random {
  next(): number
}

/** mulberry32: tiny, fast and good enough for jitter and coin flips (not for secrets). */
export function seededRandom(seed: number | string): Random {
  let state = typeof seed === 'string' ? hashString(seed) : seed >>> 0
  return {
    next() {
      state = (state + 0x6d2b79f5) >>> 0
      let t = state
      t = Math.imul(t ^ (t >>> 15), t | 1)
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296
    }
  }
}

/** `base` spread uniformly by ±`fraction` (0.1 → 90 %..110 %). */
export function jittered(random: Random, base: number, fraction: number): number {
  if (fraction <= 0) return base
  return base * (1 + (random.next() * 2 - 1) * fraction)
}

/** Uniform in [min, max]. */
export function between(random: Random, min: number, max: number): number {
  return min + random.next() * (max - min)
}

/**
 * Waiting time to the next event of a Poisson process with `perHour` events per hour: alarms then
 * arrive irregularly, as they do across a fleet, instead of in lockstep.
 */
export function exponentialDelayMs(random: Random, perHour: number): number {
  const meanMs = 3_600_000 / perHour
  // 1 - next() is in (0, 1], so the log is finite.
  return -Math.log(1 - random.next()) * meanMs
}
