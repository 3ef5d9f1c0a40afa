import {
  chmodSync,
  closeSync,
  existsSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync
} from 'node:fs'
import { join } from 'node:path'

/**
 * Everything in the data folder is for this user only: the database holds password hashes,
 * session hashes, device tokens and the Telegram bot token, and backups, exports and logs copy
 * it. The folder is 0700 and its files 0600. (On Windows chmod only toggles read-only; the
 * user's profile folder is private there already.)
 */
export const PRIVATE_DIR = 0o700
export const PRIVATE_FILE = 0o600

function tryChmod(path: string, mode: number): void {
  try {
    chmodSync(path, mode)
  } catch {
    // A file that vanished meanwhile, or a file system without modes: nothing to protect.
  }
}

export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR })
  tryChmod(dir, PRIVATE_DIR)
}

/** Makes a file private, e.g. one SQLite or tar just wrote with the default mode. */
export function makePrivate(file: string): void {
  tryChmod(file, PRIVATE_FILE)
}

/** Creates the file empty and private when missing, so whatever writes it later inherits 0600. */
export function createPrivateFile(file: string): void {
  if (!existsSync(file)) closeSync(openSync(file, 'a', PRIVATE_FILE))
  tryChmod(file, PRIVATE_FILE)
}

/**
 * Brings an existing tree to 0700/0600 (data folders written by versions before this one were
 * 0755/0644). Symbolic links are left alone; the walk is shallow because the tree is.
 */
export function privatizeTree(dir: string, depth = 4): void {
  if (!existsSync(dir)) return
  tryChmod(dir, PRIVATE_DIR)
  if (depth <= 0) return
  let names: string[]
  try {
    names = readdirSync(dir)
  } catch {
    return
  }
  for (const name of names) {
    const path = join(dir, name)
    let st
    try {
      st = lstatSync(path)
    } catch {
      continue
    }
    if (st.isSymbolicLink()) continue
    if (st.isDirectory()) privatizeTree(path, depth - 1)
    else if (st.isFile()) tryChmod(path, PRIVATE_FILE)
  }
}
