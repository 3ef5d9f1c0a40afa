import { apiRequest } from './client'
import type {
  DeviceListResponse,
  DeviceResponse,
  EditableSettings,
  EventPage,
  EventQuery,
  OkResponse,
  RebootResponse,
  SessionResponse,
  SettingsView
} from './types'

/** Typed calls for every admin endpoint the dashboard uses (see src/main/core/admin). */

const devicePath = (id: string) => `/api/admin/devices/${encodeURIComponent(id)}`

export const adminApi = {
  session: () => apiRequest<SessionResponse>('GET', '/api/admin/session'),
  login: (password: string, name?: string) =>
    apiRequest<
      OkResponse & {
        account: import('./accounts').SignedInAccount
        family?: import('./types').SessionResponse['family']
      }
    >('POST', '/api/admin/login', name ? { name, password } : { password }, {
      expectUnauthorized: true
    }),
  logout: () => apiRequest<OkResponse>('POST', '/api/admin/logout'),

  listDevices: () => apiRequest<DeviceListResponse>('GET', '/api/admin/devices'),
  getDevice: (id: string) => apiRequest<DeviceResponse>('GET', devicePath(id)),
  renameDevice: (id: string, name: string | null) =>
    apiRequest<DeviceResponse>('PATCH', devicePath(id), { name }),
  forgetDevice: (id: string) => apiRequest<OkResponse>('DELETE', devicePath(id)),
  rebootDevice: (id: string) => apiRequest<RebootResponse>('POST', `${devicePath(id)}/reboot`),

  listEvents: (query: EventQuery, signal?: AbortSignal) => {
    const params = new URLSearchParams()
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined && value !== '') params.set(key, String(value))
    }
    const qs = params.toString()
    return apiRequest<EventPage>('GET', `/api/admin/events${qs ? `?${qs}` : ''}`, undefined, {
      signal
    })
  },

  getSettings: () => apiRequest<SettingsView>('GET', '/api/admin/settings'),
  patchSettings: (patch: Partial<EditableSettings>) =>
    apiRequest<SettingsView>('PATCH', '/api/admin/settings', patch),
  changePassword: (current_password: string, new_password: string) =>
    apiRequest<OkResponse>('POST', '/api/admin/password', { current_password, new_password })
}
