import type { AlertView, FirmwareView, TelegramStatus } from '../../src/renderer/src/api/types'

/** Fixtures for the firmware, alerts and Telegram stores (shapes as the core answers them). */

export function alert(id: number, fields: Partial<AlertView> = {}): AlertView {
  return {
    id,
    kind: 'ota_failed',
    device_id: 'A',
    text: `alert ${id}`,
    params: {},
    created_at: '2026-01-10T10:00:00.000Z',
    acknowledged_at: null,
    acknowledged_by: null,
    resolved_at: null,
    deliveries: [],
    ...fields
  }
}

export function acknowledged(a: AlertView, by = 'Pastillero'): AlertView {
  return { ...a, acknowledged_at: '2026-01-10T11:00:00.000Z', acknowledged_by: by }
}

export function firmware(id: number, version: string, fields: Partial<FirmwareView> = {}) {
  return {
    id,
    version,
    sha256: 'a'.repeat(64),
    md5: 'b'.repeat(32),
    size: 4096,
    chip: 'ESP32',
    project_name: 'pastillero',
    app_version: version,
    build_date: 'Nov 26 2026',
    build_time: '09:00:00',
    idf_version: 'v5.3.1',
    file_name: `pastillero-${version}.bin`,
    notes: null,
    uploaded_at: '2026-01-10T10:00:00.000Z',
    release: { target: 'all', percent: null, devices: [], paused: false },
    devices_running: 0,
    ...fields
  } satisfies FirmwareView as FirmwareView
}

export function telegramStatus(fields: Partial<TelegramStatus> = {}): TelegramStatus {
  return {
    ok: true,
    state: 'ok',
    message: null,
    bot_username: 'pastillero_bot',
    token_source: 'setting',
    link_code: 'ABCD2345',
    muted_until: null,
    recipients: [],
    ...fields
  }
}
