/** UTC ISO-8601 with second precision, as the seed's FastAPI sent it: `2025-01-01T12:00:00Z`. */
export function isoSeconds(date: Date = new Date()): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/** UTC ISO-8601 with milliseconds: what we store, so ordering within a second survives. */
export function isoMillis(date: Date = new Date()): string {
  return date.toISOString()
}

/**
 * The core's one clock (ms since the epoch). Every service takes it from createCore, so a test
 * that moves it moves last-seen, received-at, presence and schedules together.
 */
export type Clock = () => number
