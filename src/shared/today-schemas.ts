import { z } from 'zod'
import { alertViewSchema } from './api-schemas'
import { todayDoseSchema } from './schedule-schemas'

/**
 * The dispenser's health as one word (the "Hoy" page shows it with a colour): blocked, offline,
 * attention (an open device alert or a failed update), ok.
 */
export const HEALTH = ['ok', 'attention', 'offline', 'blocked'] as const
export type Health = (typeof HEALTH)[number]

export const todayDeviceSchema = z.object({
  device_id: z.string(),
  name: z.string().nullable(),
  online: z.boolean(),
  last_seen: z.string(),
  health: z.enum(HEALTH),
  doses: z.array(todayDoseSchema),
  next_dose: z
    .object({
      alarm_label: z.string(),
      medicine: z.string().nullable(),
      dose: z.string().nullable(),
      at: z.string(),
      local_time: z.string(),
      local_date: z.string()
    })
    .nullable()
    .meta({ description: 'The next scheduled dose not yet due (today or later)' }),
  open_alerts: z.array(alertViewSchema)
})

export const todayResponseSchema = z.object({
  ok: z.literal(true),
  time_zone: z.string().meta({ description: 'The family zone every local time is in' }),
  local_date: z.string(),
  now: z.string(),
  devices: z.array(todayDeviceSchema)
})
export type TodayResponse = z.infer<typeof todayResponseSchema>
export type TodayDevice = z.infer<typeof todayDeviceSchema>
