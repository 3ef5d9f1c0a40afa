import { defineStore } from 'pinia'
import { shallowRef } from 'vue'
import { todayApi, type TodayResponse } from '../api/today'
import type { StreamMessage } from '../api/types'
import { coalesced } from '../lib/coalesce'
import { useLoadState } from './load-state'

/** Live changes are batched: a dispenser uploading ten buffered events refetches once. */
export const TODAY_SYNC_MS = 300
/** Statuses also change with time alone (pending → missed): refetch at least this often. */
const TODAY_POLL_MS = 60_000

const RELEVANT = new Set<StreamMessage['name']>([
  'event.created',
  'alert.created',
  'alert.updated',
  'device.online',
  'device.offline',
  'device.updated',
  'device.removed'
])

/**
 * The "Hoy" page's data: one GET /api/admin/today, refetched (batched) when the live stream says
 * something relevant happened, and when a pending dose's window ends.
 */
export const useTodayStore = defineStore('today', () => {
  const data = shallowRef<TodayResponse | null>(null)
  const { loading, loadError: error, track } = useLoadState()
  let active = false
  let syncTimer: ReturnType<typeof setTimeout> | undefined
  let deadlineTimer: ReturnType<typeof setTimeout> | undefined

  const refresh = coalesced(async () => {
    await track(
      () => todayApi.get(),
      (next) => {
        data.value = next
        scheduleDeadline()
      }
    )
  })

  /** The next moment a status changes by itself: a window closing or a dose coming due. */
  function scheduleDeadline(): void {
    if (deadlineTimer) clearTimeout(deadlineTimer)
    if (!active || !data.value) return
    const now = Date.now()
    let next = now + TODAY_POLL_MS
    for (const d of data.value.devices)
      for (const dose of d.doses) {
        const at = Date.parse(dose.due_by ?? (dose.status === 'upcoming' ? dose.scheduled_at : ''))
        if (at > now && at < next) next = at + 1000
      }
    deadlineTimer = setTimeout(() => void refresh(), next - now)
  }

  function apply(message: StreamMessage): void {
    if (!active || !RELEVANT.has(message.name)) return
    if (syncTimer) return
    syncTimer = setTimeout(() => {
      syncTimer = undefined
      void refresh()
    }, TODAY_SYNC_MS)
  }

  return {
    data,
    error,
    loading,
    refresh,
    apply,
    /** After a reconnection: whatever happened meanwhile is re-read. */
    resync(): void {
      if (active) void refresh()
    },
    /** The page is shown: load, and follow the stream while it stays. */
    start(): void {
      active = true
      void refresh()
    },
    stop(): void {
      active = false
      if (syncTimer) clearTimeout(syncTimer)
      if (deadlineTimer) clearTimeout(deadlineTimer)
      syncTimer = deadlineTimer = undefined
    }
  }
})
