import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import {
  scheduleApi,
  type CalendarResponse,
  type DeviceAdherence,
  type DoseOutcome,
  type DoseStatus,
  type DownloadedFile,
  type OutcomeQuery,
  type PeriodAdherence,
  type ReportQuery,
  type ReportResponse
} from '../api/schedules'
import type { EventView } from '../api/types'
import { currentLocale } from '../i18n'
import { isMonth } from '../lib/dose-format'
import { useLoadState } from './load-state'

/** The outcome list's filters: local dates (inclusive) in the family zone, '' for the default. */
export interface OutcomeFilters {
  from: string
  to: string
  status: DoseStatus | ''
}

export const EMPTY_OUTCOME_FILTERS: OutcomeFilters = { from: '', to: '', status: '' }

/** Calendar weeks in the trend chart. */
export const TREND_WEEKS = 12
/** Events from a dispenser come in bursts (ring, ack, taken): one refetch per burst. */
export const LIVE_DEBOUNCE_MS = 1500

export function outcomeQuery(deviceId: string, filters: OutcomeFilters): OutcomeQuery {
  const q: OutcomeQuery = { device_id: deviceId }
  if (filters.from) q.from = filters.from
  if (filters.to) q.to = filters.to
  if (filters.status) q.status = filters.status
  return q
}

/**
 * Adherence of one device: the 7 and 30 day figures (per alarm too), the weekly trend, one month
 * of calendar days and the outcome list. A new event from that device (on the live stream)
 * refetches it all, once per burst, while a view is watching.
 */
