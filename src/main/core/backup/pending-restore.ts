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
import { basename, join, relative } from 'node:path'
import type { Db } from '../store/db'
import { makePrivate, PRIVATE_DIR } from '../lib/private-files'

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
  /**
   * A staging folder (an import's) to delete once the swap is done. Only ever a folder inside
   * <data>/backups whose name starts with ".import-".
   */
  staging?: string
  /**
   * Bring back the accounts, sessions, device tokens, device key and Telegram token stored in
   * the backup. By default the current ones are kept: restoring an old backup must not bring
   * back a password that was changed because it leaked.
   */
  restoreSecrets?: boolean
}

export interface AppliedRestore {
  message: string
  /** The database that was replaced (kept under backups/replaced-*), to carry secrets from. */
  replacedDb?: string
  restoreSecrets: boolean
}

export function requestRestore(dataDir: string, restore: PendingRestore): void {
  const tmp = join(dataDir, `${MARKER}.tmp`)
  writeFileSync(tmp, JSON.stringify(restore), { mode: 0o600 })
  renameSync(tmp, join(dataDir, MARKER))
}

/** The staging folder a pending restore still needs (so the start-up sweep leaves it alone). */
export function pendingStaging(dataDir: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(join(dataDir, MARKER), 'utf8')) as PendingRestore).staging
  } catch {
    return undefined
  }
}

function isImportStaging(dataDir: string, dir: string | undefined): dir is string {
  if (!dir) return false
  const rel = relative(join(dataDir, 'backups'), dir)
  return (
    !rel.startsWith('..') && !rel.includes('/') && !rel.includes('\\') && rel.startsWith('.import-')
  )
}

/** Performs a pending restore, keeping the replaced database under backups/. Returns what it did. */
export function applyPendingRestore(
  dataDir: string,
  dbFile: string,
  now = new Date()
): AppliedRestore | undefined {
  const markerPath = join(dataDir, MARKER)
  if (!existsSync(markerPath)) return undefined
  let restore: PendingRestore
  try {
    restore = JSON.parse(readFileSync(markerPath, 'utf8')) as PendingRestore
  } catch {
    rmSync(markerPath) // a marker cut short by a crash before its rename cannot exist; a damaged one is dropped
    return undefined
  }
  const dropStaging = () => {
    if (isImportStaging(dataDir, restore.staging))
      rmSync(restore.staging, { recursive: true, force: true })
  }
  if (!existsSync(restore.database)) {
    rmSync(markerPath) // the source is gone: nothing to restore, keep what we have
    dropStaging()
    return undefined
  }
  const stamp = now.toISOString().replace(/[:.]/g, '-')
  const keep = join(dataDir, 'backups', `replaced-${stamp}`)
  mkdirSync(keep, { recursive: true, mode: PRIVATE_DIR })
  let replacedDb: string | undefined
  for (const suffix of ['', '-wal', '-shm']) {
    if (existsSync(dbFile + suffix)) {
      renameSync(dbFile + suffix, join(keep, basename(dbFile) + suffix))
      if (suffix === '') replacedDb = join(keep, basename(dbFile))
    }
  }
  copyFileSync(restore.database, dbFile)
  makePrivate(dbFile)
  if (restore.firmwareDir && existsSync(restore.firmwareDir)) {
    const firmware = join(dataDir, 'firmware')
    if (existsSync(firmware)) renameSync(firmware, join(keep, 'firmware'))
    mkdirSync(firmware, { recursive: true, mode: PRIVATE_DIR })
    for (const name of readdirSync(restore.firmwareDir)) {
      copyFileSync(join(restore.firmwareDir, name), join(firmware, name))
      makePrivate(join(firmware, name))
    }
  }
  rmSync(markerPath)
  dropStaging()
  return {
    message: `restored ${basename(restore.database)}; the replaced data is in ${keep}`,
    replacedDb,
    restoreSecrets: restore.restoreSecrets === true
  }
}

/** Tables that are who-may-do-what rather than the family's data. */
const KEPT_TABLES = ['accounts', 'sessions', 'device_credentials'] as const
/** Settings that are secrets or trust, not preferences. */
const KEPT_SETTINGS = [
  'device_api_key',
  'device_api_key_previous',
  'device_api_key_previous_until',
  'telegram_bot_token',
  'telegram_link_code',
  'telegram_link_code_account'
]

function tableColumns(db: Db, schema: string, table: string): string[] {
  return (
    db.prepare(`SELECT name FROM pragma_table_info(?, ?)`).all(table, schema) as Array<{
      name: string
    }>
  ).map((c) => c.name)
}

/**
 * After a restore (the restored database is open and migrated): puts back the current accounts,
 * sessions, device tokens, device key and Telegram token from the replaced database, so a
 * restore never signs the family out, never revives an old password and never cuts adopted
 * dispensers off. Tables are matched by the columns both sides have (another feature may add a
 * column, or a table, later).
 */
export function carryOverSecrets(db: Db, replacedDb: string): void {
  db.prepare('ATTACH DATABASE ? AS replaced').run(replacedDb)
  try {
    db.pragma('foreign_keys = OFF')
    db.transaction(() => {
      for (const table of KEPT_TABLES) {
        const ours = tableColumns(db, 'main', table)
        const theirs = new Set(tableColumns(db, 'replaced', table))
        if (ours.length === 0 || theirs.size === 0) continue
        const cols = ours
          .filter((c) => theirs.has(c))
          .map((c) => `"${c}"`)
          .join(', ')
        db.exec(`DELETE FROM main."${table}"`)
        db.exec(`INSERT INTO main."${table}" (${cols}) SELECT ${cols} FROM replaced."${table}"`)
      }
      const del = db.prepare('DELETE FROM main.settings WHERE key = ?')
      const copy = db.prepare(
        'INSERT INTO main.settings (key, value, updated_at) SELECT key, value, updated_at FROM replaced.settings WHERE key = ?'
      )
      for (const key of KEPT_SETTINGS) {
        del.run(key)
        copy.run(key)
      }
      // Chats linked by an account that does not exist any more stay linked, to nobody.
      db.exec(`UPDATE main.telegram_recipients SET account_id = NULL
               WHERE account_id IS NOT NULL AND account_id NOT IN (SELECT id FROM main.accounts)`)
      // A kept row pointing at something the backup does not have (a device token for a device
      // added after the backup) goes: the device adopts again.
      const dangling = db.pragma('foreign_key_check') as Array<{ table: string; rowid: number }>
      for (const { table, rowid } of dangling)
        if ((KEPT_TABLES as readonly string[]).includes(table))
          db.prepare(`DELETE FROM main."${table}" WHERE rowid = ?`).run(rowid)
    })()
  } finally {
    db.pragma('foreign_keys = ON')
    db.prepare('DETACH DATABASE replaced').run()
  }
}
