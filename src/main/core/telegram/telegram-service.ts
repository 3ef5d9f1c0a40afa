import { Api } from 'node-telegram-bot-api'
import type { TelegramStatus } from '../../../shared/api-schemas'
import { BOT_TEXT } from '../alerts/alert-messages'
import { isoMillis } from '../lib/time'
import { createBotCommands, type BotCommandDeps } from './bot-commands'
import {
  createBotState,
  describe,
  LINK_CODE_ACCOUNT_SETTING,
  LINK_CODE_SETTING,
  TOKEN_SETTING
} from './bot-state'
import { createOutboxSender } from './outbox-sender'
import { createPoller } from './poller'

export { TOKEN_SETTING } from './bot-state'
export { splitMessage, TELEGRAM_MAX_CHARS } from './split-message'

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

/**
 * Telegram delivery and the family's bot, composed of its parts: the outbox sender
 * (outbox-sender.ts), the bot's commands (bot-commands.ts) and long polling (poller.ts). This
 * file holds the token, the state the dashboard shows, and start/stop.
 */
export function createTelegramService(deps: BotCommandDeps & { options: TelegramOptions }) {
  const { alerts, outbox, settings, settingsRepo, bus, log, options } = deps
  let api: Api | undefined
  let state: State = 'disabled'
  let message: string | null = null
  let abort: AbortController | undefined
  let pollLoop: Promise<void> | undefined
  let senderTimer: NodeJS.Timeout | undefined

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

  const botState = createBotState(settingsRepo)
  const sender = createOutboxSender({
    api: () => api,
    aborted: () => abort?.signal.aborted ?? false,
    outbox,
    alerts,
    settings,
    mutedUntil: botState.mutedUntil,
    log
  })
  const commands = createBotCommands({ ...deps, api: () => api, state: botState })
  const poller = createPoller({
    api: () => api!,
    state: () => state,
    setState,
    onUpdate: commands.handleUpdate,
    pollTimeoutS: options.pollTimeoutS,
    log
  })
  const onEnqueued = () => sender.wake()

  const service = {
    status(): TelegramStatus {
      return {
        ok: true,
        state,
        message,
        bot_username: poller.botUsername(),
        token_source: token().source,
        link_code: botState.linkCode(),
        muted_until: botState.mutedUntil(),
        recipients: outbox.recipients()
      }
    },

    start(): void {
      for (const chatId of options.envChatIds ?? [])
        outbox.addRecipient(chatId, null, 'env', isoMillis())
      botState.linkCode()
      const { value } = token()
      if (!value) {
        setState('disabled')
        return
      }
      api = new Api(value, { apiRoot: options.apiRoot, maxRetries: 0, timeoutMs: 20_000 })
      abort = new AbortController()
      setState('starting')
      pollLoop = poller.run(abort.signal)
      bus.on('outbox.enqueued', onEnqueued)
      senderTimer = setInterval(sender.wake, options.senderIntervalMs ?? 2000)
      senderTimer.unref()
      sender.wake()
    },

    async stop(): Promise<void> {
      abort?.abort()
      if (senderTimer) clearInterval(senderTimer)
      bus.off('outbox.enqueued', onEnqueued)
      await Promise.allSettled([pollLoop, sender.running()])
      api = undefined
      poller.reset()
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
      const code = botState.linkCode()
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
