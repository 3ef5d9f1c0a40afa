import { longPoll, TelegramApiError, type Api } from 'node-telegram-bot-api'
import type { Update } from 'node-telegram-bot-api/types'
import type { TelegramStatus } from '../../../shared/api-schemas'
import type { Logger } from '../lib/logger'
import { describe } from './bot-state'

const CONFLICT_RETRY_MS = 60 * 1000

type State = TelegramStatus['state']

/**
 * Long polling for the bot's updates. Another program polling the same token (409) shows up as
 * a status, not a crash loop; a refused token stops polling until it is changed.
 */
export function createPoller(deps: {
  api: () => Api
  state: () => State
  setState: (next: State, msg?: string | null) => void
  onUpdate: (update: Update) => Promise<void>
  pollTimeoutS?: number
  log: Logger
}) {
  const { api, state, setState, onUpdate, log } = deps
  const options = { pollTimeoutS: deps.pollTimeoutS }
  let botUsername: string | null = null
  // Our own record of the last update handled, so a restarted poll loop does not replay updates.
  let nextOffset: number | undefined

  const sleep = (ms: number, signal: AbortSignal) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms)
      signal.addEventListener('abort', () => {
        clearTimeout(timer)
        resolve()
      })
    })

  const run = async (signal: AbortSignal): Promise<void> => {
    while (!signal.aborted) {
      try {
        if (!botUsername) {
          const me = await api().getMe(signal)
          botUsername = me.username ?? null
        }
        setState('ok')
        for await (const update of longPoll(
          api(),
          {
            offset: nextOffset,
            timeout: options.pollTimeoutS ?? 25,
            allowedUpdates: ['message', 'callback_query'],
            onError: (err) => setState('error', describe(err))
          },
          signal
        )) {
          if (state() !== 'ok') setState('ok')
          nextOffset = update.update_id + 1
          await onUpdate(update).catch((err: unknown) =>
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

  return {
    run,
    botUsername: () => botUsername,
    /** Forgets the bot's name (the token may change before the next run). */
    reset: () => {
      botUsername = null
    }
  }
}
