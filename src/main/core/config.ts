import { z } from 'zod'
import { homedir } from 'node:os'
import { join } from 'node:path'

/**
 * Configuration, from lowest to highest precedence:
 *   defaults < settings saved in the database < environment (and .env) < CLI flags.
 * Every value is validated; a bad one becomes a ConfigError naming where it came from.
 */

export class ConfigError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ConfigError'
  }
}

export type Env = Readonly<Record<string, string | undefined>>

const wholeNumber = (min: number, max: number, what: string) =>
  z.preprocess(
    (v) => (typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : v),
    z
      .number({ error: `must be ${what}` })
      .int(`must be ${what}`)
      .min(min, `must be ${what}`)
      .max(max, `must be ${what}`)
  )

const FIELDS = {
  port: {
    env: 'PASTILLERO_PORT',
    flag: '--port',
    setting: 'port',
    schema: wholeNumber(0, 65535, 'a whole number from 0 to 65535')
  },
  host: {
    env: 'PASTILLERO_HOST',
    flag: '--host',
    setting: 'host',
    schema: z.string().trim().min(1, 'must not be empty').max(255, 'is too long')
  },
  dataDir: {
    env: 'PASTILLERO_DATA_DIR',
    flag: '--data-dir',
    setting: undefined,
    schema: z.string().trim().min(1, 'must not be empty')
  },
  apiKey: {
    env: 'API_SECRET_KEY',
    flag: undefined,
    setting: undefined,
    schema: z
      .string()
      // A short seed-era key (`tu-clave`) is accepted: the core warns and suggests a rotation.
      .min(1, 'must not be empty')
      .max(128, 'must be at most 128 characters')
      .regex(
        /^[\x21-\x7e]+$/,
        'may only contain printable ASCII without spaces (it travels in an HTTP header)'
      )
  },
  adminPassword: {
    env: 'ADMIN_PASSWORD',
    flag: undefined,
    setting: undefined,
    schema: z
      .string()
      .min(8, 'must be at least 8 characters')
      .max(256, 'must be at most 256 characters')
  },
  offlineAfterS: {
    env: 'PASTILLERO_OFFLINE_AFTER_S',
    flag: undefined,
    setting: 'offline_after_s',
    schema: wholeNumber(30, 86400, 'a whole number of seconds from 30 to 86400')
  },
  telegramToken: {
    env: 'TELEGRAM_BOT_TOKEN',
    flag: undefined,
    setting: undefined,
    schema: z
      .string()
      .trim()
      .regex(
        /^\d{3,}:[A-Za-z0-9_-]{20,}$/,
        'is not a bot token like 123456:ABC-DEF… (from @BotFather)'
      )
  },
  telegramApiUrl: {
    env: 'TELEGRAM_API_URL',
    flag: undefined,
    setting: undefined,
    schema: z
      .url({
        protocol: /^https?$/,
        error: 'must be an http(s) URL such as https://api.telegram.org'
      })
      .transform((u) => u.replace(/\/+$/, ''))
  },
  trustProxy: {
    env: 'PASTILLERO_TRUST_PROXY',
    flag: '--trust-proxy',
    setting: undefined,
    schema: z.preprocess(
      (v) => {
        if (typeof v !== 'string') return v
        const t = v.trim().toLowerCase()
        if (['1', 'true', 'yes', 'on'].includes(t)) return true
        if (['0', 'false', 'no', 'off'].includes(t)) return false
        return v
      },
      z.boolean({ error: 'must be 1/true or 0/false' })
    )
  },
  allowedHosts: {
    env: 'PASTILLERO_ALLOWED_HOSTS',
    flag: undefined,
    setting: undefined,
    schema: z
      .string()
      .regex(
        /^\s*[A-Za-z0-9.-]+(\s*,\s*[A-Za-z0-9.-]+)*\s*$/,
        'must be host names separated by commas, e.g. pastillero.example.com'
      )
      .transform((v) => v.split(',').map((x) => x.trim().toLowerCase()))
  },
  telegramChatIds: {
    env: 'TELEGRAM_CHAT_ID',
    flag: undefined,
    setting: undefined,
    schema: z
      .string()
      .regex(
        /^\s*-?\d+(\s*,\s*-?\d+)*\s*$/,
        'must be chat ids separated by commas, e.g. 12345,-100987'
      )
      .transform((v) => v.split(',').map((x) => x.trim()))
  }
} as const

export type ConfigKey = keyof typeof FIELDS

export interface CoreConfig {
  port: number
  host: string
  dataDir: string
  /** Device key from the environment; when absent the core keeps a generated one in the DB. */
  apiKey?: string
  /** Admin password from the environment; when absent the core keeps a scrypt hash in the DB. */
  adminPassword?: string
  offlineAfterS: number
  telegramToken?: string
  telegramApiUrl?: string
  telegramChatIds?: string[]
  /** Behind a reverse proxy: client address and scheme come from its X-Forwarded-* headers. */
  trustProxy?: boolean
  /** Extra names the admin API answers to (e.g. the proxy's public name), besides local ones. */
  allowedHosts?: string[]
}

export interface ConfigFlags {
  port?: string | number
  host?: string
  dataDir?: string
  trustProxy?: boolean
}

export interface ResolvedConfig {
  config: CoreConfig
  /** Which layer each key came from: 'default', 'setting', an env var name or a CLI flag. */
  sources: Record<ConfigKey, string>
}

export const DEFAULTS = { port: 8000, host: '0.0.0.0', offlineAfterS: 180 } as const

export function resolveConfig(input: {
  defaults: { dataDir: string } & Partial<CoreConfig>
  settings?: Readonly<Record<string, unknown>>
  env?: Env
  flags?: ConfigFlags
}): ResolvedConfig {
  const { settings = {}, env = {}, flags = {} } = input
  const defaults: Partial<CoreConfig> = { ...DEFAULTS, ...input.defaults }
  const out: Record<string, unknown> = {}
  const sources = {} as Record<ConfigKey, string>

  for (const key of Object.keys(FIELDS) as ConfigKey[]) {
    const spec = FIELDS[key]
    const layers: Array<[string, unknown]> = [['default', defaults[key]]]
    if (spec.setting && settings[spec.setting] !== undefined)
      layers.push([`setting ${spec.setting}`, settings[spec.setting]])
    const envValue = env[spec.env]
    if (envValue !== undefined && envValue !== '') layers.push([spec.env, envValue])
    const flagValue = spec.flag ? flags[key as keyof ConfigFlags] : undefined
    if (flagValue !== undefined) layers.push([spec.flag!, flagValue])

    const [source, raw] = layers.at(-1)!
    if (raw === undefined) continue
    const parsed = spec.schema.safeParse(raw)
    if (!parsed.success) {
      const shown =
        typeof raw === 'string' &&
        key !== 'apiKey' &&
        key !== 'adminPassword' &&
        key !== 'telegramToken'
          ? ` (got "${raw}")`
          : ''
      throw new ConfigError(`${source}: ${parsed.error.issues[0]!.message}${shown}`)
    }
    out[key] = parsed.data
    sources[key] = source
  }
  return { config: out as unknown as CoreConfig, sources }
}

/** The OS's per-user data directory, for headless runs (Electron passes its userData instead). */
export function defaultHeadlessDataDir(
  env: Env = process.env,
  platform = process.platform
): string {
  const home = homedir()
  if (platform === 'win32')
    return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Pastillero')
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Pastillero')
  return join(env.XDG_DATA_HOME || join(home, '.local', 'share'), 'pastillero')
}