export const useAdherenceStore = defineStore('adherence', () => {
  const deviceId = ref('')
  const month = ref('')
  const week = shallowRef<DeviceAdherence | null>(null)
  const thirty = shallowRef<DeviceAdherence | null>(null)
  const trend = shallowRef<PeriodAdherence[]>([])
  const calendar = shallowRef<CalendarResponse | null>(null)
  const outcomes = shallowRef<DoseOutcome[]>([])
  const outcomeRange = ref<{ from: string; to: string } | null>(null)
  const filters = ref<OutcomeFilters>({ ...EMPTY_OUTCOME_FILTERS })
  const timeZone = ref('')
  /** Today on the family's clock, as the server sees it. */
  const today = ref('')

  // The figures, the calendar month and the outcome list load (and fail) on their own.
  const figures = useLoadState()
  const { loading, loaded, loadError: error } = figures
  /** When the figures were last fetched (ms), for "updated …". */
  const updatedAt = figures.loadedAt
  const calendarState = useLoadState()
  const { loading: calendarLoading, loadError: calendarError } = calendarState
  const outcomesState = useLoadState()
  const { loading: outcomesLoading, loadError: outcomesError } = outcomesState
  let watching = false
  let timer: ReturnType<typeof setTimeout> | undefined

  function cancelTimer(): void {
    if (timer) clearTimeout(timer)
    timer = undefined
  }

  async function fetchCalendar(): Promise<void> {
    const id = deviceId.value
    await calendarState.track(
      () => scheduleApi.calendar(id, month.value),
      (res) => {
        if (id !== deviceId.value) return
        calendar.value = res
        if (!month.value) month.value = res.month
      },
      { supersede: true }
    )
  }

  async function fetchOutcomes(): Promise<void> {
    const id = deviceId.value
    await outcomesState.track(
      () => scheduleApi.outcomes(outcomeQuery(id, filters.value)),
      (res) => {
        if (id !== deviceId.value) return
        outcomes.value = res.outcomes
        outcomeRange.value = { from: res.from_date, to: res.to_date }
        timeZone.value = res.time_zone
      },
      { supersede: true }
    )
  }

  /** Fetches everything for the current device; keeps what it had when a call fails. */
  async function refresh(): Promise<void> {
    cancelTimer()
    const id = deviceId.value
    if (!id) return
    await figures.track(
      () =>
        Promise.all([
          scheduleApi.adherence(id, 7),
          scheduleApi.adherence(id, 30),
          scheduleApi.trend(id, 'week', TREND_WEEKS),
          fetchCalendar(),
          fetchOutcomes()
        ]),
      ([w, t, c]) => {
        week.value = w.devices.find((d) => d.device_id === id) ?? null
        thirty.value = t.devices.find((d) => d.device_id === id) ?? null
        trend.value = c.devices.find((d) => d.device_id === id)?.series ?? []
        timeZone.value = w.time_zone
        today.value = w.to
      },
      { supersede: true }
    )
  }

  /** Shows a device (and optionally a calendar month); a new device starts from scratch. */
  async function load(id: string, nextMonth?: string): Promise<void> {
    watching = true
    if (id !== deviceId.value) {
      figures.invalidate()
      week.value = thirty.value = null
      trend.value = []
      calendar.value = null
      outcomes.value = []
      outcomeRange.value = null
      loaded.value = false
      error.value = calendarError.value = outcomesError.value = null
      filters.value = { ...EMPTY_OUTCOME_FILTERS }
    }
    deviceId.value = id
    month.value = nextMonth && isMonth(nextMonth) ? nextMonth : month.value
    if (!id) {
      cancelTimer()
      loading.value = false
      return
    }
    await refresh()
  }

  async function setMonth(next: string): Promise<void> {
    if (!isMonth(next) || next === month.value) return
    month.value = next
    if (deviceId.value) await fetchCalendar()
  }

  async function setFilters(next: OutcomeFilters): Promise<void> {
    filters.value = { ...next }
    if (deviceId.value) await fetchOutcomes()
  }

  /** A new event on the live stream: refetch (debounced) when it is this device's. */
  function applyEvent(event: Pick<EventView, 'device_id'>): void {
    if (!watching || !deviceId.value || event.device_id !== deviceId.value) return
    cancelTimer()
    timer = setTimeout(() => {
      timer = undefined
      void refresh()
    }, LIVE_DEBOUNCE_MS)
  }

  /** After the stream reconnects: whatever was missed meanwhile. */
  function resync(): void {
    if (watching && loaded.value) void refresh()
  }

  /** The view is gone: stop refetching on live events. */
  function leave(): void {
    watching = false
    cancelTimer()
  }

  /** The outcome list as CSV, built by the server (format=csv) with the same filters. */
  function exportCsv(signal?: AbortSignal): Promise<DownloadedFile> {
    return scheduleApi.outcomesCsv(
      outcomeQuery(deviceId.value, filters.value),
      currentLocale(),
      signal
    )
  }

  function reset(): void {
    leave()
    figures.reset()
    calendarState.reset()
    outcomesState.reset()
    deviceId.value = ''
    month.value = ''
    week.value = thirty.value = null
    trend.value = []
    calendar.value = null
    outcomes.value = []
    outcomeRange.value = null
    filters.value = { ...EMPTY_OUTCOME_FILTERS }
  }

  return {
    deviceId,
    month,
    week,
    thirty,
    trend,
    calendar,
    outcomes,
    outcomeRange,
    filters,
    timeZone,
    today,
    loading,
    loaded,
    error,
    calendarLoading,
    calendarError,
    outcomesLoading,
    outcomesError,
    updatedAt,
    load,
    refresh,
    setMonth,
    setFilters,
    applyEvent,
    resync,
    leave,
    exportCsv,
    reset
  }
})

/** The printable report: one device and one period, in one request. */
export const useReportStore = defineStore('report', () => {
  const report = shallowRef<ReportResponse | null>(null)
  const { loading, loadError: error, track, reset: resetLoad } = useLoadState()

  async function load(query: ReportQuery): Promise<void> {
    // A failed period shows its error alone, not the report of the period before.
    error.value = null
    await track(
      () => scheduleApi.report(query),
      (res) => (report.value = res),
      { supersede: true, onError: () => (report.value = null) }
    )
  }

  function reset(): void {
    resetLoad()
    report.value = null
  }

  return { report, loading, error, load, reset }
})
