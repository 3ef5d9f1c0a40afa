import { defineStore } from 'pinia'
import { ref } from 'vue'
import { systemApi, type TelegramTestResult } from '../api/system'
import type { TelegramStatus } from '../api/types'
import { coalesced } from '../lib/coalesce'
import { useLoadState } from './load-state'

/**
 * The family's Telegram bot: status, link code, recipients, token. `telegram.updated` on the
 * stream asks for a refetch; the bot's connection state (starting → ok / conflict / error) is
 * not announced by the server, so the settings page also polls while it is shown.
 */
export const useTelegramStore = defineStore('telegram', () => {
  const status = ref<TelegramStatus | null>(null)
  const { loaded, loading, loadError, track, reset: resetLoad } = useLoadState()
  /** The last "send a test message" results, per recipient. */
  const testResults = ref<TelegramTestResult[] | null>(null)

  const refresh = coalesced(() =>
    track(
      () => systemApi.telegram(),
      (next) => (status.value = next)
    )
  )

  function refreshIfLoaded(): void {
    if (loaded.value || loading.value) void refresh()
  }

  /** Saves (or with null removes) the bot token; the bot restarts with it. */
  async function setToken(token: string | null): Promise<void> {
    status.value = await systemApi.setBotToken(token)
    testResults.value = null
  }

  async function newLinkCode(): Promise<string> {
    const { link_code } = await systemApi.newLinkCode()
    if (status.value) status.value = { ...status.value, link_code }
    return link_code
  }

  async function removeRecipient(chatId: string): Promise<void> {
    status.value = await systemApi.removeRecipient(chatId)
    testResults.value = testResults.value?.filter((r) => r.chat_id !== chatId) ?? null
  }

  /** Sends the test message; resolves with every recipient's result (some may have failed). */
  async function sendTest(): Promise<TelegramTestResult[]> {
    testResults.value = null
    const { results } = await systemApi.telegramTest()
    testResults.value = results
    return results
  }

  function reset(): void {
    resetLoad()
    status.value = null
    testResults.value = null
  }

  return {
    status,
    loaded,
    loading,
    loadError,
    testResults,
    load: refresh,
    refreshIfLoaded,
    setToken,
    newLinkCode,
    removeRecipient,
    sendTest,
    reset
  }
})
