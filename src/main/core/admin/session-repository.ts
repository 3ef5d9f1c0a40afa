import type { Db } from '../store/db'
import { randomToken, sha256Hex } from '../lib/secrets'

export type SessionRepository = ReturnType<typeof createSessionRepository>

/** Admin sessions survive restarts; only a hash of each token is stored. */
export function createSessionRepository(db: Db) {
  const insert = db.prepare<[string, string, string, string]>(
    'INSERT INTO sessions (token_hash, created_at, expires_at, label) VALUES (?, ?, ?, ?)'
  )
  const find = db.prepare<[string, string], { label: string }>(
    'SELECT label FROM sessions WHERE token_hash = ? AND expires_at > ?'
  )
  const remove = db.prepare<[string]>('DELETE FROM sessions WHERE token_hash = ?')
  const purge = db.prepare<[string]>('DELETE FROM sessions WHERE expires_at <= ?')
  const removeAll = db.prepare('DELETE FROM sessions')

  return {
    create(label: string, ttlMs: number, now = new Date()): string {
      const token = randomToken()
      purge.run(now.toISOString())
      insert.run(
        sha256Hex(token),
        now.toISOString(),
        new Date(now.getTime() + ttlMs).toISOString(),
        label
      )
      return token
    },
    isValid(token: string, now = new Date()): boolean {
      return find.get(sha256Hex(token), now.toISOString()) !== undefined
    },
    revoke(token: string): void {
      remove.run(sha256Hex(token))
    },
    revokeAll(): void {
      removeAll.run()
    }
  }
}
