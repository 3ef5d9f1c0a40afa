import { createHash } from 'node:crypto'
import type { FirmwareRow } from './firmware-repository'

/**
 * A device's place (0-99) in a staged rollout of `version`. Salted with the version so the same
 * dispensers are not always the first to receive a risky build; stable for a given version, so
 * raising the percentage only ever adds devices.
 */
export function rolloutBucket(deviceId: string, version: string): number {
  return createHash('sha256').update(`${version}\0${deviceId}`).digest().readUInt32BE(0) % 100
}

export function isEligible(
  fw: Pick<FirmwareRow, 'id' | 'version' | 'target' | 'percent' | 'paused'>,
  deviceId: string | undefined,
  targets: ReadonlyMap<number, ReadonlySet<string>>
): boolean {
  if (fw.paused) return false
  switch (fw.target) {
    case 'all':
      return true
    case 'devices':
      return deviceId !== undefined && (targets.get(fw.id)?.has(deviceId) ?? false)
    case 'percent':
      return deviceId !== undefined && rolloutBucket(deviceId, fw.version) < (fw.percent ?? 0)
  }
}
