import { readFileSync } from 'node:fs'
import type { FirmwareView } from '../../../shared/api-schemas'
import type { DeviceFirmwareRepository } from '../devices/device-firmware-repository'
import type { DeviceService } from '../devices/device-service'
import { Conflict, Invalid, NotFound } from '../lib/domain-errors'
import type { CoreEventBus } from '../lib/event-bus'
import type { Logger } from '../lib/logger'
import { isoMillis } from '../lib/time'
import type { Db } from '../store/db'
import { parseEsp32Image, ImageError } from './esp32-image'
import type { FirmwareFiles, StagedFile } from './firmware-files'
import type { FirmwareRepository, FirmwareRow } from './firmware-repository'
import { chooseVersion, compareVersions, normaliseVersion } from './firmware-version'
import { createOtaStateMachine } from './ota-state-machine'
import { isEligible } from './rollout'
import type { ReleaseBody } from './schemas'

export type FirmwareService = ReturnType<typeof createFirmwareService>

/**
 * The firmware store and releases: uploads, the rollout rule that picks what each device is
 * offered, and the files. Each device's OTA progress is ota-state-machine.ts's (its methods are
 * part of this service).
 */
export function createFirmwareService(deps: {
  db: Db
  repo: FirmwareRepository
  /** The chips and running versions recorded on the devices' rows. */
  deviceFirmware: DeviceFirmwareRepository
  files: FirmwareFiles
  devices: () => DeviceService
  bus: CoreEventBus
  log: Logger
}) {
  const { db, repo, deviceFirmware, files, bus, log } = deps

  const toView = (
    row: FirmwareRow,
    running: Map<string, number>,
    targets: Map<number, Set<string>>
  ): FirmwareView => ({
    id: row.id,
    version: row.version,
    sha256: row.sha256,
    md5: row.md5,
    size: row.size,
    chip: row.chip,
    project_name: row.project_name,
    app_version: row.app_version,
    build_date: row.build_date,
    build_time: row.build_time,
    idf_version: row.idf_version,
    file_name: row.file_name,
    notes: row.notes,
    uploaded_at: row.uploaded_at,
    release: {
      target: row.target,
      percent: row.percent,
      devices: [...(targets.get(row.id) ?? [])].sort(),
      paused: row.paused === 1
    },
    devices_running: running.get(row.version) ?? 0
  })

  const view = (id: number): FirmwareView | undefined => {
    const row = repo.get(id)
    return row ? toView(row, deviceFirmware.runningCounts(), repo.targetsByFirmware()) : undefined
  }

  const announceFirmware = () => bus.emit('firmware.updated', {})

  const ota = createOtaStateMachine({
    repo,
    deviceFirmware,
    devices: deps.devices,
    log
  })

  const service = {
    ...ota,
    list(): FirmwareView[] {
      const running = deviceFirmware.runningCounts()
      const targets = repo.targetsByFirmware()
      return repo
        .list()
        .sort((a, b) => compareVersions(b.version, a.version))
        .map((row) => toView(row, running, targets))
    },
    get: view,

    /**
     * Validates a staged upload and, if it is good firmware, moves it into place and records it
     * (released to all devices, as the seed did; `held`: paused, offered to nobody until a
     * release says otherwise — the dashboard's "confirm before it goes out"). The temp file is
     * always consumed.
     */
    add(
      staged: StagedFile,
      input: { formVersion?: string; notes?: string; fileName?: string; held?: boolean }
    ): FirmwareView {
      let committed = false
      try {
        let image
        try {
          image = parseEsp32Image(readFileSync(staged.tempPath))
        } catch (err) {
          if (err instanceof ImageError) throw new Invalid(`invalid-firmware`, err.message, 'file')
          throw err
        }
        const chosen = chooseVersion({
          formVersion: input.formVersion,
          appVersion: image.app.version,
          projectName: image.app.projectName,
          fileName: input.fileName
        })
        if ('error' in chosen) throw new Invalid('invalid-version', chosen.error, 'version')
        if (repo.byVersion(chosen.version)) {
          throw new Conflict(
            'version-exists',
            `version ${chosen.version} is already uploaded`,
            'version'
          )
        }
        // File first (fsynced, renamed), row second: a crash in between leaves an orphan file
        // that the start-up sweep removes, never a row without its file.
        files.commit(staged)
        committed = true
        // One transaction: a held upload is never, even for a moment, released to all.
        const row = db.transaction(() => {
          const inserted = repo.insert({
            version: chosen.version,
            sha256: staged.sha256,
            md5: staged.md5,
            size: staged.size,
            chip: image.chip,
            chip_id: image.chipId,
            project_name: image.app.projectName,
            app_version: image.app.version,
            build_date: image.app.date,
            build_time: image.app.time,
            idf_version: image.app.idfVersion,
            file_name: input.fileName ?? null,
            notes: input.notes?.trim() ? input.notes.trim() : null,
            uploaded_at: isoMillis()
          })
          if (input.held) repo.setPaused(inserted.id, true)
          return inserted
        })()
        log.info('firmware added', {
          version: row.version,
          chip: row.chip,
          size: row.size,
          held: input.held === true
        })
        announceFirmware()
        return view(row.id)!
      } catch (err) {
        if (!committed) files.discard(staged)
        else if (!repo.isFileUsed(staged.sha256)) files.remove(staged.sha256)
        throw err
      }
    },

    remove(id: number): boolean {
      const row = repo.get(id)
      if (!row || !repo.remove(id)) return false
      if (!repo.isFileUsed(row.sha256)) files.remove(row.sha256)
      announceFirmware()
      return true
    },

    release(id: number, body: ReleaseBody): FirmwareView {
      const row = repo.get(id)
      if (!row) throw new NotFound('firmware-not-found', `no firmware with id ${id}`, 'id')
      if (body.devices) {
        for (const deviceId of body.devices) {
          const chip = deviceFirmware.chip(deviceId)
          if (!deps.devices().get(deviceId)) {
            throw new Invalid('device-not-found', `no device with id ${deviceId}`, 'devices')
          }
          if (chip && chip !== row.chip) {
            throw new Invalid(
              'chip-mismatch',
              `${deviceId} is an ${chip}; this firmware is built for ${row.chip}`,
              'devices'
            )
          }
        }
      }
      db.transaction(() => {
        if (body.target === 'all') repo.setRelease(id, 'all', null, [])
        else if (body.devices) repo.setRelease(id, 'devices', null, body.devices)
        else if (body.percent !== undefined) repo.setRelease(id, 'percent', body.percent, [])
        if (body.paused !== undefined) repo.setPaused(id, body.paused)
      })()
      announceFirmware()
      return view(id)!
    },

    /**
     * The newest released firmware this device may have that is newer than what it runs.
     *
     * Chip rule (issue 11): a device whose chip is known (reported in its heartbeat, or learned
     * from a build it installed) is only offered builds for that chip. A device whose chip is
     * unknown is offered a build only while every build released to it is for one chip: once
     * they disagree, any offer could be for the wrong chip (an update that can only fail on the
     * device), so it is offered nothing until it reports its chip.
     */
    offerFor(
      deviceId: string | undefined,
      currentVersion: string | undefined
    ): FirmwareRow | undefined {
      const current = normaliseVersion(currentVersion) ?? '0.0.0'
      const targets = repo.targetsByFirmware()
      const blocked = deviceId ? repo.blockedVersions(deviceId) : new Set<string>()
      const chip = deviceId ? deviceFirmware.chip(deviceId) : null
      const released = repo.list().filter((fw) => isEligible(fw, deviceId, targets))
      if (!chip && new Set(released.map((fw) => fw.chip)).size > 1) return undefined
      return released
        .filter(
          (fw) =>
            compareVersions(fw.version, current) > 0 &&
            !blocked.has(fw.version) &&
            (!chip || chip === fw.chip)
        )
        .sort((a, b) => compareVersions(b.version, a.version))[0]
    },

    byVersion(version: string): FirmwareRow | undefined {
      const v = normaliseVersion(version)
      return v ? repo.byVersion(v) : undefined
    },

    filePath: (row: FirmwareRow) => files.pathFor(row.sha256),

    /** The version a device last reported in its heartbeat. */
    reportedVersion: (deviceId: string): string | undefined =>
      deps.devices().get(deviceId)?.firmware_version ?? undefined,

    /** Start-up: drop temp files and files that lost their row to a crash. */
    sweep(): void {
      const removed = files.sweep((sha) => repo.isFileUsed(sha))
      if (removed.length) log.warn('removed leftover firmware files', { files: removed })
    }
  }
  return service
}
