import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import { adminApi } from '../api/admin'
import { isEventType, type EventQuery, type EventType, type EventView } from '../api/types'
import { eventCsvRow, CSV_BOM, CSV_EOL, csvHeader } from '../lib/csv'
import { currentLocale } from '../i18n'
import { localDayStartIso } from '../lib/time'
import { useLoadState } from './load-state'

/** Filters as a person sets them: days are local calendar days (YYYY-MM-DD), both inclusive. */
export interface EventFilters {
  device_id: string
  type: EventType | ''
  from: string
  to: string
}

export const EMPTY_FILTERS: EventFilters = { device_id: '', type: '', from: '', to: '' }

export const PAGE_SIZE = 50
export const EXPORT_PAGE_SIZE = 1000

/** True when the days run backwards (then nothing is asked of the server). */
export function invalidRange(filters: EventFilters): boolean {
  return !!filters.from && !!filters.to && filters.from > filters.to
}

/** The API query for some filters: local days become UTC instants; `until` is exclusive. */
export function toApiQuery(filters: EventFilters): EventQuery {
  const query: EventQuery = {}
  if (filters.device_id) query.device_id = filters.device_id
  if (isEventType(filters.type)) query.type = filters.type
  const since = filters.from ? localDayStartIso(filters.from) : undefined
  const until = filters.to ? localDayStartIso(filters.to, 1) : undefined
  if (since) query.since = since
  if (until) query.until = until
  return query
}

/** Newest first, as the server orders them: occurred_at, then id. */
export function compareEvents(a: EventView, b: EventView): number {
  const byTime = Date.parse(b.occurred_at) - Date.parse(a.occurred_at)
  return byTime !== 0 ? byTime : b.id - a.id
}

export function matchesFilters(event: EventView, filters: EventFilters): boolean {
  const query = toApiQuery(filters)
  if (query.device_id && event.device_id !== query.device_id) return false
  if (query.type && event.type !== query.type) return false
  const at = Date.parse(event.occurred_at)
  if (query.since && at < Date.parse(query.since)) return false
  if (query.until && at >= Date.parse(query.until)) return false
  return true
}

export interface ExportOptions {
  deviceName: (id: string) => string | null
  signal?: AbortSignal
  onProgress?: (rows: number) => void
}

/**
 * A cursor-paginated list of events for some filters: first page, "load more", live inserts from
 * the stream, and a CSV export that walks every page. It never asks for more than one page at a
 * time, so it stays quick however long the history is.
 */
function eventFeedSetup() {
  const filters = ref<EventFilters>({ ...EMPTY_FILTERS })
  const items = shallowRef<EventView[]>([])
  const nextCursor = ref<string | null>(null)
  // The first page supersedes; "load more" and the catch-up after a reconnection follow in the
  // same generation.
  const feed = useLoadState()
  const { loading, loaded, loadError: error } = feed
  const loadingMore = ref(false)
  const hasMore = computed(() => nextCursor.value !== null)
  let ids = new Set<number>()

  function setItems(list: EventView[]): void {
    items.value = list
    ids = new Set(list.map((e) => e.id))
  }

  /** Loads the first page for these filters (or the current ones), dropping what was shown. */
  async function load(next?: EventFilters): Promise<void> {
    if (next) filters.value = { ...next }
    setItems([])
    nextCursor.value = null
    error.value = null
    loaded.value = false
    loadingMore.value = false
    if (invalidRange(filters.value)) {
      feed.invalidate()
      loading.value = false
      loaded.value = true
      return
    }
    await feed.track(
      () => adminApi.listEvents({ ...toApiQuery(filters.value), limit: PAGE_SIZE }),
      (page) => {
        setItems(page.events)
        nextCursor.value = page.next_cursor
      },
      { supersede: true }
    )
  }

  /** Appends the next page, following the server's cursor. */
  async function loadMore(): Promise<void> {
    const cursor = nextCursor.value
    if (!cursor || loading.value || loadingMore.value) return
    error.value = null
    await feed.track(
      () => adminApi.listEvents({ ...toApiQuery(filters.value), limit: PAGE_SIZE, cursor }),
      (page) => {
        const fresh = page.events.filter((e) => !ids.has(e.id))
        setItems([...items.value, ...fresh])
        nextCursor.value = page.next_cursor
      },
      { flag: loadingMore }
    )
  }

  /**
   * A new event from the stream. It is shown only where the loaded pages cover its position;
   * an older one below the last loaded row will come with "load more" anyway.
   */
  function applyCreated(event: EventView): void {
    if (!loaded.value || ids.has(event.id) || !matchesFilters(event, filters.value)) return
    const list = items.value
    const last = list.at(-1)
    if (hasMore.value && last && compareEvents(event, last) > 0) return
    const at = list.findIndex((e) => compareEvents(event, e) < 0)
    const next = [...list]
    next.splice(at === -1 ? list.length : at, 0, event)
    setItems(next)
  }

  /** Forgets rows of a forgotten device (the server deleted them too). */
  function removeDevice(deviceId: string): void {
    if (items.value.some((e) => e.device_id === deviceId))
      setItems(items.value.filter((e) => e.device_id !== deviceId))
  }

  /**
   * After the stream reconnects: fetch the first page again and merge what was missed. If the
   * gap is wider than a page there is no way to stitch it, so start over.
   */
  async function refreshHead(): Promise<void> {
    if (!loaded.value || loading.value) return
    await feed.track(
      () => adminApi.listEvents({ ...toApiQuery(filters.value), limit: PAGE_SIZE }),
      async (page) => {
        const overlaps = page.events.some((e) => ids.has(e.id))
        if (!overlaps && page.next_cursor && items.value.length > 0) {
          await load()
          return
        }
        const fresh = page.events.filter((e) => !ids.has(e.id))
        if (fresh.length === 0) return
        setItems([...fresh, ...items.value].sort(compareEvents))
        if (items.value.length === fresh.length) nextCursor.value = page.next_cursor
      },
      { flag: null }
    )
  }

  /**
   * Every event matching the current filters as CSV, fetched 1000 at a time by cursor. Rejects
   * with the API error (or an AbortError when cancelled).
   */
  async function exportCsv(options: ExportOptions): Promise<{ csv: string; rows: number }> {
    const query = toApiQuery(filters.value)
    const lang = currentLocale()
    const lines = [csvHeader(lang)]
    let cursor: string | undefined
    let rows = 0
    if (!invalidRange(filters.value)) {
      do {
        const page = await adminApi.listEvents(
          { ...query, limit: EXPORT_PAGE_SIZE, cursor },
          options.signal
        )
        for (const event of page.events) lines.push(eventCsvRow(event, options.deviceName, lang))
        rows += page.events.length
        options.onProgress?.(rows)
        cursor = page.next_cursor ?? undefined
      } while (cursor)
    }
    return { csv: CSV_BOM + lines.join(CSV_EOL) + CSV_EOL, rows }
  }

  function reset(): void {
    feed.reset()
    filters.value = { ...EMPTY_FILTERS }
    setItems([])
    nextCursor.value = null
    loadingMore.value = false
  }

  return {
    filters,
    items,
    nextCursor,
    hasMore,
    loading,
    loadingMore,
    loaded,
    error,
    load,
    loadMore,
    applyCreated,
    removeDevice,
    refreshHead,
    exportCsv,
    reset
  }
}

/** The History view's list. */
export const useHistoryStore = defineStore('history', eventFeedSetup)
/** The device detail page's timeline (filters.device_id is the device). */
export const useTimelineStore = defineStore('timeline', eventFeedSetup)
