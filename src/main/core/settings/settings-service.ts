import { networkInterfaces } from 'node:os'
import {
  editableSettingsSchema,
  type EditableSettings,
  type SettingsView
} from '../../../shared/api-schemas'
import { resolveConfig, type ConfigFlags, type Env } from '../config'
import { APP_VERSION } from '../lib/version'
import type { SettingsRepository } from './settings-repository'

export const editableSettingsPatchSchema = editableSettingsSchema.partial().strict()

/** LAN addresses a dispenser could use to reach this machine. */
export function lanAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((a) => a && a.family === 'IPv4' && !a.internal)
    .map((a) => a!.address)
}

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
  deviceKey: () => string
}) {
  const { repo, env, flags, dataDir, running } = deps
  const resolve = () => resolveConfig({ defaults: { dataDir }, settings: repo.all(), env, flags })

  const current = (): EditableSettings => {
    const { config } = resolve()
    return { offline_after_s: config.offlineAfterS, port: config.port, host: config.host }
  }

  return {
    current,
    offlineAfterS: () => current().offline_after_s,
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
        device_api_key: deps.deviceKey(),
        server: {
          version: APP_VERSION,
          port: running.port(),
          addresses: lanAddresses(),
          data_dir: dataDir
        },
        restart_required: settings.port !== running.configuredPort || settings.host !== running.host
      }
    },
    update(patch: Partial<EditableSettings>): void {
      repo.setMany(patch)
    }
  }
}
