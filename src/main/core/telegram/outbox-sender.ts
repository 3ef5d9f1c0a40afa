import { NetworkError, TelegramApiError, TimeoutError, type Api } from 'node-telegram-bot-api'
import { BOT_TEXT } from '../alerts/alert-messages'
import type { AlertService } from '../alerts/alert-service'
import { inDailyWindow } from '../../../shared/time-zone'
import type { Logger } from '../lib/logger'
import { isoMillis } from '../lib/time'
import type { SettingsService } from '../settings/settings-service'
import { describe } from './bot-state'
import type { OutboxRow, TelegramRepository } from './telegram-repository'

const MAX_BACKOFF_MS = 5 * 60 * 1000

export type OutboxSender = ReturnType<typeof createOutboxSender>

/**
 * Delivers the outbox: due rows in order, with retry, exponential backoff and Telegram's 429
 * `retry_after`; refusals that retrying cannot fix (chat gone, bot blocked) are kept visible.
 * Quiet hours and /silencio deliver without sound — never drop.
 */
export function createOutboxSender(deps: {
  /** The bot client while the bot runs. */
  api: () => Api | undefined
  /** The bot is stopping: leave the rest for the next start. */
  aborted: () => boolean
  outbox: TelegramRepository
  alerts: AlertService
  settings: SettingsService
  mutedUntil: () => string | null
  log: Logger
}) {
  const { outbox, alerts, settings, log } = deps
  let sending: Promise<void> | undefined
  let wakeAgain = false
  const text = () => BOT_TEXT[settings.current().language]

  const silentNow = (now = new Date()): boolean => {
    if (deps.mutedUntil()) return true
    const { quiet_hours, time_zone } = settings.current()
    return quiet_hours
      ? inDailyWindow(time_zone, now.getTime(), quiet_hours.start, quiet_hours.end)
      : false
  }

  const deliver = async (api: Api, row: OutboxRow): Promise<void> => {
    const { text: body, ackButton } = alerts.outgoing(row)
    const silent = silentNow()
    const keyboard = ackButton
      ? { inline_keyboard: [[{ text: text().ackButton, callback_data: `ack:${row.alert_id}` }]] }
      : undefined
    try {
      if (row.action === 'send') {
        const sent = await api.sendMessage({
          chat_id: row.chat_id,
          text: body,
          disable_notification: silent,
          ...(keyboard ? { reply_markup: keyboard } : {})
        })
        outbox.markSent(row.id, isoMillis(), sent.message_id, silent)
      } else {
        await api.editMessageText({
          chat_id: row.chat_id,
          message_id: row.message_id!,
          text: body,
          reply_markup: { inline_keyboard: [] }
        })
        outbox.markSent(row.id, isoMillis(), null, false)
      }
    } catch (err) {
      if (
        err instanceof TelegramApiError &&
        err.errorCode === 400 &&
        /not modified/i.test(err.description)
      ) {
        outbox.markSent(row.id, isoMillis(), null, false)
      } else if (err instanceof TelegramApiError && err.errorCode === 429) {
        const waitMs = (err.retryAfter ?? 5) * 1000
        outbox.markRetry(row.id, new Date(Date.now() + waitMs).toISOString(), describe(err))
        throw new RateLimited(waitMs)
      } else if (
        err instanceof NetworkError ||
        err instanceof TimeoutError ||
        (err instanceof TelegramApiError && err.errorCode >= 500) ||
        !(err instanceof TelegramApiError)
      ) {
        const backoff = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.min(row.attempts, 12))
        outbox.markRetry(row.id, new Date(Date.now() + backoff).toISOString(), describe(err))
      } else {
        // 400/403: chat gone, bot blocked… retrying will not help; keep the reason visible.
        outbox.markFailed(row.id, describe(err))
        log.warn('telegram: message refused', { chat_id: row.chat_id, error: describe(err) })
      }
    }
    alerts.announceDeliveryChange(row.alert_id)
  }

  class RateLimited extends Error {
    constructor(readonly waitMs: number) {
      super('rate limited')
    }
  }

  const drain = async (): Promise<void> => {
    const api = deps.api()
    if (!api) return
    for (;;) {
      const due = outbox.due(isoMillis(), 20)
      if (due.length === 0) break
      try {
        for (const row of due) {
          if (deps.aborted()) return
          await deliver(api, row)
        }
      } catch (err) {
        if (err instanceof RateLimited) break // the row carries its retry time; the timer comes back
        throw err
      }
    }
  }

  /** Runs the sender now (or once more right after the current run). */
  const wake = () => {
    if (sending) {
      wakeAgain = true
      return
    }
    sending = drain()
      .catch((err: unknown) => log.error('telegram: sender failed', { err: describe(err) }))
      .finally(() => {
        sending = undefined
        if (wakeAgain) {
          wakeAgain = false
          wake()
        }
      })
  }

  return {
    wake,
    /** The run in progress, if any (stop() waits for it). */
    running: () => sending
  }
}
