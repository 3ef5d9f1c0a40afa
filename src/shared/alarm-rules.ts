/**
 * The rules of a schedule alarm, zod-free: read by the zod schemas (schedule-schemas.ts), the
 * core's checks and the dashboard's form validation, so the limits live in one place.
 */
export const ALARM_LIMITS = {
  /** Alarms per device. */
  maxAlarms: 24,
  labelMax: 64,
  compartment: { min: 1, max: 64 },
  pillCountMax: 20,
  /** The on-time window, in minutes. */
  window: { min: 5, max: 720 },
  medicineMax: 80,
  doseMax: 40
} as const

/** The on-time window of an alarm that does not set its own, in minutes. */
export const DEFAULT_WINDOW_MIN = 60

/** A clock time "HH:MM", 00:00–23:59. */
export const CLOCK_TIME_PATTERN = /^([01]\d|2[0-3]):[0-5]\d$/

/** Labels are matched against what devices send: control characters are refused. */
export function hasControlCharacters(label: string): boolean {
  return /\p{Cc}/u.test(label)
}

/**
 * The form labels are compared in. Labels typed in the dashboard and labels compiled into
 * firmware rarely match byte for byte: case, spacing and accents ("mañana" / "manana") are
 * ignored.
 */
export function normalizeLabel(label: string): string {
  return label.normalize('NFD').replace(/\p{M}/gu, '').replace(/\s+/g, ' ').trim().toLowerCase()
}
