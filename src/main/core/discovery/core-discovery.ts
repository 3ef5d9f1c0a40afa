import { randomUUID } from 'node:crypto'
import type { Logger } from '../lib/logger'
import { APP_VERSION } from '../lib/version'
import type { SettingsRepository } from '../settings/settings-repository'
import { MdnsAdvertiser } from './mdns-advertiser'

/** Settings keys read here (stored in the settings table like any other setting). */
export const MDNS_ENABLED_SETTING = 'mdns_enabled'
export const INSTANCE_ID_SETTING = 'instance_id'

/** Generated on first use and kept, so the TXT `id` survives restarts and renames. */
export function ensureInstanceId(settings: SettingsRepository): string {
  const stored = settings.get<unknown>(INSTANCE_ID_SETTING)
  if (typeof stored === 'string' && /^[\w-]{8,64}$/.test(stored)) return stored
  const id = randomUUID()
  settings.set(INSTANCE_ID_SETTING, id)
  return id
}

export function mdnsEnabled(settings: SettingsRepository): boolean {
  const value = settings.get<unknown>(MDNS_ENABLED_SETTING)
  return value !== false && value !== 'false' && value !== 0
}

/** A listen address no dispenser could reach: advertising it would only mislead them. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '')
  return h === 'localhost' || h === '::1' || h.startsWith('127.')
}

/**
 * Starts mDNS for a running core, or explains in the log why not. Never throws: dispensers with a
 * fixed server address keep working without discovery, so a multicast problem must not stop the
 * server from starting.
 */
export async function startCoreDiscovery(deps: {
  settings: SettingsRepository
  port: number
  host: string
  log: Logger
}): Promise<MdnsAdvertiser | undefined> {
  const { settings, port, host, log } = deps
  if (!mdnsEnabled(settings)) {
    log.info(`mDNS: off (setting ${MDNS_ENABLED_SETTING} is false)`)
    return undefined
  }
  if (isLoopbackHost(host)) {
    log.info(`mDNS: not advertising, the server listens on ${host} only`)
    return undefined
  }
  const advertiser = new MdnsAdvertiser({
    port,
    instanceId: ensureInstanceId(settings),
    version: APP_VERSION,
    log
  })
  try {
    await advertiser.start()
    return advertiser
  } catch (err) {
    log.warn(`mDNS: could not advertise: ${err instanceof Error ? err.message : String(err)}`)
    await advertiser.stop().catch(() => undefined)
    return undefined
  }
}
