import { apiRequest } from './client'
import type { OkResponse } from './types'

export type Role = 'admin' | 'family'

export interface AccountView {
  id: number
  name: string
  role: Role
  created_at: string
  password_changed_at: string
  password_from_env: boolean
}

export interface SignedInAccount {
  id: number
  name: string
  role: Role
}

/** Typed calls for /api/admin/accounts (admin accounts only; see src/main/core/accounts). */
export const accountsApi = {
  list: () => apiRequest<{ ok: true; accounts: AccountView[] }>('GET', '/api/admin/accounts'),
  create: (name: string, role: Role, password: string) =>
    apiRequest<{ ok: true; account: AccountView }>('POST', '/api/admin/accounts', {
      name,
      role,
      password
    }),
  update: (id: number, patch: { role?: Role; password?: string }) =>
    apiRequest<{ ok: true; account: AccountView }>('PATCH', `/api/admin/accounts/${id}`, patch),
  remove: (id: number) => apiRequest<OkResponse>('DELETE', `/api/admin/accounts/${id}`)
}
