import { Api, longPoll, NetworkError, TelegramApiError, TimeoutError } from 'node-telegram-bot-api'
import type { Update } from 'node-telegram-bot-api/types'
import { randomInt } from 'node:crypto'
import type { TelegramStatus } from '../../../shared/api-schemas'
import { BOT_TEXT, localTime } from '../alerts/alert-messages'
import type { AlertService } from '../alerts/alert-service'
import type { DeviceService } from '../devices/device-service'
import type { EventRepository } from '../events/event-repository'
import type { CoreEventBus } from '../lib/event-bus'
import { inDailyWindow, startOfLocalDay } from '../lib/local-time'
import type { Logger } from '../lib/logger'
import { isoMillis } from '../lib/time'
import type { SettingsRepository } from '../settings/settings-repository'
import type { SettingsService } from '../settings/settings-service'
import type { OutboxRow, TelegramRepository } from './telegram-repository'

export const TOKEN_SETTING = 'telegram_bot_token'
const LINK_CODE_SETTING = 'telegram_link_code'
/** The account whose dashboard asked for the current code: the chat that uses it is theirs. */
const LINK_CODE_ACCOUNT_SETTING = 'telegram_link_code_account'
const MUTED_UNTIL_SETTING = 'telegram_muted_until'
const MAX_BACKOFF_MS = 5 * 60 * 1000
/** Telegram refuses a message longer than this (400 "message is too long"). */
export const TELEGRAM_MAX_CHARS = 4096

/**
 * Splits a long answer into messages Telegram accepts, at line breaks so no line of /estado or
 * /hoy is cut in two (a single line longer than the limit is cut where it must be). Lengths are
 * JS string lengths (UTF-16 units), which is what Telegram counts too.
 */
export function splitMessage(text: string, max = TELEGRAM_MAX_CHARS): string[] {
  const parts: string[] = []
  let current = ''
  for (const line of text.split('\n')) {
    const candidate = current ? `${current}\n${line}` : line
    if (candidate.length <= max) {
      current = candidate
      continue
    }
    if (current) parts.push(current)
    let rest = line
    while (rest.length > max) {
      parts.push(rest.slice(0, max))
      rest = rest.slice(max)
    }
    current = rest
  }
  if (current || parts.length === 0) parts.push(current)
  return parts
}
const CONFLICT_RETRY_MS = 60 * 1000

export interface TelegramOptions {
  /** TELEGRAM_BOT_TOKEN; wins over the token saved from the dashboard. */
  envToken?: string
  /** TELEGRAM_API_URL: the Bot API root (tests point it at a local stand-in). */
  apiRoot?: string
  /** TELEGRAM_CHAT_ID, comma-separated: recipients for headless setups. */
  envChatIds?: string[]
  /** Long-poll seconds (Telegram holds getUpdates open this long). */
  pollTimeoutS?: number
  /** How often the sender looks for due messages when nothing wakes it. */
  senderIntervalMs?: number
}

type State = TelegramStatus['state']

function describe(err: unknown): string {
  if (err instanceof TelegramApiError) return `${err.errorCode} ${err.description}`
  return err instanceof Error ? err.message : String(err)
}

/**
 * Telegram delivery and the family's bot: an outbox sender with retry, backoff and 429
 * `retry_after`; long polling for /start CODE, /estado, /hoy, /silencio and the "Visto ✅"
 * button. Another app polling the same token (409) shows up as a status, not a crash loop.
 */
