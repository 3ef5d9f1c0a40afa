import { TelegramApiError } from 'node-telegram-bot-api'
import { randomInt } from 'node:crypto'
import { isoMillis } from '../lib/time'
import type { SettingsRepository } from '../settings/settings-repository'

// What the bot keeps in the settings table, shared by the service, the sender and the commands.
export const TOKEN_SETTING = 'telegram_bot_token'
export const LINK_CODE_SETTING = 'telegram_link_code'
/** The account whose dashboard asked for the current code: the chat that uses it is theirs. */
export const LINK_CODE_ACCOUNT_SETTING = 'telegram_link_code_account'
export const MUTED_UNTIL_SETTING = 'telegram_muted_until'

/** A Telegram failure in one line, for logs and the status shown in the dashboard. */
export function describe(err: unknown): string {
  if (err instanceof TelegramApiError) return `${err.errorCode} ${err.description}`
  return err instanceof Error ? err.message : String(err)
}

export type BotState = ReturnType<typeof createBotState>

/** The link code chats use with /start, and the /silencio mute. */
export function createBotState(settingsRepo: SettingsRepository) {
  const linkCode = (): string => {
    const saved = settingsRepo.get<string>(LINK_CODE_SETTING)
    if (typeof saved === 'string' && saved) return saved
    const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'
    let code = ''
    for (let i = 0; i < 8; i++) code += alphabet[randomInt(alphabet.length)]
    settingsRepo.set(LINK_CODE_SETTING, code)
    return code
  }

  const mutedUntil = (): string | null => {
    const value = settingsRepo.get<string>(MUTED_UNTIL_SETTING)
    return typeof value === 'string' && value > isoMillis() ? value : null
  }

  return { linkCode, mutedUntil }
}
