import { apiRequest } from './client'
import type { DeviceResponse, FirmwareView, OkResponse } from './types'
import { uploadForm, type UploadOptions } from './upload'

/** Typed calls for the firmware store and OTA (src/main/core/firmware, admin routes). */

export interface FirmwareListResponse {
  ok: true
  firmware: FirmwareView[]
}
export interface FirmwareResponse {
  ok: true
  firmware: FirmwareView
}

/** POST /api/admin/firmware/:id/release: one target (or none) and/or paused. */
export type ReleaseChange =
  | { target: 'all'; paused?: boolean }
  | { devices: string[]; paused?: boolean }
  | { percent: number; paused?: boolean }
  | { paused: boolean }

export interface FirmwareUpload {
  file: Blob
  fileName: string
  version?: string
  notes?: string
  /** none: stored paused, offered to nobody until a release is confirmed (the server's default is all). */
  release?: 'all' | 'none'
}

const firmwarePath = (id: number) => `/api/admin/firmware/${id}`

export const firmwareApi = {
  list: () => apiRequest<FirmwareListResponse>('GET', '/api/admin/firmware'),
  remove: (id: number) => apiRequest<OkResponse>('DELETE', firmwarePath(id)),
  release: (id: number, change: ReleaseChange) =>
    apiRequest<FirmwareResponse>('POST', `${firmwarePath(id)}/release`, change),
  /** Multipart (file, version?, notes?), with upload progress. */
  upload: (input: FirmwareUpload, options: UploadOptions = {}) => {
    const form = new FormData()
    // Text fields first: the server reads the parts in order.
    if (input.version?.trim()) form.append('version', input.version.trim())
    if (input.notes?.trim()) form.append('notes', input.notes.trim())
    if (input.release) form.append('release', input.release)
    form.append('file', input.file, input.fileName)
    return uploadForm<FirmwareResponse>('/api/admin/firmware', form, options)
  },
  retryOta: (deviceId: string) =>
    apiRequest<DeviceResponse>(
      'POST',
      `/api/admin/devices/${encodeURIComponent(deviceId)}/ota/retry`
    )
}
