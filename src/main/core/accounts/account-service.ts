import { randomInt } from 'node:crypto'
import { Conflict, DomainError, Forbidden, NotFound } from '../lib/domain-errors'
import { hashPassword, randomToken, verifyPassword } from '../lib/secrets'
import type { SessionRepository } from '../admin/session-repository'
import type { AccountView } from '../../../shared/accounts'
import type { AccountRepository, AccountRow, Role } from './account-repository'

/** A password a person can type from a terminal: 4 groups of 4 unambiguous characters. */
export function readablePassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789'
  let out = ''
  while (out.length < 19) out += out.length % 5 === 4 ? '-' : alphabet[randomInt(alphabet.length)]
  return out
}

/** Stored instead of a hash when ADMIN_PASSWORD supplies the password: it never verifies. */
const FROM_ENVIRONMENT = '!'
export const FIRST_ACCOUNT_NAME = 'admin'

export type { AccountView } from '../../../shared/accounts'

function notFound(id: number): DomainError {
  return new NotFound('account-not-found', `no account with id ${id}`, 'id')
}

/**
 * Family member accounts. The first one (an admin) is made at first start with a generated
 * password, shown once, exactly as the single admin password was before; ADMIN_PASSWORD, when
 * set, is that account's password and is never written anywhere. Every change that makes a
 * password stop working ends the account's other sessions.
 */
export class AccountService {
  private envHash: string | undefined
  // Unknown names are checked against this so a wrong name costs the same time as a wrong password.
  private dummyHash = ''

  private constructor(
    private readonly repo: AccountRepository,
    private readonly sessions: SessionRepository,
    private readonly fromEnv: string | undefined
  ) {}

  /** Returns the service and, on a first start without ADMIN_PASSWORD, the generated password. */
  static async load(
    repo: AccountRepository,
    sessions: SessionRepository,
    fromEnv: string | undefined
  ): Promise<{ accounts: AccountService; generatedPassword?: string }> {
    const service = new AccountService(repo, sessions, fromEnv)
    service.dummyHash = await hashPassword(randomToken())
    let generatedPassword: string | undefined
    const first = repo.first()
    if (fromEnv) {
      service.envHash = await hashPassword(fromEnv)
      if (!first) repo.insert(FIRST_ACCOUNT_NAME, 'admin', FROM_ENVIRONMENT)
    } else if (!first || first.password_hash === FROM_ENVIRONMENT) {
      // First start, or ADMIN_PASSWORD was removed: that account needs a password of its own.
      generatedPassword = readablePassword()
      const hash = await hashPassword(generatedPassword)
      if (first) repo.setPasswordHash(first.id, hash)
      else repo.insert(FIRST_ACCOUNT_NAME, 'admin', hash)
    }
    return { accounts: service, generatedPassword }
  }

  private fromEnvironment(account: AccountRow): boolean {
    return this.fromEnv !== undefined && account.id === this.repo.first()?.id
  }

  private view(row: AccountRow): AccountView {
    return {
      id: row.id,
      name: row.name,
      role: row.role,
      created_at: row.created_at,
      password_changed_at: row.password_changed_at,
      password_from_env: this.fromEnvironment(row)
    }
  }

  list(): AccountView[] {
    return this.repo.list().map((r) => this.view(r))
  }

  get(id: number): AccountView | undefined {
    const row = this.repo.get(id)
    return row && this.view(row)
  }

  /** The first admin (the desktop window signs in as it). */
  first(): AccountView {
    return this.view(this.repo.first()!)
  }

  /** The account a name and password sign in as; no name means the first admin (as before). */
  async verify(name: string | undefined, password: string): Promise<AccountView | undefined> {
    const row = name === undefined ? this.repo.first() : this.repo.findByName(name)
    const hash = row && (this.fromEnvironment(row) ? this.envHash : row.password_hash)
    if (!row || !hash || hash === FROM_ENVIRONMENT) {
      await verifyPassword(password, this.dummyHash)
      return undefined
    }
    return (await verifyPassword(password, hash)) ? this.view(row) : undefined
  }

  private refuseTaken(name: string): void {
    if (this.repo.findByName(name))
      throw new Conflict('account-exists', `there is already an account named ${name}`, 'name')
  }

  async create(name: string, role: Role, password: string): Promise<AccountView> {
    this.refuseTaken(name)
    const hash = await hashPassword(password)
    // Checked again after the await: two requests may have raced for the same name.
    this.refuseTaken(name)
    return this.view(this.repo.insert(name, role, hash))
  }

  private envRefusal(): DomainError {
    return new Conflict(
      'password-from-environment',
      'the password is set by ADMIN_PASSWORD; change it there'
    )
  }

  /** A person changes their own password: their other sessions end, this one stays. */
  async changeOwn(id: number, current: string, next: string, keepTokenHash: string): Promise<void> {
    const row = this.repo.get(id)
    if (!row) throw notFound(id)
    if (this.fromEnvironment(row)) throw this.envRefusal()
    if (!(await verifyPassword(current, row.password_hash)))
      throw new Forbidden(
        'wrong-password',
        'the current password is not correct',
        'current_password'
      )
    this.repo.setPasswordHash(id, await hashPassword(next))
    this.sessions.revokeAccount(id, keepTokenHash)
  }

  /**
   * An admin sets someone's password (they forgot it): every session of theirs ends, except the
   * admin's own when it is their own account (the desktop window, which never knew a password).
   */
  async reset(id: number, password: string, keepTokenHash?: string): Promise<AccountView> {
    const row = this.repo.get(id)
    if (!row) throw notFound(id)
    if (this.fromEnvironment(row)) throw this.envRefusal()
    this.repo.setPasswordHash(id, await hashPassword(password))
    this.sessions.revokeAccount(id, keepTokenHash)
    return this.view(this.repo.get(id)!)
  }

  setRole(id: number, role: Role): AccountView {
    const row = this.repo.get(id)
    if (!row) throw notFound(id)
    if (this.fromEnvironment(row) && role !== 'admin')
      throw new Conflict(
        'password-from-environment',
        'this account signs in with ADMIN_PASSWORD and stays an admin while it is set',
        'role'
      )
    if (row.role === 'admin' && role !== 'admin' && this.repo.adminCount() <= 1)
      throw new Conflict('last-admin', 'at least one account must stay an admin', 'role')
    this.repo.setRole(id, role)
    return this.view(this.repo.get(id)!)
  }

  remove(id: number, byId: number): void {
    const row = this.repo.get(id)
    if (!row) throw notFound(id)
    if (id === byId)
      throw new Conflict('cannot-remove-self', 'you cannot remove your own account', 'id')
    if (row.role === 'admin' && this.repo.adminCount() <= 1)
      throw new Conflict('last-admin', 'at least one account must stay an admin', 'id')
    if (this.fromEnvironment(row))
      throw new Conflict(
        'password-from-environment',
        'this account signs in with ADMIN_PASSWORD and cannot be removed while it is set',
        'id'
      )
    this.sessions.revokeAccount(id)
    this.repo.remove(id)
  }
}
