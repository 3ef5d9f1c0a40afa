import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync
} from 'node:fs'
import { basename, join } from 'node:path'

/**
 * A restore replaces the live database, which every part of a running core holds open; so it is
 * done between runs. The request leaves a marker; the next start performs the swap before the
 * database is opened. The marker is written last and removed last, so a crash at any point
 * either restores on the next start or leaves the old database untouched.
 */
const MARKER = 'restore-pending.json'

export interface PendingRestore {
  /** A validated SQLite file to become the database. */
  database: string
  /** A directory of firmware files to become <data>/firmware (from an archive import). */
  firmwareDir?: string
}

export function requestRestore(dataDir: string, restore: PendingRestore): void {
  const tmp = join(dataDir, `${MARKER}.tmp`)
  writeFileSync(tmp, JSON.stringify(restore))
  renameSync(tmp, join(dataDir, MARKER))
}

/** Performs a pending restore, keeping the replaced database under backups/. Returns what it did. */
export function applyPendingRestore(
  dataDir: string,
  dbFile: string,
  now = new Date()
): string | undefined {
  const markerPath = join(dataDir, MARKER)
  if (!existsSync(markerPath)) return undefined
  const restore = JSON.parse(readFileSync(markerPath, 'utf8')) as PendingRestore
  if (!existsSync(restore.database)) {
    rmSync(markerPath) // the source is gone: nothing to restore, keep what we have
    return undefined
  }
  const stamp = now.toISOString().replace(/[:.]/g, '-')
  const keep = join(dataDir, 'backups', `replaced-${stamp}`)
  mkdirSync(keep, { recursive: true })
  for (const suffix of ['', '-wal', '-shm']) {
    if (existsSync(dbFile + suffix))
      renameSync(dbFile + suffix, join(keep, basename(dbFile) + suffix))
  }
  copyFileSync(restore.database, dbFile)
  if (restore.firmwareDir && existsSync(restore.firmwareDir)) {
    const firmware = join(dataDir, 'firmware')
    if (existsSync(firmware)) renameSync(firmware, join(keep, 'firmware'))
    mkdirSync(firmware, { recursive: true })
    for (const name of readdirSync(restore.firmwareDir))
      copyFileSync(join(restore.firmwareDir, name), join(firmware, name))
  }
  rmSync(markerPath)
  return `restored ${basename(restore.database)}; the replaced data is in ${keep}`
}
