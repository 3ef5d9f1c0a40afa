import { z } from 'zod'
import { EVENT_TYPES } from './event-types'

/**
 * Schemas shared by the core (validation, OpenAPI) and the renderer (types). Field names follow
 * the seed's snake_case JSON so existing firmware and scripts keep working.
 */

export const DEVICE_ID_PATTERN = /^[A-Za-z0-9:._-]+$/

export const deviceIdSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(64, 'must be at most 64 characters')
  .regex(DEVICE_ID_PATTERN, 'may only contain A-Z a-z 0-9 : . _ -')
  .meta({ description: 'Usually the ESP32 MAC address', example: 'AA:BB:CC:DD:EE:FF' })

export { EVENT_TYPES, type EventType } from './event-types'
export const eventTypeSchema = z.enum(EVENT_TYPES)

export const commandViewSchema = z.object({
  id: z.number().int(),
  command: z.string(),
  status: z.enum(['pending', 'delivered']),
  requested_at: z.string(),
  delivered_at: z.string().nullable()
})
export type CommandView = z.infer<typeof commandViewSchema>

export const OTA_STATES = [
  'offered',
  'downloading',
  'installing',
  'rebooting',
  'done',
  'failed'
] as const
export const otaStateViewSchema = z.object({
  version: z.string(),
  from_version: z.string().nullable(),
  state: z.enum(OTA_STATES),
  detail: z.string().nullable(),
  updated_at: z.string(),
  /** Versions that failed on this device and are not offered again until retry. */
  blocked_versions: z.array(z.string())
})
export type OtaStateView = z.infer<typeof otaStateViewSchema>

export const firmwareViewSchema = z.object({
  id: z.number().int(),
  version: z.string(),
  sha256: z.string(),
  md5: z.string(),
  size: z.number().int(),
  chip: z.string(),
  project_name: z.string(),
  app_version: z.string(),
  build_date: z.string(),
  build_time: z.string(),
  idf_version: z.string(),
  file_name: z.string().nullable(),
  notes: z.string().nullable(),
  uploaded_at: z.string(),
  release: z.object({
    target: z.enum(['all', 'devices', 'percent']),
    percent: z.number().int().nullable(),
    devices: z.array(z.string()),
    paused: z.boolean()
  }),
  devices_running: z.number().int()
})
export type FirmwareView = z.infer<typeof firmwareViewSchema>

export const deviceViewSchema = z.object({
  device_id: z.string(),
  name: z
    .string()
    .nullable()
    .meta({ description: 'Display name: the family rename, else the reported name' }),
  reported_name: z.string().nullable(),
  firmware_version: z.string().nullable(),
  ip_address: z.string().nullable(),
  status: z.string().nullable().meta({ description: 'Status string the device reported' }),
  online: z.boolean().meta({ description: 'Computed from last_seen against offline_after_s' }),
  first_seen: z.string(),
  last_seen: z.string(),
  heartbeats: z.number().int(),
  last_command: commandViewSchema.nullable(),
  chip: z.string().nullable().meta({
    description:
      'Chip family OTA offers are limited to: from the chip the device reported, else learned from the firmware it installed'
  }),
  blocked: z
    .boolean()
    .meta({ description: 'Blocked devices get 403 and nothing they send is stored' }),
  ota: otaStateViewSchema.nullable(),
  chip_model: z.string().nullable().meta({ description: 'Chip model as the device reported it' }),
  applied_schedule_version: z
    .number()
    .int()
    .nullable()
    .meta({ description: 'The schedule version the device reported it has applied' }),
  rssi: z.number().int().nullable().meta({ description: 'Last reported Wi-Fi signal, dBm' }),
  free_heap: z.number().int().nullable().meta({ description: 'Last reported free heap, bytes' }),
  uptime_s: z.number().int().nullable().meta({ description: 'Uptime at the last heartbeat, s' }),
  reset_reason: z.string().nullable().meta({ description: 'Why the device last started' })
})
export type DeviceView = z.infer<typeof deviceViewSchema>

export const eventViewSchema = z.object({
  id: z.number().int(),
  device_id: z.string(),
  type: z.string(),
  payload: z.record(z.string(), z.unknown()).nullable(),
  device_time: z.string().nullable(),
  occurred_at: z.string(),
  received_at: z.string(),
  event_id: z.string().nullable()
})
export type EventView = z.infer<typeof eventViewSchema>

export const eventPageSchema = z.object({
  ok: z.literal(true),
  events: z.array(eventViewSchema),
  next_cursor: z.string().nullable()
})
export type EventPage = z.infer<typeof eventPageSchema>

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time like 22:00')

/** A time zone name the runtime knows (IANA, e.g. Europe/Madrid). */
export const timeZoneSchema = z.string().refine(
  (tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz })
      return true
    } catch {
      return false
    }
  },
  { message: 'must be a time zone name such as Europe/Madrid' }
)

