import { randomToken, sha256Hex } from '../lib/secrets'
import type { SettingsRepository } from '../settings/settings-repository'

const CURRENT = 'device_api_key'
const PREVIOUS = 'device_api_key_previous'
const PREVIOUS_UNTIL = 'device_api_key_previous_until'
/** SHA-256 of a short API_SECRET_KEY that was rotated away from in the dashboard. */
const ENV_REPLACED = 'device_api_key_env_replaced'

/** Keys shorter than this are seed-era keys (the original design's example was `tu-clave`). */
export const SHORT_KEY_LENGTH = 16

export class KeyFromEnvironmentError extends Error {}

/**
 * The device key(s). API_SECRET_KEY, when set, is the only key. Otherwise a generated key is kept
 * in the settings table and can be rotated: the previous key keeps working for a grace period so
 * each dispenser can be reflashed with the new one without going dark.
 */
export class DeviceKeys {
  // Read on every device request, so held in memory; only rotate() changes them.
  private previous: { key: string; until: string } | undefined

  private constructor(
    private readonly settings: SettingsRepository,
    private fromEnv: string | undefined,
    private key: string,
    readonly generated: boolean
  ) {
    const previous = settings.get<string>(PREVIOUS)
    const until = settings.get<string>(PREVIOUS_UNTIL)
    if (!fromEnv && typeof previous === 'string' && typeof until === 'string')
      this.previous = { key: previous, until }
  }

  static load(settings: SettingsRepository, fromEnv: string | undefined): DeviceKeys {
    if (fromEnv) {
      // A short API_SECRET_KEY the family rotated away from in the dashboard: the generated key
      // wins while the environment still names that same old key (it keeps working only for the
      // grace period). Any other value in the environment is a deliberate new key and wins.
      const stored = settings.get<string>(CURRENT)
      const replaced = settings.get<string>(ENV_REPLACED) === sha256Hex(fromEnv)
      if (replaced && typeof stored === 'string' && stored.length >= SHORT_KEY_LENGTH) {
        const keys = new DeviceKeys(settings, undefined, stored, false)
        keys.envKeyReplaced = true
        return keys
      }
      return new DeviceKeys(settings, fromEnv, fromEnv, false)
    }
    const stored = settings.get<string>(CURRENT)
    if (typeof stored === 'string' && stored.length >= 16)
      return new DeviceKeys(settings, undefined, stored, false)
    const key = randomToken(24)
    settings.set(CURRENT, key)
    return new DeviceKeys(settings, undefined, key, true)
  }

  /** API_SECRET_KEY still names a short key that was replaced by a rotation (log a reminder). */
  envKeyReplaced = false

  get setByEnvironment(): boolean {
    return this.fromEnv !== undefined
  }

  /** A seed-era key: accepted, with a warning suggesting a rotation. */
  get short(): boolean {
    return this.key.length < SHORT_KEY_LENGTH
  }

  /** Rotation makes a new key in the database; a long API_SECRET_KEY is changed there instead. */
  get rotatable(): boolean {
    return !this.fromEnv || this.short
  }

  current(): string {
    return this.key
  }

  /** When the previous key stops working, if one is in its grace period. */
  previousValidUntil(now = new Date()): string | null {
    return this.previous && this.previous.until > now.toISOString() ? this.previous.until : null
  }

  /** Every key a device may use right now. */
  accepted(now = new Date()): string[] {
    return this.previousValidUntil(now) ? [this.key, this.previous!.key] : [this.key]
  }

  rotate(graceMs: number, now = new Date()): { key: string; previousValidUntil: string | null } {
    if (!this.rotatable)
      throw new KeyFromEnvironmentError('the device key is set by API_SECRET_KEY')
    const next = randomToken(24)
    const until = graceMs > 0 ? new Date(now.getTime() + graceMs).toISOString() : null
    this.settings.setMany({
      [CURRENT]: next,
      [PREVIOUS]: this.key,
      [PREVIOUS_UNTIL]: until,
      ...(this.fromEnv ? { [ENV_REPLACED]: sha256Hex(this.fromEnv) } : {})
    })
    if (this.fromEnv) {
      this.fromEnv = undefined
      this.envKeyReplaced = true
    }
    this.previous = until ? { key: this.key, until } : undefined
    this.key = next
    return { key: next, previousValidUntil: until }
  }
}
