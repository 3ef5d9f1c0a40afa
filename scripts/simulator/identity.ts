import { hashString } from './random'

export interface DeviceIdentity {
  /** MAC-like, as an ESP32 reports `WiFi.macAddress()`: `24:6F:28:xx:xx:xx`. */
  device_id: string
  /** `Pastillero 001` … wide enough for the fleet size. */
  name: string
  /** A LAN address for the heartbeat's `ip_address` field. */
  ip_address: string
}

/** Espressif's OUI, so ids look like real dispensers in the dashboard. */
export const DEFAULT_OUI = '24:6F:28'

const OUI_PATTERN = /^[0-9A-F]{2}:[0-9A-F]{2}:[0-9A-F]{2}$/

/**
 * The id of fleet member `index`. The low 24 bits are `hash(seed) + index * odd` mod 2^24: an odd
 * multiplier makes this a bijection on 0..2^24-1, so ids never collide within a fleet, while
 * different seeds give different-looking fleets. Same seed and index, same id: a rerun of the
 * simulator updates the devices it created before instead of adding new ones.
 */
export function deviceIdFor(index: number, seed = 'pastillero', oui = DEFAULT_OUI): string {
  if (!Number.isInteger(index) || index < 0 || index >= 1 << 24)
    throw new RangeError(`device index ${index} is out of range 0..16777215`)
  const prefix = oui.toUpperCase()
  if (!OUI_PATTERN.test(prefix)) throw new Error(`OUI "${oui}" must look like 24:6F:28`)
  const low = (hashString(seed) + Math.imul(index, 0x9e3779b1 | 1)) & 0xffffff
  const bytes = [low >>> 16, (low >>> 8) & 0xff, low & 0xff]
  return `${prefix}:${bytes.map((b) => b.toString(16).toUpperCase().padStart(2, '0')).join(':')}`
}

/** 192.168.x.y addresses, skipping .0/.1 of each /24; 10.x.y.z beyond what 192.168/16 holds. */
export function ipAddressFor(index: number): string {
  const perSubnet = 250
  const subnet = Math.floor(index / perSubnet)
  if (subnet < 254) return `192.168.${subnet + 1}.${(index % perSubnet) + 2}`
  const n = index + 2
  return `10.${(n >>> 16) & 0xff}.${(n >>> 8) & 0xff}.${n & 0xff}`
}

export function deviceNameFor(index: number, fleetSize: number, prefix = 'Pastillero'): string {
  const width = Math.max(3, String(fleetSize).length)
  return `${prefix} ${String(index + 1).padStart(width, '0')}`
}

export function identityFor(
  index: number,
  fleetSize: number,
  options: { seed?: string; oui?: string; namePrefix?: string } = {}
): DeviceIdentity {
  return {
    device_id: deviceIdFor(index, options.seed, options.oui),
    name: deviceNameFor(index, fleetSize, options.namePrefix),
    ip_address: ipAddressFor(index)
  }
}
