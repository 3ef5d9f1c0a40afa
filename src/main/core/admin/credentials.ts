import { randomInt } from 'node:crypto'
import { hashPassword, verifyPassword } from '../lib/secrets'
import type { SettingsRepository } from '../settings/settings-repository'

const PASSWORD_HASH_SETTING = 'admin_password_hash'

/** A password a person can type from a terminal: 4 groups of 4 unambiguous characters. */
function readablePassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789'
  let out = ''
  while (out.length < 19) out += out.length % 5 === 4 ? '-' : alphabet[randomInt(alphabet.length)]
  return out
}

export class PasswordFromEnvironmentError extends Error {}

/**
 * The admin password. ADMIN_PASSWORD, when set, wins and is never written anywhere; otherwise
 * only a scrypt hash is kept in the settings table.
 */
export class AdminCredentials {
  private envHash: string | undefined

  private constructor(
    private readonly settings: SettingsRepository,
    private readonly fromEnv: string | undefined
  ) {}

  /** Returns the credentials and, on a first start without ADMIN_PASSWORD, the generated password. */
  static async load(
    settings: SettingsRepository,
    fromEnv: string | undefined
  ): Promise<{ credentials: AdminCredentials; generatedPassword?: string }> {
    const credentials = new AdminCredentials(settings, fromEnv)
    if (fromEnv) {
      credentials.envHash = await hashPassword(fromEnv)
      return { credentials }
    }
    if (typeof settings.get(PASSWORD_HASH_SETTING) === 'string') return { credentials }
    const generatedPassword = readablePassword()
    settings.set(PASSWORD_HASH_SETTING, await hashPassword(generatedPassword))
    return { credentials, generatedPassword }
  }

  get setByEnvironment(): boolean {
    return this.fromEnv !== undefined
  }

  async verify(password: string): Promise<boolean> {
    const hash = this.envHash ?? this.settings.get<string>(PASSWORD_HASH_SETTING)
    return typeof hash === 'string' && (await verifyPassword(password, hash))
  }

  async change(newPassword: string): Promise<void> {
    if (this.fromEnv)
      throw new PasswordFromEnvironmentError('the password is set by ADMIN_PASSWORD')
    this.settings.set(PASSWORD_HASH_SETTING, await hashPassword(newPassword))
  }
}
