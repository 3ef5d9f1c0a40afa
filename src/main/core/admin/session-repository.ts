import type { Db } from '../store/db'
import { randomToken, sha256Hex } from '../lib/secrets'
import type { Role } from '../accounts/account-repository'

export type SessionRepository = ReturnType<typeof createSessionRepository>

export interface SessionInfo {
  tokenHash: string
  expiresAt: string
  account: { id: number; name: string; role: Role }
}

/**
 * Admin sessions survive restarts; only a hash of each token is stored. Every way a session ends
 * early (logout, password change, account removed or reset) goes through here and is announced,
 * so the live streams opened with it close at once.
 */
export function createSessionRepository(db: Db) {
  const insert = db.prepare<[string, string, string, string, number]>(
    'INSERT INTO sessions (token_hash, created_at, expires_at, label, account_id) VALUES (?, ?, ?, ?, ?)'
  )
  const find = db.prepare<
    [string, string],
    { expires_at: string; account_id: number; name: string; role: Role }
  >(
    `SELECT s.expires_at, s.account_id, a.name, a.role FROM sessions s
     JOIN accounts a ON a.id = s.account_id
     WHERE s.token_hash = ? AND s.expires_at > ?`
  )
  const remove = db.prepare<[string]>('DELETE FROM sessions WHERE token_hash = ?')
  const purge = db.prepare<[string]>('DELETE FROM sessions WHERE expires_at <= ?')
  const ofAccount = db.prepare<[number], { token_hash: string }>(
    'SELECT token_hash FROM sessions WHERE account_id = ?'
  )
  const ended = new Set<(tokenHashes: readonly string[]) => void>()
  const announce = (hashes: string[]) => {
    if (hashes.length) for (const listener of ended) listener(hashes)
  }

  return {
    create(accountId: number, label: string, ttlMs: number, now = new Date()): string {
      const token = randomToken()
      purge.run(now.toISOString())
      insert.run(
        sha256Hex(token),
        now.toISOString(),
        new Date(now.getTime() + ttlMs).toISOString(),
        label,
        accountId
      )
      return token
    },
    /** The live session a token stands for, with its account, or undefined. */
    lookup(token: string, now = new Date()): SessionInfo | undefined {
      const tokenHash = sha256Hex(token)
      const row = find.get(tokenHash, now.toISOString())
      if (!row) return undefined
      return {
        tokenHash,
        expiresAt: row.expires_at,
        account: { id: row.account_id, name: row.name, role: row.role }
      }
    },
    isValid(token: string, now = new Date()): boolean {
      return find.get(sha256Hex(token), now.toISOString()) !== undefined
    },
    revoke(token: string): void {
      const hash = sha256Hex(token)
      if (remove.run(hash).changes > 0) announce([hash])
    },
    /** Ends every session of an account except the one given (the person's own, when they act). */
    revokeAccount(accountId: number, exceptTokenHash?: string): number {
      const hashes = ofAccount
        .all(accountId)
        .map((r) => r.token_hash)
        .filter((h) => h !== exceptTokenHash)
      db.transaction(() => {
        for (const h of hashes) remove.run(h)
      })()
      announce(hashes)
      return hashes.length
    },
    /** Called with the token hashes of sessions that ended before their expiry. */
    onEnded(listener: (tokenHashes: readonly string[]) => void): () => void {
      ended.add(listener)
      return () => ended.delete(listener)
    }
  }
}
