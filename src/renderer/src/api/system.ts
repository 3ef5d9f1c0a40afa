import { apiRequest } from './client'
import type { DeviceResponse, TelegramStatus } from './types'
import { uploadForm, type UploadOptions } from './upload'

/**
 * Typed calls for the server's own upkeep: Telegram, the device key, backups and import/export,
 * the recent log, and blocking a device.
 */

export interface TelegramTestResult {
  chat_id: string
  ok: boolean
  error?: string
}
export interface TelegramTestResponse {
  /** False when any recipient failed; the results say which. */
  ok: boolean
  results: TelegramTestResult[]
}

export interface RotateKeyResponse {
  ok: true
  device_api_key: string
  /** The old key keeps working until then (null with no grace period). */
  previous_valid_until: string | null
}

export interface BackupInfo {
  name: string
  kind: 'auto' | 'manual'
  size: number
  created_at: string
}
export interface BackupListResponse {
  ok: true
  backups: BackupInfo[]
}
export interface BackupResponse {
  ok: true
  backup: BackupInfo
}
/** Restore and import answer 202: the server restarts with the new data. */
export interface RestartResponse {
  ok: true
  restart_required: true
  message: string
}

export interface LogLine {
  time?: string | number
  level: string
  scope?: string
  msg?: string
  [field: string]: unknown
}
export interface LogResponse {
  ok: true
  lines: LogLine[]
}

export const EXPORT_URL = '/api/admin/export'

export const systemApi = {
  telegram: () => apiRequest<TelegramStatus>('GET', '/api/admin/telegram'),
  setBotToken: (bot_token: string | null) =>
    apiRequest<TelegramStatus>('PATCH', '/api/admin/telegram', { bot_token }),
  telegramTest: () =>
    apiRequest<TelegramTestResponse>('POST', '/api/admin/telegram/test', undefined, {
      acceptNotOk: true
    }),
  newLinkCode: () =>
    apiRequest<{ ok: true; link_code: string }>('POST', '/api/admin/telegram/link-code'),
  removeRecipient: (chatId: string) =>
    apiRequest<TelegramStatus>(
      'DELETE',
      `/api/admin/telegram/recipients/${encodeURIComponent(chatId)}`
    ),

  rotateDeviceKey: (grace_hours: number) =>
    apiRequest<RotateKeyResponse>('POST', '/api/admin/device-key/rotate', { grace_hours }),

  backups: () => apiRequest<BackupListResponse>('GET', '/api/admin/backups'),
  backupNow: () => apiRequest<BackupResponse>('POST', '/api/admin/backups'),
  restoreBackup: (name: string) =>
    apiRequest<RestartResponse>('POST', `/api/admin/backups/${encodeURIComponent(name)}/restore`),
  importArchive: (file: File, options: UploadOptions = {}) => {
    const form = new FormData()
    form.append('file', file, file.name)
    return uploadForm<RestartResponse>('/api/admin/import', form, options)
  },

  logs: (limit = 200) => apiRequest<LogResponse>('GET', `/api/admin/logs?limit=${limit}`),

  setBlocked: (deviceId: string, blocked: boolean) =>
    apiRequest<DeviceResponse>('PATCH', `/api/admin/devices/${encodeURIComponent(deviceId)}`, {
      blocked
    })
}
