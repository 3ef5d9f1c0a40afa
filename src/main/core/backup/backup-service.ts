import Database from 'better-sqlite3'
import {
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync
} from 'node:fs'
import { join } from 'node:path'
import type { Readable } from 'node:stream'
import * as tar from 'tar'
import { DomainError, Invalid, NotFound, TooLarge } from '../lib/domain-errors'
import type { Logger } from '../lib/logger'
import type { SettingsService } from '../settings/settings-service'
import { makePrivate, PRIVATE_DIR, privatizeTree } from '../lib/private-files'
import { latestSchemaVersion, type Db } from '../store/db'
import { pendingStaging, requestRestore } from './pending-restore'

const DAY_MS = 24 * 3600 * 1000
const NAME = /^pastillero-(auto|manual)-\d{8}T\d{6}Z\.db$/
const REPLACED = /^replaced-[\dT-]+Z$/
/** Work folders and half-written files; anything matching that is not in use is left over. */
const LEFTOVER = /^(\.import-|\.upload-|\.export-).+|.+\.tmp$/

/**
 * How much an import may unpack, whatever the compression ratio: a small crafted upload must not
 * fill the disk. Generous next to a family's data (a year of events is a few tens of MB).
 */
export const IMPORT_MAX_UNPACKED_BYTES = 2 * 1024 * 1024 * 1024
const IMPORT_MAX_ENTRIES = 10_000
const IMPORT_ENTRY = /^(pastillero\.db|firmware\/?|firmware\/[0-9a-f]{64}\.bin)$/

export interface BackupInfo {
  name: string
  kind: 'auto' | 'manual'
  size: number
  created_at: string
}

function stamp(now: Date): string {
  return now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '')
}

/** Opens a candidate database read-only and checks it is sound and not from a newer app. */
export function validateDatabaseFile(file: string): void {
  let db: Database.Database | undefined
  try {
    db = new Database(file, { readonly: true, fileMustExist: true })
    const check = db.pragma('integrity_check', { simple: true })
    if (check !== 'ok')
      throw new Invalid('corrupt-backup', `the backup is damaged (${String(check)})`)
    const version = db.pragma('user_version', { simple: true }) as number
    if (version > latestSchemaVersion()) {
      throw new Invalid(
        'backup-from-newer-version',
        'the backup was made by a newer Pastillero; update first'
      )
    }
    if (version < 1) throw new Invalid('not-a-backup', 'this is not a Pastillero database')
  } catch (err) {
    if (err instanceof DomainError) throw err
    throw new Invalid('not-a-backup', 'this is not a Pastillero database')
  } finally {
    db?.close()
  }
}

/**
 * Online backups with SQLite's backup API (the app keeps running while it copies), a daily
 * automatic one keeping the newest N, restore into a fresh database at the next start, export
 * and import of the whole state (database + firmware files) as one .tar.gz, and the retention of
 * old events.
 */
