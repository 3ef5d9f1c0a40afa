import { apiRequest } from './client'
import type { TodayResponse } from '@shared/today-schemas'

export type { TodayDevice, TodayResponse, Health } from '@shared/today-schemas'
export type { TodayDose } from '@shared/schedule-schemas'

/** GET /api/admin/today (src/main/core/today): the "Hoy" page in one request. */
export const todayApi = {
  get: () => apiRequest<TodayResponse>('GET', '/api/admin/today')
}