export const editableSettingsSchema = z.object({
  offline_after_s: z.number().int().min(30).max(86_400).meta({
    description: 'A device with no heartbeat for this long is shown offline (and alerted)'
  }),
  port: z
    .number()
    .int()
    .min(0)
    .max(65_535)
    .meta({ description: 'API port (takes effect at restart)' }),
  host: z
    .string()
    .min(1)
    .max(255)
    .meta({ description: 'Listen address (takes effect at restart)' }),
  time_zone: timeZoneSchema.meta({
    description: "The family's time zone: schedules and messages use it"
  }),
  language: z
    .enum(['es', 'en'])
    .meta({ description: 'Language of Telegram messages, desktop notifications and CSV files' }),
  missed_dose_after_s: z.number().int().min(60).max(86_400).meta({
    description:
      'On-time window of alarms outside a schedule: with no dose_taken by then the dose is missed and alerted (schedule alarms use their own window_min)'
  }),
  quiet_hours: z
    .object({ start: clockTime, end: clockTime })
    .nullable()
    .meta({ description: 'Alerts in this local window are sent silently (never dropped)' }),
  mdns_enabled: z.boolean().meta({ description: 'Advertise the server on the LAN by mDNS' }),
  backup_keep: z
    .number()
    .int()
    .min(1)
    .max(365)
    .meta({ description: 'How many daily backups to keep' }),
  events_retention_days: z.number().int().min(0).max(36_500).meta({
    description: 'Delete events older than this many days (0 keeps everything)'
  })
})
export type EditableSettings = z.infer<typeof editableSettingsSchema>

export const settingsViewSchema = z.object({
  ok: z.literal(true),
  settings: editableSettingsSchema,
  /** Where each value came from, so the dashboard can say "set by PASTILLERO_PORT". */
  overridden_by: z.record(z.string(), z.string()),
  device_api_key: z.string(),
  /** After a rotation, the old key keeps working until then. */
  device_api_key_previous_until: z.string().nullable(),
  device_api_key_from_env: z.boolean(),
  server: z.object({
    version: z.string(),
    port: z.number().int(),
    addresses: z.array(z.string()),
    mdns_name: z
      .string()
      .nullable()
      .meta({ description: 'The name advertised on the LAN (mDNS), if any' }),
    host: z.string().meta({ description: 'The address the server listens on (--host)' }),
    loopback_only: z.boolean().meta({
      description:
        'true when it listens on a loopback address only (127.0.0.1, ::1, localhost): dispensers on the LAN cannot connect'
    }),
    data_dir: z.string()
  }),
  restart_required: z.boolean()
})
export type SettingsView = z.infer<typeof settingsViewSchema>

export const errorEnvelopeSchema = z.object({
  ok: z.literal(false),
  error: z.object({
    code: z.string().meta({ description: 'kebab-case machine code' }),
    message: z.string(),
    field: z.string().optional()
  })
})
export type ErrorEnvelope = z.infer<typeof errorEnvelopeSchema>

export const alertDeliverySchema = z.object({
  chat_id: z.string(),
  name: z.string().nullable(),
  status: z.enum(['pending', 'sent', 'failed']),
  attempts: z.number().int(),
  sent_at: z.string().nullable(),
  silent: z.boolean().nullable(),
  last_error: z.string().nullable()
})

export const alertViewSchema = z.object({
  id: z.number().int(),
  kind: z.string(),
  device_id: z.string(),
  text: z.string(),
  params: z.record(z.string(), z.unknown()),
  created_at: z.string(),
  acknowledged_at: z.string().nullable(),
  acknowledged_by: z.string().nullable(),
  /** Closed by what happened (a late dose arrived), not by a person; null while open. */
  resolved_at: z.string().nullable(),
  deliveries: z.array(alertDeliverySchema)
})
export type AlertView = z.infer<typeof alertViewSchema>

export const telegramStatusSchema = z.object({
  ok: z.literal(true),
  state: z.enum(['disabled', 'starting', 'ok', 'conflict', 'error']),
  message: z.string().nullable(),
  bot_username: z.string().nullable(),
  token_source: z.enum(['none', 'setting', 'TELEGRAM_BOT_TOKEN']),
  link_code: z.string(),
  muted_until: z.string().nullable(),
  recipients: z.array(
    z.object({
      chat_id: z.string(),
      name: z.string().nullable(),
      source: z.enum(['linked', 'env']),
      linked_at: z.string(),
      account_id: z.number().int().nullable().optional(),
      account_name: z
        .string()
        .nullable()
        .optional()
        .meta({ description: 'The family member who linked this chat (their acknowledgements)' })
    })
  )
})
export type TelegramStatus = z.infer<typeof telegramStatusSchema>
