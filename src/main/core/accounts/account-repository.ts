import type { Db } from '../store/db'

export type Role = 'admin' | 'family'

export interface AccountRow {
  id: number
  name: string
  role: Role
  password_hash: string
  created_at: string
  password_changed_at: string
}

export type AccountRepository = ReturnType<typeof createAccountRepository>

/** Family member accounts; only scrypt hashes of their passwords are stored. */
export function createAccountRepository(db: Db) {
  const all = db.prepare<[], AccountRow>('SELECT * FROM accounts ORDER BY id')
  const byId = db.prepare<[number], AccountRow>('SELECT * FROM accounts WHERE id = ?')
  const byName = db.prepare<[string], AccountRow>('SELECT * FROM accounts WHERE name = ?')
  const first = db.prepare<[], AccountRow>(
    "SELECT * FROM accounts WHERE role = 'admin' ORDER BY id LIMIT 1"
  )
  const admins = db.prepare<[], { n: number }>(
    "SELECT COUNT(*) AS n FROM accounts WHERE role = 'admin'"
  )
  const insert = db.prepare<[string, Role, string, string, string], AccountRow>(
    `INSERT INTO accounts (name, role, password_hash, created_at, password_changed_at)
     VALUES (?, ?, ?, ?, ?) RETURNING *`
  )
  const setHash = db.prepare<[string, string, number]>(
    'UPDATE accounts SET password_hash = ?, password_changed_at = ? WHERE id = ?'
  )
  const setRole = db.prepare<[Role, number]>('UPDATE accounts SET role = ? WHERE id = ?')
  const remove = db.prepare<[number]>('DELETE FROM accounts WHERE id = ?')

  return {
    list: (): AccountRow[] => all.all(),
    get: (id: number): AccountRow | undefined => byId.get(id),
    findByName: (name: string): AccountRow | undefined => byName.get(name),
    /** The first admin: the account ADMIN_PASSWORD and the desktop window belong to. */
    first: (): AccountRow | undefined => first.get(),
    adminCount: (): number => admins.get()!.n,
    insert: (name: string, role: Role, hash: string, now = new Date().toISOString()) =>
      insert.get(name, role, hash, now, now)!,
    setPasswordHash: (id: number, hash: string, now = new Date().toISOString()) =>
      setHash.run(hash, now, id).changes > 0,
    setRole: (id: number, role: Role) => setRole.run(role, id).changes > 0,
    remove: (id: number) => remove.run(id).changes > 0
  }
}
