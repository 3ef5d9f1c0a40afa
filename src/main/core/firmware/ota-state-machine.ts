import type { EventView, OtaStateView } from '../../../shared/api-schemas'
import type { DeviceFirmwareRepository } from '../devices/device-firmware-repository'
import type { DeviceService } from '../devices/device-service'
import type { Logger } from '../lib/logger'
import { isoMillis } from '../lib/time'
import type { FirmwareRepository, OtaStateRow } from './firmware-repository'
import { compareVersions, normaliseVersion } from './firmware-version'

export function toOtaStateView(row: OtaStateRow, blocked: Set<string>): OtaStateView {
  return {
    version: row.version,
    from_version: row.from_version,
    state: row.state,
    detail: row.detail,
    updated_at: row.updated_at,
    blocked_versions: [...blocked].sort(compareVersions)
  }
}

/**
 * Each device's OTA progress:
 * offered → downloading → installing (ota_start) → rebooting (ota_done) → done (the next
 * heartbeat reports the new version), or failed (ota_fail), after which that version is not
 * offered to that device again until someone presses retry. No update loops.
 */
export function createOtaStateMachine(deps: {
  repo: FirmwareRepository
  deviceFirmware: DeviceFirmwareRepository
  devices: () => DeviceService
  log: Logger
}) {
  const { repo, deviceFirmware, log } = deps

  // Devices with an update in progress. Every heartbeat asks "is this one updating?"; the answer
  // is nearly always no, so it comes from memory rather than a query.
  const updating = new Set(
    repo
      .states()
      .filter((r) => r.state !== 'done' && r.state !== 'failed')
      .map((r) => r.device_id)
  )

  const setState = (
    deviceId: string,
    version: string,
    state: OtaStateRow['state'],
    detail: string | null = null
  ) => {
    if (state === 'done' || state === 'failed') updating.delete(deviceId)
    else updating.add(deviceId)
    const previous = repo.state(deviceId)
    const fromVersion =
      previous && previous.version === version
        ? previous.from_version
        : (deps.devices().get(deviceId)?.firmware_version ?? null)
    repo.putState({
      device_id: deviceId,
      version,
      from_version: fromVersion,
      state,
      detail,
      updated_at: isoMillis()
    })
    deps.devices().announceChanged(deviceId)
  }

  /** The device runs `version` now: the update is done, and its chip is known. */
  const confirm = (deviceId: string, version: string) => {
    const fw = repo.byVersion(version)
    if (fw) deviceFirmware.setChip(deviceId, fw.chip)
    setState(deviceId, version, 'done')
  }

  return {
    otaState(deviceId: string): OtaStateView | null {
      const row = repo.state(deviceId)
      return row ? toOtaStateView(row, repo.blockedVersions(deviceId)) : null
    },
    otaStates(): Map<string, OtaStateView> {
      return new Map(
        repo
          .states()
          .map((row) => [row.device_id, toOtaStateView(row, repo.blockedVersions(row.device_id))])
      )
    },

    /** Records that a known device was offered `version` (unless it is already further along). */
    markOffered(deviceId: string, version: string): void {
      if (!deps.devices().get(deviceId)) return
      const current = repo.state(deviceId)
      if (
        current &&
        current.version === version &&
        current.state !== 'done' &&
        current.state !== 'failed'
      )
        return
      setState(deviceId, version, 'offered')
    },

    markDownloading(deviceId: string, version: string): void {
      if (!deps.devices().get(deviceId)) return
      const current = repo.state(deviceId)
      if (current && current.version === version && current.state === 'downloading') return
      setState(deviceId, version, 'downloading')
    },

    retry(deviceId: string): boolean {
      if (!deps.devices().get(deviceId)) return false
      repo.unblock(deviceId)
      const current = repo.state(deviceId)
      if (current?.state === 'failed')
        setState(deviceId, current.version, 'offered', 'retry requested')
      else deps.devices().announceChanged(deviceId)
      return true
    },

    /** ota_start / ota_done / ota_fail from the device's event log. */
    onEvent(event: EventView): void {
      if (!event.type.startsWith('ota_')) return
      const current = repo.state(event.device_id)
      const payloadVersion =
        typeof event.payload?.version === 'string' ? normaliseVersion(event.payload.version) : null
      const version = payloadVersion ?? current?.version
      if (!version) return
      const detail =
        typeof event.payload?.error === 'string' ? event.payload.error.slice(0, 200) : null
      if (event.type === 'ota_start') setState(event.device_id, version, 'installing')
      else if (event.type === 'ota_done') {
        // A device may beat on the new version before its ota_done arrives (buffered events).
        const running = normaliseVersion(deps.devices().get(event.device_id)?.firmware_version)
        if (running === version) confirm(event.device_id, version)
        else setState(event.device_id, version, 'rebooting')
      } else if (event.type === 'ota_fail') {
        repo.block(event.device_id, version, isoMillis())
        setState(event.device_id, version, 'failed', detail)
        log.warn('update failed', { device_id: event.device_id, version })
      }
    },

    /** Whether a heartbeat from this device may confirm an update (answered from memory). */
    awaitsConfirmation(deviceId: string): boolean {
      return updating.has(deviceId)
    },

    /** A heartbeat reporting the version being installed confirms the update. */
    onHeartbeat(deviceId: string, firmwareVersion: string | null): void {
      if (!updating.has(deviceId)) return
      const current = repo.state(deviceId)
      if (!current || current.state === 'done' || current.state === 'failed' || !firmwareVersion)
        return
      if (normaliseVersion(firmwareVersion) !== current.version) return
      confirm(deviceId, current.version)
    }
  }
}