export function createBackupService(deps: {
  db: Db
  dataDir: string
  settings: SettingsService
  pruneEvents: (before: string) => number
  /** Writes what is held in memory (the last second of heartbeats) so the copy includes it. */
  beforeSnapshot?: () => void
  log: Logger
  /** Asks the composition root to restart the core (so a pending restore is applied). */
  requestRestart?: () => void
  /** Overrides IMPORT_MAX_UNPACKED_BYTES (tests). */
  importMaxUnpackedBytes?: number
}) {
  const { db, dataDir, settings, log } = deps
  const dir = join(dataDir, 'backups')
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR })
  const maxUnpacked = deps.importMaxUnpackedBytes ?? IMPORT_MAX_UNPACKED_BYTES
  let timer: NodeJS.Timeout | undefined
  let running: Promise<unknown> | undefined

  const list = (): BackupInfo[] =>
    readdirSync(dir)
      .filter((n) => NAME.test(n))
      .map((name) => {
        const st = statSync(join(dir, name))
        return {
          name,
          kind: name.includes('-auto-') ? 'auto' : 'manual',
          size: st.size,
          created_at: st.mtime.toISOString()
        } as BackupInfo
      })
      .sort((a, b) => b.name.localeCompare(a.name))

  const prune = () => {
    const keep = settings.current().backup_keep
    const autos = list().filter((b) => b.kind === 'auto')
    for (const old of autos.slice(keep)) rmSync(join(dir, old.name), { force: true })
    // What each restore replaced is kept as long as backups are, no longer.
    const replaced = readdirSync(dir)
      .filter((n) => REPLACED.test(n))
      .sort()
      .reverse()
    for (const old of replaced.slice(keep)) rmSync(join(dir, old), { recursive: true, force: true })
  }

  /** Removes work folders a crash or an earlier version left behind (not a pending restore's). */
  const sweep = () => {
    const inUse = pendingStaging(dataDir)
    for (const name of readdirSync(dir)) {
      if (!LEFTOVER.test(name) || (inUse && join(dir, name) === inUse)) continue
      rmSync(join(dir, name), { recursive: true, force: true })
    }
  }
  sweep()
  prune()

  const backupTo = async (file: string) => {
    const tmp = `${file}.tmp`
    deps.beforeSnapshot?.()
    await db.backup(tmp)
    makePrivate(tmp)
    // Rename after completion so a listed backup is always whole.
    renameSync(tmp, file)
  }

  /** Sums what an archive would unpack, refusing it before anything is written. */
  const checkArchiveSize = async (archive: string) => {
    let total = 0
    let entries = 0
    let tooBig = false
    await tar.t({
      file: archive,
      strict: true,
      onReadEntry: (entry) => {
        entries++
        if (IMPORT_ENTRY.test(entry.path)) total += entry.size ?? 0
        if (total > maxUnpacked || entries > IMPORT_MAX_ENTRIES) tooBig = true
        entry.resume()
      }
    })
    if (tooBig)
      throw new TooLarge(
        'archive-too-large',
        `the archive unpacks to more than ${Math.round(maxUnpacked / 1024 / 1024)} MB`
      )
  }

  const service = {
    list,

    async backupNow(kind: 'auto' | 'manual' = 'manual', now = new Date()): Promise<BackupInfo> {
      const name = `pastillero-${kind}-${stamp(now)}.db`
      const job = backupTo(join(dir, name))
      running = job
      await job
      if (kind === 'auto') prune()
      log.info('backup written', { name })
      return list().find((b) => b.name === name)!
    },

    /** A private folder, swept at the next start if a crash leaves it, for an upload to land in. */
    uploadStaging(): string {
      return mkdtempSync(join(dir, '.upload-'))
    },

    /**
     * Validates a stored backup and schedules it to replace the database at the next start. The
     * current accounts, sessions, device tokens and keys stay unless restoreSecrets says otherwise.
     */
    restore(name: string, opts: { restoreSecrets?: boolean } = {}): void {
      if (!NAME.test(name) || !existsSync(join(dir, name))) {
        throw new NotFound('backup-not-found', `no backup named ${name}`, 'name')
      }
      validateDatabaseFile(join(dir, name))
      requestRestore(dataDir, { database: join(dir, name), restoreSecrets: opts.restoreSecrets })
      log.warn('restore scheduled', { name })
      setImmediate(() => deps.requestRestart?.())
    },

    /**
     * The whole state as a stream of .tar.gz: a consistent copy of the database and the firmware
     * files. The Telegram bot token is left out unless asked for (an export travels by e-mail and
     * USB sticks; the token lets anyone speak as the family's bot).
     */
    async exportArchive(
      opts: { includeTelegramToken?: boolean } = {}
    ): Promise<{ stream: Readable; cleanup: () => void }> {
      const staging = mkdtempSync(join(dir, '.export-'))
      await backupTo(join(staging, 'pastillero.db'))
      if (!opts.includeTelegramToken) {
        const copy = new Database(join(staging, 'pastillero.db'))
        try {
          copy.prepare("DELETE FROM settings WHERE key = 'telegram_bot_token'").run()
        } finally {
          copy.close()
        }
      }
      // Hard links (same file system) stage the firmware files without copying megabytes.
      const firmwareDir = join(dataDir, 'firmware')
      mkdirSync(join(staging, 'firmware'))
      for (const name of existsSync(firmwareDir) ? readdirSync(firmwareDir) : []) {
        if (/^[0-9a-f]{64}\.bin$/.test(name))
          linkSync(join(firmwareDir, name), join(staging, 'firmware', name))
      }
      const stream = tar.c({ gzip: true, portable: true, cwd: staging }, [
        'pastillero.db',
        'firmware'
      ]) as unknown as Readable
      return { stream, cleanup: () => rmSync(staging, { recursive: true, force: true }) }
    },

    /**
     * Unpacks an exported archive, validates it and schedules it to replace the current state.
     * The staging folder is removed on every path: here when refused, by the restore once applied,
     * and by the start-up sweep after a crash.
     */
    async importArchive(archive: string, opts: { restoreSecrets?: boolean } = {}): Promise<void> {
      const staging = mkdtempSync(join(dir, '.import-'))
      try {
        try {
          await checkArchiveSize(archive)
          await tar.x({
            file: archive,
            cwd: staging,
            strict: true,
            // Only what an export contains; nothing can land outside the staging folder.
            filter: (path) => IMPORT_ENTRY.test(path)
          })
        } catch (err) {
          if (err instanceof DomainError) throw err
          // tar's own guard against zip bombs (it aborts past a 1000:1 ratio).
          if (/decompression ratio/.test(String((err as Error).message)))
            throw new TooLarge(
              'archive-too-large',
              'the archive unpacks to far more than it weighs'
            )
          throw new Invalid('not-an-archive', 'this is not a Pastillero export (.tar.gz)')
        }
        privatizeTree(staging)
        const exported = join(staging, 'pastillero.db')
        if (!existsSync(exported))
          throw new Invalid('not-an-archive', 'the archive has no Pastillero database')
        validateDatabaseFile(exported)
        requestRestore(dataDir, {
          database: exported,
          firmwareDir: join(staging, 'firmware'),
          staging,
          restoreSecrets: opts.restoreSecrets
        })
      } catch (err) {
        rmSync(staging, { recursive: true, force: true })
        throw err
      }
      log.warn('import scheduled')
      setImmediate(() => deps.requestRestart?.())
    },

    /** Deletes events older than the retention setting (0 keeps everything). */
    applyRetention(now = new Date()): number {
      const days = settings.current().events_retention_days
      if (!days) return 0
      const removed = deps.pruneEvents(new Date(now.getTime() - days * DAY_MS).toISOString())
      if (removed) log.info('old events removed', { removed, days })
      return removed
    },

    start(): void {
      const daily = () => {
        const newest = list().find((b) => b.kind === 'auto')
        if (!newest || Date.now() - Date.parse(newest.created_at) >= DAY_MS) {
          service
            .backupNow('auto')
            .catch((err: unknown) => log.error('daily backup failed', { err: String(err) }))
        }
        try {
          service.applyRetention()
        } catch (err) {
          log.error('retention failed', { err: String(err) })
        }
      }
      daily()
      timer = setInterval(daily, 3600 * 1000)
      timer.unref()
    },

    async stop(): Promise<void> {
      if (timer) clearInterval(timer)
      await running?.catch(() => {})
    }
  }
  return service
}

export type BackupService = ReturnType<typeof createBackupService>
