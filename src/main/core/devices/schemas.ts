import { z } from 'zod'
import { deviceIdSchema } from '../../../shared/api-schemas'
import { tzInfoSchema } from '../../../shared/schedule-schemas'

/** An empty string from firmware means "not given" rather than a value to store. */
const optionalText = (max: number) =>
  z
    .string()
    .max(max, `must be at most ${max} characters`)
    .nullish()
    .transform((v) => (v === '' || v == null ? undefined : v))

/**
 * A whole number in [min, max], or null/absent. Type errors get the same message as range errors,
 * so a firmware author sees what is expected rather than zod's "expected number".
 */
const optionalWhole = (min: number, max: number, unit = '') => {
  const message = `must be a whole number from ${min} to ${max}${unit}`
  return z
    .number({ error: message })
    .int({ error: message })
    .min(min, { error: message })
    .max(max, { error: message })
    .nullish()
}

/**
 * Optional fields the firmware of issue 11 adds. A present but invalid value is refused with a
 * 422 naming the field, like every other known field (unknown fields are still ignored): the seed
 * firmware never sent these names, so no deployed dispenser is affected, and a firmware bug shows
 * up in the device's log at once instead of as a silently blank device page.
 */
const telemetryFields = {
  chip: optionalText(32).meta({
    description: 'Chip model (ESP.getChipModel()); OTA offers only builds for its family',
    example: 'ESP32-S3'
  }),
  schedule_version: z
    .number({ error: 'must be a whole number from 0 up, or null' })
    .int({ error: 'must be a whole number from 0 up, or null' })
    .min(0, { error: 'must be a whole number from 0 up, or null' })
    .nullish()
    .meta({ description: 'The schedule version the device has applied; null when none' }),
  rssi: optionalWhole(-128, 0, ' (dBm)').meta({ description: 'Wi-Fi signal, dBm', example: -58 }),
  free_heap: optionalWhole(0, 2 ** 32 - 1, ' (bytes)').meta({ example: 182000 }),
  uptime_s: optionalWhole(0, Number.MAX_SAFE_INTEGER, ' (seconds)').meta({ example: 3600 }),
  reset_reason: optionalText(32).meta({
    description: 'Why the device last started (poweron, software, panic, brownout, ota, …)',
    example: 'poweron'
  })
}

/** The seed's heartbeat body. Unknown fields are ignored, as pydantic did. */
export const heartbeatBodySchema = z.object({
  device_id: deviceIdSchema,
  firmware_version: optionalText(64).meta({ example: '1.0.0' }),
  ip_address: z
    .union([z.ipv4(), z.ipv6(), z.literal('')])
    .nullish()
    .transform((v) => (v ? v : undefined))
    .meta({ example: '192.168.1.50' }),
  status: optionalText(32).meta({ example: 'online' }),
  name: optionalText(100).meta({ example: 'Pastillero Cocina' }),
  ...telemetryFields
})
export type HeartbeatBody = z.infer<typeof heartbeatBodySchema>

export const heartbeatResponseSchema = z.object({
  ok: z.literal(true),
  server_time: z.string().meta({ example: '2025-01-01T12:00:00Z' }),
  command: z
    .literal('reboot')
    .optional()
    .meta({ description: 'Present once when a reboot is pending' }),
  schedule_version: z.number().int().nullable().optional().meta({
    description:
      'Current schedule version for this device (null: none yet); fetch GET /api/devices/{device_id}/schedule when it differs from the applied one'
  }),
  tz: tzInfoSchema.optional().meta({ description: "The family's time zone, for alarms" })
})