export function createTelegramService(deps: {
  alerts: AlertService
  outbox: TelegramRepository
  devices: DeviceService
  events: EventRepository
  settings: SettingsService
  settingsRepo: SettingsRepository
  bus: CoreEventBus
  log: Logger
  options: TelegramOptions
}) {
  const { alerts, outbox, devices, events, settings, settingsRepo, bus, log, options } = deps
  let api: Api | undefined
  let state: State = 'disabled'
  let message: string | null = null
  let botUsername: string | null = null
  let abort: AbortController | undefined
  let pollLoop: Promise<void> | undefined
  let senderTimer: NodeJS.Timeout | undefined
  let sending: Promise<void> | undefined
  let wakeAgain = false
  // Our own record of the last update handled, so a restarted poll loop does not replay updates.
  let nextOffset: number | undefined

  const text = () => BOT_TEXT[settings.current().language]
  const token = (): { value?: string; source: TelegramStatus['token_source'] } => {
    if (options.envToken) return { value: options.envToken, source: 'TELEGRAM_BOT_TOKEN' }
    const saved = settingsRepo.get<string>(TOKEN_SETTING)
    return typeof saved === 'string' && saved
      ? { value: saved, source: 'setting' }
      : { source: 'none' }
  }
  const setState = (next: State, msg: string | null = null) => {
    const changed = next !== state || msg !== message
    state = next
    message = msg
    if (changed) {
      log.info(`telegram: ${next}${msg ? ` (${msg})` : ''}`)
      bus.emit('telegram.updated', {}) // the settings page shows the bot's state live
    }
  }

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

  /** Quiet hours and /silencio deliver without sound — never drop. */
  const silentNow = (now = new Date()): boolean => {
    if (mutedUntil()) return true
    const { quiet_hours, time_zone } = settings.current()
    return quiet_hours ? inDailyWindow(now, time_zone, quiet_hours.start, quiet_hours.end) : false
  }

  const isRecipient = (chatId: string) => outbox.recipients().some((r) => r.chat_id === chatId)

  // ---- sending -------------------------------------------------------------------------------

  const deliver = async (row: OutboxRow): Promise<void> => {
    const { text: body, ackButton } = alerts.outgoing(row)
    const silent = silentNow()
    const keyboard = ackButton
      ? { inline_keyboard: [[{ text: text().ackButton, callback_data: `ack:${row.alert_id}` }]] }
      : undefined
    try {
      if (row.action === 'send') {
        const sent = await api!.sendMessage({
          chat_id: row.chat_id,
          text: body,
          disable_notification: silent,
          ...(keyboard ? { reply_markup: keyboard } : {})
        })
        outbox.markSent(row.id, isoMillis(), sent.message_id, silent)
      } else {
        await api!.editMessageText({
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
    if (!api) return
    for (;;) {
      const due = outbox.due(isoMillis(), 20)
      if (due.length === 0) break
      try {
        for (const row of due) {
          if (abort?.signal.aborted) return
          await deliver(row)
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
  const onEnqueued = () => wake()

  // ---- the bot -------------------------------------------------------------------------------

  /** Answers a command, in as many messages as Telegram's length limit needs, in order. */
  const reply = async (chatId: number | string, body: string): Promise<void> => {
    for (const part of splitMessage(body)) {
      try {
        await api!.sendMessage({ chat_id: chatId, text: part })
      } catch (err) {
        log.warn('telegram: reply failed', { error: describe(err) })
        return
      }
    }
  }

  const statusText = (): string => {
    const t = text()
    const list = devices.list()
    if (list.length === 0) return t.noDevices
    const since = startOfLocalDay(new Date(), settings.current().time_zone).toISOString()
    const now = isoMillis()
    return list
      .map((d) => {
        const doses = events.forDeviceOfTypeBetween(d.device_id, 'dose_taken', since, now).length
        return `${d.online ? '🟢' : '🔴'} ${d.name ?? d.device_id} — ${d.online ? t.online : t.offline} · ${t.dosesToday(doses)}`
      })
      .join('\n')
  }

  const todayText = (): string => {
    const t = text()
    const tz = settings.current().time_zone
    const since = startOfLocalDay(new Date(), tz).toISOString()
    const now = isoMillis()
    const rows = [
      ...events.ofTypeBetween('alarm_triggered', since, now),
      ...events.ofTypeBetween('dose_taken', since, now)
    ].sort((a, b) => a.occurred_at.localeCompare(b.occurred_at) || a.id - b.id)
    if (rows.length === 0) return t.nothingToday
    const names = new Map(devices.list().map((d) => [d.device_id, d.name ?? d.device_id]))
    const lines = rows.map((e) => {
      const payload = e.payload ? (JSON.parse(e.payload) as { alarm_label?: unknown }) : {}
      const label = typeof payload.alarm_label === 'string' ? ` «${payload.alarm_label}»` : ''
      const what = e.type === 'dose_taken' ? `✅ ${t.taken}` : `⏰ ${t.alarm}`
      return `${localTime(e.occurred_at, tz)} ${names.get(e.device_id) ?? e.device_id} — ${what}${label}`
    })
    return `${t.todayHeader}\n${lines.join('\n')}`
  }

  const mute = (arg: string | undefined): string => {
    const t = text()
    const match = /^(\d{1,3})\s*([mhd]?)$/i.exec(arg?.trim() ?? '')
    if (!match) return t.muteUsage
    const amount = Number(match[1])
    if (amount === 0) {
      settingsRepo.set(MUTED_UNTIL_SETTING, null)
      return t.unmuted
    }
    const unit = (match[2] || 'h').toLowerCase()
    const ms = amount * (unit === 'm' ? 60_000 : unit === 'd' ? 86_400_000 : 3_600_000)
    const until = new Date(Date.now() + Math.min(ms, 7 * 86_400_000)).toISOString()
    settingsRepo.set(MUTED_UNTIL_SETTING, until)
    return t.mutedUntil(localTime(until, settings.current().time_zone))
  }

  const handleUpdate = async (update: Update): Promise<void> => {
    const t = text()
    if ('message' in update && update.message.text) {
      const msg = update.message
      const chatId = String(msg.chat.id)
      const [command, ...rest] = (msg.text ?? '').trim().split(/\s+/)
      const name = (command ?? '').toLowerCase().replace(/@.*$/, '')
      const who = msg.from?.first_name ?? msg.from?.username ?? msg.chat.title ?? null
      if (name === '/start') {
        if (rest[0] && rest[0].toUpperCase() === linkCode()) {
          const owner = settingsRepo.get<number | null>(LINK_CODE_ACCOUNT_SETTING) ?? null
          outbox.addRecipient(chatId, who, 'linked', isoMillis(), owner)
          // A code someone asked for links one chat, to them; the next person asks for their own.
          if (owner !== null) {
            settingsRepo.setMany({ [LINK_CODE_SETTING]: null, [LINK_CODE_ACCOUNT_SETTING]: null })
            linkCode()
          }
          bus.emit('telegram.updated', {})
          await reply(chatId, t.linked)
        } else {
          log.warn('telegram: refused a link attempt with a wrong code', { chat_id: chatId })
          await reply(chatId, t.wrongCode)
        }
        return
      }
      if (!isRecipient(chatId)) return void (await reply(chatId, t.notLinked))
      if (name === '/estado' || name === '/status') await reply(chatId, statusText())
      else if (name === '/hoy' || name === '/today') await reply(chatId, todayText())
      else if (name === '/silencio' || name === '/mute') {
        await reply(chatId, mute(rest.join(' ')))
        bus.emit('telegram.updated', {})
      } else await reply(chatId, t.unknown)
      return
    }
    if ('callback_query' in update) {
      const query = update.callback_query
      const chatId = query.message ? String(query.message.chat.id) : undefined
      const match = /^ack:(\d+)$/.exec(query.data ?? '')
      if (!match || !chatId || !isRecipient(chatId)) {
        await api!
          .answerCallbackQuery({ callback_query_id: query.id, text: t.notLinked })
          .catch(() => {})
        return
      }
      // A chat linked by a family member acknowledges as that person, like their dashboard does.
      const who =
        outbox.recipientAccountName(chatId) ??
        (query.from.first_name || query.from.username || 'Telegram')
      const result = alerts.acknowledge(Number(match[1]), who)
      await api!
        .answerCallbackQuery({
          callback_query_id: query.id,
          text:
            result && !result.changed
              ? t.alreadyAcked(result.alert.acknowledged_by ?? '?')
              : t.ackedAnswer
        })
        .catch((err: unknown) =>
          log.warn('telegram: answerCallbackQuery failed', { error: describe(err) })
        )
    }
  }

  const sleep = (ms: number, signal: AbortSignal) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms)
      signal.addEventListener('abort', () => {
        clearTimeout(timer)
        resolve()
      })
    })

  const poll = async (signal: AbortSignal): Promise<void> => {
    while (!signal.aborted) {
      try {
        if (!botUsername) {
          const me = await api!.getMe(signal)
          botUsername = me.username ?? null
        }
        setState('ok')
        for await (const update of longPoll(
          api!,
          {
            offset: nextOffset,
            timeout: options.pollTimeoutS ?? 25,
            allowedUpdates: ['message', 'callback_query'],
            onError: (err) => setState('error', describe(err))
          },
          signal
        )) {
          if (state !== 'ok') setState('ok')
          nextOffset = update.update_id + 1
          await handleUpdate(update).catch((err: unknown) =>
            log.error('telegram: update failed', { err: describe(err) })
          )
        }
      } catch (err) {
        if (signal.aborted) return
        if (err instanceof TelegramApiError && err.errorCode === 409) {
          setState(
            'conflict',
            'another program is polling this bot token; stop it or use another bot'
          )
          await sleep(CONFLICT_RETRY_MS, signal)
        } else if (
          err instanceof TelegramApiError &&
          (err.errorCode === 401 || err.errorCode === 404)
        ) {
          setState('error', 'Telegram refused the bot token; check it in the settings')
          return
        } else {
          setState('error', describe(err))
          await sleep(5000, signal)
        }
      }
    }
  }

  const service = {
    status(): TelegramStatus {
      return {
        ok: true,
        state,
        message,
        bot_username: botUsername,
        token_source: token().source,
        link_code: linkCode(),
        muted_until: mutedUntil(),
        recipients: outbox.recipients()
      }
    },

    start(): void {
      for (const chatId of options.envChatIds ?? [])
        outbox.addRecipient(chatId, null, 'env', isoMillis())
      linkCode()
      const { value } = token()
      if (!value) {
        setState('disabled')
        return
      }
      api = new Api(value, { apiRoot: options.apiRoot, maxRetries: 0, timeoutMs: 20_000 })
      abort = new AbortController()
      setState('starting')
      pollLoop = poll(abort.signal)
      bus.on('outbox.enqueued', onEnqueued)
      senderTimer = setInterval(wake, options.senderIntervalMs ?? 2000)
      senderTimer.unref()
      wake()
    },

    async stop(): Promise<void> {
      abort?.abort()
      if (senderTimer) clearInterval(senderTimer)
      bus.off('outbox.enqueued', onEnqueued)
      await Promise.allSettled([pollLoop, sending])
      api = undefined
      botUsername = null
      setState('disabled')
    },

    async setToken(value: string | null): Promise<void> {
      settingsRepo.set(TOKEN_SETTING, value)
      await service.stop()
      service.start()
      bus.emit('telegram.updated', {})
    },

    /** A new code; given the account asking, the chat that uses it is linked to that person. */
    regenerateLinkCode(accountId: number | null = null): string {
      settingsRepo.setMany({ [LINK_CODE_SETTING]: null, [LINK_CODE_ACCOUNT_SETTING]: accountId })
      const code = linkCode()
      bus.emit('telegram.updated', {})
      return code
    },

    removeRecipient(chatId: string): boolean {
      const removed = outbox.removeRecipient(chatId)
      if (removed) bus.emit('telegram.updated', {})
      return removed
    },

    /** Sends a test message to every recipient now and reports each result. */
    async sendTest(): Promise<Array<{ chat_id: string; ok: boolean; error?: string }>> {
      if (!api) return []
      const results = []
      for (const r of outbox.recipients()) {
        try {
          await api.sendMessage({ chat_id: r.chat_id, text: text().test })
          results.push({ chat_id: r.chat_id, ok: true })
        } catch (err) {
          results.push({ chat_id: r.chat_id, ok: false, error: describe(err) })
        }
      }
      return results
    }
  }
  return service
}

export type TelegramService = ReturnType<typeof createTelegramService>
