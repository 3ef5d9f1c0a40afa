import type { Locale } from '../i18n'
import { ApiError, apiRequest, notifyUnauthorized } from './client'
import type {
  AdherenceResponse,
  CalendarDay,
  CalendarResponse,
  DoseStatus,
  OutcomesResponse,
  ReportResponse,
  ScheduleInput,
  ScheduleResponse,
  ScheduleVersionsResponse,
  TrendResponse,
  Weekday
} from '@shared/schedule-schemas'

/**
 * Typed calls for the schedule, outcome and adherence admin API (src/main/core/schedules). The
 * shapes come from the shared zod schemas as types only, so zod never reaches the bundle; the
 * few constants the dashboard needs are repeated below and checked against those types.
 */

// The shared shapes the rest of the dashboard imports from here.
export type {
  AdherenceResponse,
  AdherenceStats,
  AlarmAdherence,
  CalendarDay,
  CalendarResponse,
  DeviceAdherence,
  DoseOutcome,
  DoseStatus,
  OutcomesResponse,
  PeriodAdherence,
  ReportResponse,
  ScheduleAlarmInput,
  ScheduleAlarmView,
  ScheduleInput,
  ScheduleResponse,
  ScheduleVersionsResponse,
  ScheduleView,
  TrendResponse,
  Weekday
} from '@shared/schedule-schemas'

/** Monday first, as a Spanish calendar reads; the API accepts the days in any order. */
export const WEEKDAYS_MONDAY_FIRST = [
  'mon',
  'tue',
  'wed',
  'thu',
  'fri',
  'sat',
  'sun'
] as const satisfies readonly Weekday[]
type MissingWeekdays = Exclude<Weekday, (typeof WEEKDAYS_MONDAY_FIRST)[number]>
export const weekdaysAreComplete: [MissingWeekdays] extends [never] ? true : never = true

export const DOSE_STATUS_LIST = [
  'on_time',
  'late',
  'missed',
  'unknown',
  'pending'
] as const satisfies readonly DoseStatus[]
type MissingStatuses = Exclude<DoseStatus, (typeof DOSE_STATUS_LIST)[number]>
export const doseStatusesAreComplete: [MissingStatuses] extends [never] ? true : never = true

export type CalendarStatus = CalendarDay['status']

/** Same as ADHERENCE_TARGET_PCT in src/shared (responses also carry it as target_pct). */
export const ADHERENCE_TARGET = 80
/** The on-time window an alarm gets when the form leaves it empty. */
export { DEFAULT_WINDOW_MIN as DEFAULT_WINDOW } from '@shared/alarm-rules'

export interface OutcomeQuery {
  device_id?: string
  alarm_id?: number
  status?: DoseStatus
  /** Local dates (YYYY-MM-DD, inclusive) in the family zone, or ISO instants. */
  from?: string
  to?: string
}

export interface ReportQuery {
  device_id: string
  month?: string
  from?: string
  to?: string
}

function query(params: object): string {
  const search = new URLSearchParams()
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value))
  }
  const qs = search.toString()
  return qs ? `?${qs}` : ''
}

const schedulePath = (id: string) => `/api/admin/devices/${encodeURIComponent(id)}/schedule`

/** A file the server builds (the CSV export), with the name it suggests. */
export interface DownloadedFile {
  blob: Blob
  fileName: string | null
}

function fileNameOf(disposition: string | null): string | null {
  if (!disposition) return null
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition)
  if (star) {
    try {
      return decodeURIComponent(star[1]!)
    } catch {
      // fall through to the plain name
    }
  }
  const plain = /filename="?([^";]+)"?/i.exec(disposition)
  return plain ? plain[1]! : null
}

/**
 * GET of a non-JSON body, with the same error handling as apiRequest: the server's envelope
 * becomes an ApiError, and a 401 means the session is gone.
 */
export async function fetchFile(path: string, signal?: AbortSignal): Promise<DownloadedFile> {
  let res: Response
  try {
    res = await fetch(path, { credentials: 'same-origin', signal })
  } catch (err) {
    if (signal?.aborted) throw err
    throw new ApiError(0, 'network-error', 'the server could not be reached')
  }
  if (res.ok)
    return { blob: await res.blob(), fileName: fileNameOf(res.headers.get('content-disposition')) }
  let error = new ApiError(res.status, 'bad-response', `unexpected response (HTTP ${res.status})`)
  try {
    const data = (await res.json()) as {
      error?: { code?: unknown; message?: unknown; field?: unknown }
    }
    const e = data.error
    if (e && typeof e.code === 'string' && typeof e.message === 'string')
      error = new ApiError(
        res.status,
        e.code,
        e.message,
        typeof e.field === 'string' ? e.field : undefined
      )
  } catch {
    // not JSON: keep the generic error
  }
  if (res.status === 401) notifyUnauthorized()
  throw error
}

export const scheduleApi = {
  getSchedule: (deviceId: string) => apiRequest<ScheduleResponse>('GET', schedulePath(deviceId)),
  putSchedule: (deviceId: string, input: ScheduleInput) =>
    apiRequest<ScheduleResponse>('PUT', schedulePath(deviceId), input),
  versions: (deviceId: string) =>
    apiRequest<ScheduleVersionsResponse>('GET', `${schedulePath(deviceId)}/versions`),

  outcomes: (q: OutcomeQuery, signal?: AbortSignal) =>
    apiRequest<OutcomesResponse>('GET', `/api/admin/outcomes${query(q)}`, undefined, { signal }),
  outcomesCsvUrl: (q: OutcomeQuery, lang: Locale) =>
    `/api/admin/outcomes${query({ ...q, format: 'csv', lang })}`,
  /** The CSV in the dashboard's language (Spanish: Spanish headers and `;`). */
  outcomesCsv: (q: OutcomeQuery, lang: Locale, signal?: AbortSignal) =>
    fetchFile(`/api/admin/outcomes${query({ ...q, format: 'csv', lang })}`, signal),

  adherence: (deviceId: string, days: number, signal?: AbortSignal) =>
    apiRequest<AdherenceResponse>(
      'GET',
      `/api/admin/adherence${query({ device_id: deviceId, days })}`,
      undefined,
      { signal }
    ),
  trend: (deviceId: string, period: 'week' | 'month', count: number, signal?: AbortSignal) =>
    apiRequest<TrendResponse>(
      'GET',
      `/api/admin/adherence/trend${query({ device_id: deviceId, period, count })}`,
      undefined,
      { signal }
    ),
  calendar: (deviceId: string, month: string, signal?: AbortSignal) =>
    apiRequest<CalendarResponse>(
      'GET',
      `/api/admin/adherence/calendar${query({ device_id: deviceId, month })}`,
      undefined,
      { signal }
    ),
  report: (q: ReportQuery, signal?: AbortSignal) =>
    apiRequest<ReportResponse>('GET', `/api/admin/adherence/report${query(q)}`, undefined, {
      signal
    })
}
