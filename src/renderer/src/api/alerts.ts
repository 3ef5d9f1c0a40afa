import { apiRequest } from './client'
import type { AlertView } from './types'

/** Typed calls for alerts (src/main/core/alerts/alert-routes.ts). */

export interface AlertQuery {
  open?: boolean
  device_id?: string
  limit?: number
  before_id?: number
}

export interface AlertListResponse {
  ok: true
  /** Newest first. */
  alerts: AlertView[]
  /** Unacknowledged alerts per device id (every device, whatever the filters). */
  open_by_device: Record<string, number>
}

export interface AlertResponse {
  ok: true
  alert: AlertView
}

export const alertsApi = {
  list: (query: AlertQuery = {}) => {
    const params = new URLSearchParams()
    if (query.open) params.set('open', 'true')
    if (query.device_id) params.set('device_id', query.device_id)
    if (query.limit !== undefined) params.set('limit', String(query.limit))
    if (query.before_id !== undefined) params.set('before_id', String(query.before_id))
    const qs = params.toString()
    return apiRequest<AlertListResponse>('GET', `/api/admin/alerts${qs ? `?${qs}` : ''}`)
  },
  acknowledge: (id: number) => apiRequest<AlertResponse>('POST', `/api/admin/alerts/${id}/ack`)
}
