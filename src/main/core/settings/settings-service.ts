import { networkInterfaces } from 'node:os'
import {
  editableSettingsSchema,
  type EditableSettings,
  type SettingsView
} from '../../../shared/api-schemas'
import { resolveConfig, type ConfigFlags, type Env } from '../config'
import { isLoopbackHost } from '../discovery/core-discovery'
import { APP_VERSION } from '../lib/version'
import type { SettingsRepository } from './settings-repository'

/** LAN addresses a dispenser could use to reach this machine. */
export function lanAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((a) => a && a.family === 'IPv4' && !a.internal)
    .map((a) => a!.address)
}

/** Defaults for the settings that only the dashboard sets (no environment variable). */
export const FAMILY_DEFAULTS = {
  time_zone: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC',
  language: 'es',
  // The on-time window of alarms outside a schedule, and so when their dose counts as missed
  // and alerted: the same 60 minutes a schedule alarm gets by default (DEFAULT_WINDOW_MIN).
  missed_dose_after_s: 3600,
  quiet_hours: null,
  mdns_enabled: true,
  backup_keep: 7,
  events_retention_days: 0
} satisfies Partial<EditableSettings>

export type SettingsService = ReturnType<typeof createSettingsService>

/**
 * Editable settings live in the DB; the environment and CLI flags still win over them, which the
 * view reports so the dashboard can say why a change has no effect.
 */
export function createSettingsService(deps: {
  repo: SettingsRepository
  env: Env
  flags: ConfigFlags
  dataDir: string
  running: { port: () => number; configuredPort: number; host: string }
  deviceKeys: import('../admin/device-keys').DeviceKeys
  /** The name this server is advertised under by mDNS, when it is. */
  mdnsName?: () => string | undefined
}) {
  const { repo, env, flags, dataDir, running } = deps
  // Read on every heartbeat, so cached; every write goes through update(), which clears it.
  let cached:
    | {
        resolved: ReturnType<typeof resolveConfig>
        settings: EditableSettings
        zoneConfirmed: boolean
      }
    | undefined
  const load = () => {
    if (cached) return cached
    const stored = repo.all()
    const resolved = resolveConfig({ defaults: { dataDir }, settings: stored, env, flags })
    const pick = <K extends keyof EditableSettings>(key: K): EditableSettings[K] => {
      const parsed = editableSettingsSchema.shape[key].safeParse(stored[key])
      return parsed.success
        ? (parsed.data as EditableSettings[K])
        : (FAMILY_DEFAULTS[key as keyof typeof FAMILY_DEFAULTS] as EditableSettings[K])
    }
    const settings: EditableSettings = {
      offline_after_s: resolved.config.offlineAfterS,
      port: resolved.config.port,
      host: resolved.config.host,
      time_zone: pick('time_zone'),
      language: pick('language'),
      missed_dose_after_s: pick('missed_dose_after_s'),
      quiet_hours: pick('quiet_hours'),
      mdns_enabled: pick('mdns_enabled'),
      backup_keep: pick('backup_keep'),
      events_retention_days: pick('events_retention_days')
    }
    // The default zone is the server's (UTC on a headless box): until someone picks one, the
    // dashboard asks for it.
    cached = { resolved, settings, zoneConfirmed: stored.time_zone !== undefined }
    return cached
  }
  const resolve = () => load().resolved
  const current = (): EditableSettings => load().settings

  return {
    current,
    offlineAfterS: () => current().offline_after_s,
    /** Whether the family chose its time zone (false: still the server's default). */
    zoneConfirmed: () => load().zoneConfirmed,
    view(): SettingsView {
      const { sources } = resolve()
      const overridden_by: Record<string, string> = {}
      const keys = { offline_after_s: 'offlineAfterS', port: 'port', host: 'host' } as const
      for (const [name, key] of Object.entries(keys)) {
        const source = sources[key]
        if (source && source !== 'default' && !source.startsWith('setting '))
          overridden_by[name] = source
      }
      const settings = current()
      return {
        ok: true,
        settings,
        overridden_by,
        device_api_key: deps.deviceKeys.current(),
        device_api_key_previous_until: deps.deviceKeys.previousValidUntil(),
        device_api_key_from_env: deps.deviceKeys.setByEnvironment,
        server: {
          version: APP_VERSION,
          port: running.port(),
          addresses: lanAddresses(),
          mdns_name: deps.mdnsName?.() ?? null,
          host: running.host,
          loopback_only: isLoopbackHost(running.host),
          data_dir: dataDir
        },
        restart_required: settings.port !== running.configuredPort || settings.host !== running.host
      }
    },
    update(patch: Partial<EditableSettings>): void {
      repo.setMany(patch)
      cached = undefined
    }
  }
}
