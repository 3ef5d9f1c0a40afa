import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import { alertsApi } from '../api/alerts'
import type { AlertView, StreamMessage } from '../api/types'
import { coalesced } from '../lib/coalesce'
import { useLoadState } from './load-state'

export interface AlertFilters {
  /** Only alerts nobody has marked seen yet. */
  open: boolean
  device_id: string
}

export const ALL_ALERTS: AlertFilters = { open: false, device_id: '' }
export const ALERT_PAGE_SIZE = 50
/** After a live change the counts are re-read from the server this long later (batched). */
export const COUNTS_SYNC_MS = 250

/** Open: nobody marked it seen, and it did not close by itself (a late dose arrived). */
export function isOpen(alert: AlertView): boolean {
  return alert.acknowledged_at === null && !alert.resolved_at
}

export function matchesAlertFilters(alert: AlertView, filters: AlertFilters): boolean {
  if (filters.device_id && alert.device_id !== filters.device_id) return false
  return !filters.open || isOpen(alert)
}

/**
 * Alerts, newest first, with "load more" by id, live inserts and updates from the stream, and
 * the open (unacknowledged) count per device that the navigation and device cards show.
 *
 * Counts change at once on what this page sees (a new alert, an acknowledgement) and are then
 * re-read from the server, which alone knows about alerts outside the loaded pages.
 */
export const useAlertsStore = defineStore('alerts', () => {
  const filters = ref<AlertFilters>({ ...ALL_ALERTS })
  const items = shallowRef<AlertView[]>([])
  const hasMore = ref(false)
  // The list's pages: the first page supersedes, "load more" follows in the same generation.
  const list = useLoadState()
  const { loaded, loading, loadError: error } = list
  const loadingMore = ref(false)

  const openByDevice = ref<Record<string, number>>({})
  const countsLoaded = ref(false)
  const openTotal = computed(() => Object.values(openByDevice.value).reduce((sum, n) => sum + n, 0))

  let countsGeneration = 0
  let syncTimer: ReturnType<typeof setTimeout> | undefined

  function openFor(deviceId: string): number {
    return openByDevice.value[deviceId] ?? 0
  }

  function setCounts(counts: Record<string, number>): void {
    openByDevice.value = { ...counts }
    countsLoaded.value = true
  }

  function adjustCount(deviceId: string, delta: number): void {
    if (!countsLoaded.value) return
    const next = Math.max(0, openFor(deviceId) + delta)
    const counts = { ...openByDevice.value }
    if (next === 0) delete counts[deviceId]
    else counts[deviceId] = next
    openByDevice.value = counts
  }

  const refreshCounts = coalesced(async () => {
    const gen = countsGeneration
    try {
      const page = await alertsApi.list({ open: true, limit: 1 })
      if (gen === countsGeneration) setCounts(page.open_by_device)
    } catch {
      // The badge keeps its last value; the next change or reconnection asks again.
    }
  })

  function scheduleCountsSync(): void {
    if (syncTimer) clearTimeout(syncTimer)
    syncTimer = setTimeout(() => {
      syncTimer = undefined
      void refreshCounts()
    }, COUNTS_SYNC_MS)
  }

  /** First page for these filters (or the current ones), replacing what was shown. */
  async function load(next?: AlertFilters, limit = ALERT_PAGE_SIZE): Promise<void> {
    if (next) filters.value = { ...next }
    loadingMore.value = false
    error.value = null
    if (next) {
      items.value = []
      hasMore.value = false
      loaded.value = false
    }
    await list.track(
      () =>
        alertsApi.list({
          open: filters.value.open,
          device_id: filters.value.device_id || undefined,
          limit
        }),
      (page) => {
        items.value = page.alerts
        hasMore.value = page.alerts.length === limit
        setCounts(page.open_by_device)
      },
      { supersede: true }
    )
  }

  async function loadMore(): Promise<void> {
    const last = items.value.at(-1)
    if (!last || !hasMore.value || loading.value || loadingMore.value) return
    error.value = null
    await list.track(
      () =>
        alertsApi.list({
          open: filters.value.open,
          device_id: filters.value.device_id || undefined,
          limit: ALERT_PAGE_SIZE,
          before_id: last.id
        }),
      (page) => {
        const known = new Set(items.value.map((a) => a.id))
        items.value = [...items.value, ...page.alerts.filter((a) => !known.has(a.id))]
        hasMore.value = page.alerts.length === ALERT_PAGE_SIZE
        setCounts(page.open_by_device)
      },
      { flag: loadingMore }
    )
  }

  /**
   * After the stream (re)opens: the counts always, and the loaded list again at its current
   * length, so nothing raised or acknowledged while disconnected stays missing.
   */
  async function refresh(): Promise<void> {
    if (loaded.value) {
      await load(undefined, Math.min(500, Math.max(ALERT_PAGE_SIZE, items.value.length)))
    } else {
      await refreshCounts()
    }
  }

  /** An alert as it is now (created, acknowledged, a delivery changed). */
  function upsert(alert: AlertView, created: boolean): void {
    const at = items.value.findIndex((a) => a.id === alert.id)
    const before = at === -1 ? undefined : items.value[at]
    if (created && isOpen(alert) && !before) adjustCount(alert.device_id, +1)
    if (before && isOpen(before) && !isOpen(alert)) adjustCount(alert.device_id, -1)

    if (before) {
      // Kept in place even when it no longer matches "open only": it was just acted on here.
      const next = [...items.value]
      next[at] = alert
      items.value = next
    } else if (loaded.value && matchesAlertFilters(alert, filters.value)) {
      const last = items.value.at(-1)
      // Older than the loaded pages: "load more" will bring it.
      if (hasMore.value && last && alert.id < last.id) return
      items.value = [...items.value, alert].sort((a, b) => b.id - a.id)
    }
  }

  function apply(message: StreamMessage): void {
    if (message.name === 'alert.created') {
      upsert(message.data, true)
      scheduleCountsSync()
    } else if (message.name === 'alert.updated') {
      upsert(message.data, false)
      scheduleCountsSync()
    } else if (message.name === 'device.removed') {
      const id = message.data.device_id
      if (items.value.some((a) => a.device_id === id))
        items.value = items.value.filter((a) => a.device_id !== id)
      if (openByDevice.value[id] !== undefined) {
        const counts = { ...openByDevice.value }
        delete counts[id]
        openByDevice.value = counts
      }
    }
  }

  /** "Visto": rejects with the API error; the alert comes back acknowledged. */
  async function acknowledge(id: number): Promise<AlertView> {
    const { alert } = await alertsApi.acknowledge(id)
    upsert(alert, false)
    scheduleCountsSync()
    return alert
  }

  function reset(): void {
    list.reset()
    countsGeneration++
    if (syncTimer) clearTimeout(syncTimer)
    syncTimer = undefined
    filters.value = { ...ALL_ALERTS }
    items.value = []
    hasMore.value = false
    loadingMore.value = false
    openByDevice.value = {}
    countsLoaded.value = false
  }

  return {
    filters,
    items,
    hasMore,
    loaded,
    loading,
    loadingMore,
    error,
    openByDevice,
    countsLoaded,
    openTotal,
    openFor,
    load,
    loadMore,
    refresh,
    refreshCounts,
    apply,
    acknowledge,
    reset
  }
})
