import type { AdoptionView, TokenView } from '@shared/device-trust-schemas'
import { apiRequest } from './client'

/** Typed calls for adoption and device tokens (src/main/core/device-trust). */

export type { AdoptionView, PendingDevice, TokenView } from '@shared/device-trust-schemas'

export interface TokenResponse {
  ok: true
  token: TokenView
}

const pendingPath = (id: string) => `/api/admin/adoption/pending/${encodeURIComponent(id)}`
const tokenPath = (id: string) => `/api/admin/devices/${encodeURIComponent(id)}/token`

export const deviceTrustApi = {
  adoption: () => apiRequest<AdoptionView>('GET', '/api/admin/adoption'),
  setAdoption: (open: boolean) =>
    apiRequest<AdoptionView>('PATCH', '/api/admin/adoption', { open }),
  adopt: (id: string) => apiRequest<AdoptionView>('POST', `${pendingPath(id)}/adopt`),
  dismiss: (id: string) => apiRequest<AdoptionView>('DELETE', pendingPath(id)),
  token: (id: string) => apiRequest<TokenResponse>('GET', tokenPath(id)),
  revokeToken: (id: string) => apiRequest<TokenResponse>('POST', `${tokenPath(id)}/revoke`),
  reissueToken: (id: string) => apiRequest<TokenResponse>('POST', `${tokenPath(id)}/reissue`)
}
