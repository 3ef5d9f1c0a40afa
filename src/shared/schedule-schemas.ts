import { z } from 'zod'
import {
  ALARM_LIMITS,
  CLOCK_TIME_PATTERN,
  DEFAULT_WINDOW_MIN,
  hasControlCharacters
} from './alarm-rules'

/**
 * (Long because it is one contract: every schedule, outcome, adherence, calendar and report
 * shape the API answers, kept together so the core and the renderer read the same file.)
 *
 * Schedules, dose outcomes and adherence: the request and response shapes shared by the core
 * (validation, OpenAPI) and the renderer (types, form validation). Times are UTC ISO-8601; local
 * dates (`YYYY-MM-DD`) and clock times (`HH:MM`) are in the family's time zone.
 */

/** The customary adherence line: at least 80 % of scheduled doses taken. */
export const ADHERENCE_TARGET_PCT = 80

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const
export const weekdaySchema = z.enum(WEEKDAYS)
export type Weekday = z.infer<typeof weekdaySchema>

export const clockTimeSchema = z
  .string()
  .regex(CLOCK_TIME_PATTERN, 'must be a time like 09:00')
  .meta({ example: '09:00' })

export const localDateSchema = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'must be a date like 2025-03-30')
  .refine(isRealDate, { message: 'is not a real date' })

function isRealDate(s: string): boolean {
  const [y, m, d] = s.split('-').map(Number) as [number, number, number]
  const date = new Date(Date.UTC(y, m - 1, d))
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d
}

export { DEFAULT_WINDOW_MIN }

// Labels are matched against what the device sends in alarm_label, so control characters (which
// no firmware sends and no screen shows) are refused rather than stored.
const labelSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(ALARM_LIMITS.labelMax, `must be at most ${ALARM_LIMITS.labelMax} characters`)
  .refine((s) => !hasControlCharacters(s), { message: 'must not contain control characters' })
  .meta({ example: 'Medicamento mañana' })

export const scheduleAlarmInputSchema = z
  .object({
    id: z
      .number()
      .int()
      .positive()
      .optional()
      .meta({ description: 'Keep an existing alarm (its history follows it); omit for a new one' }),
    label: labelSchema,
    time: clockTimeSchema.meta({ description: 'Local time of day in the family time zone' }),
    days: z
      .array(weekdaySchema)
      .min(1, 'must name at least one day')
      .max(7)
      .refine((days) => new Set(days).size === days.length, { message: 'must not repeat a day' })
      .meta({ example: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] }),
    compartment: z
      .number()
      .int()
      .min(ALARM_LIMITS.compartment.min)
      .max(ALARM_LIMITS.compartment.max)
      .nullable()
      .optional(),
    pill_count: z.number().positive().max(ALARM_LIMITS.pillCountMax).nullable().optional(),
    window_min: z
      .number()
      .int()
      .min(ALARM_LIMITS.window.min)
      .max(ALARM_LIMITS.window.max)
      .optional()
      .meta({
        description: `Taken within this many minutes counts as on time (default ${DEFAULT_WINDOW_MIN}); at the end the dose is missed and alerted`
      }),
    medicine: z.string().max(ALARM_LIMITS.medicineMax).nullable().optional().meta({
      description: 'Optional: the medicine, for the report and the "Hoy" page',
      example: 'Sintrom'
    }),
    dose: z
      .string()
      .max(ALARM_LIMITS.doseMax)
      .nullable()
      .optional()
      .meta({ description: 'Optional: how much', example: '1/2 comprimido' }),
    // Read-only (computed); accepted so an alarm read with GET can be sent back as it is.
    next_at: z.string().nullable().optional().meta({ description: 'Ignored' })
  })
  .strict()
export type ScheduleAlarmInput = z.infer<typeof scheduleAlarmInputSchema>

export const scheduleInputSchema = z
  .object({
    alarms: z
      .array(scheduleAlarmInputSchema)
      .max(ALARM_LIMITS.maxAlarms, `at most ${ALARM_LIMITS.maxAlarms} alarms per device`),
    expected_version: z.number().int().positive().nullable().optional().meta({
      description:
        'Optimistic concurrency: the version this edit was based on (null = none yet); 409 if another edit came first'
    })
  })
  .strict()
export type ScheduleInput = z.infer<typeof scheduleInputSchema>

export const tzInfoSchema = z.object({
  name: z.string().meta({ example: 'Europe/Madrid' }),
  posix: z.string().meta({
    description: 'POSIX TZ string for setenv("TZ", …) on the device',
    example: 'CET-1CEST,M3.5.0,M10.5.0/3'
  }),
  utc_offset_s: z
    .number()
    .int()
    .meta({ description: 'Local time minus UTC right now, in seconds', example: 3600 })
})
export type TzInfo = z.infer<typeof tzInfoSchema>

export const scheduleAlarmViewSchema = z.object({
  id: z.number().int().meta({ description: 'Stable across schedule versions' }),
  label: z.string(),
  time: clockTimeSchema,
  days: z.array(weekdaySchema),
  compartment: z.number().int().nullable(),
  pill_count: z.number().nullable(),
  window_min: z.number().int(),
  medicine: z.string().nullable(),
  dose: z.string().nullable(),
  next_at: z.string().nullable().meta({ description: 'Next occurrence (UTC) under this version' })
})
export type ScheduleAlarmView = z.infer<typeof scheduleAlarmViewSchema>

export const scheduleViewSchema = z.object({
  version: z.number().int().meta({ description: 'Increases with every edit, never reused' }),
  valid_from: z.string(),
  valid_until: z.string().nullable().meta({ description: 'When the next version replaced it' }),
  created_by: z
    .string()
    .nullable()
    .meta({ description: 'The account that saved this version (null before accounts existed)' }),
  alarms: z.array(scheduleAlarmViewSchema)
})
export type ScheduleView = z.infer<typeof scheduleViewSchema>

export const scheduleResponseSchema = z.object({
  ok: z.literal(true),
  device_id: z.string(),
  schedule: scheduleViewSchema.nullable().meta({ description: 'null: never given a schedule' }),
  changed: z.boolean().optional().meta({ description: 'On PUT: false when nothing differed' }),
  time_zone: tzInfoSchema
})
export type ScheduleResponse = z.infer<typeof scheduleResponseSchema>

export const scheduleVersionsResponseSchema = z.object({
  ok: z.literal(true),
  device_id: z.string(),
  versions: z.array(scheduleViewSchema).meta({ description: 'Newest first' })
})
export type ScheduleVersionsResponse = z.infer<typeof scheduleVersionsResponseSchema>

/** What a dispenser fetches with its X-API-Key: compact, and ready for a sketch without TZ math. */
export const deviceScheduleResponseSchema = z.object({
  ok: z.literal(true),
  device_id: z.string(),
  schedule_version: z.number().int().nullable(),
  server_time: z.string(),
  tz: tzInfoSchema,
  alarms: z.array(
    z.object({
      id: z.number().int(),
      label: z.string(),
      time: z.string(),
      hour: z.number().int(),
      minute: z.number().int(),
      days: z.array(weekdaySchema),
      days_mask: z.number().int().meta({
        description: 'Bit n set = day n of struct tm tm_wday (bit 0 = Sunday … bit 6 = Saturday)'
      }),
      window_min: z.number().int(),
      compartment: z.number().int().nullable(),
      pill_count: z.number().nullable(),
      next_at: z.string().nullable()
    })
  )
})
export type DeviceScheduleResponse = z.infer<typeof deviceScheduleResponseSchema>

/** The fields the heartbeat response gains (existing fields are untouched). */
export const heartbeatScheduleFieldsSchema = z.object({
  schedule_version: z.number().int().nullable().meta({
    description: 'Fetch GET /api/devices/{device_id}/schedule when this differs from yours'
  }),
  tz: tzInfoSchema
})
export type HeartbeatScheduleFields = z.infer<typeof heartbeatScheduleFieldsSchema>

export const DOSE_STATUSES = ['on_time', 'late', 'missed', 'unknown', 'pending'] as const
export const doseStatusSchema = z.enum(DOSE_STATUSES).meta({
  description:
    'pending: the on-time window is still open; unknown: no events and the device was not heard from'
})
export type DoseStatus = z.infer<typeof doseStatusSchema>

export const DOSE_SOURCES = ['schedule', 'alarm', 'unscheduled'] as const
export const doseSourceSchema = z.enum(DOSE_SOURCES).meta({
  description:
    'schedule: a scheduled dose; alarm: no schedule in force, the alarm itself defines the dose; unscheduled: an alarm that matched no scheduled dose (not counted in adherence)'
})
export type DoseSource = z.infer<typeof doseSourceSchema>

export const doseOutcomeSchema = z.object({
  device_id: z.string(),
  source: doseSourceSchema,
  schedule_alarm_id: z.number().int().nullable(),
  schedule_version: z.number().int().nullable(),
  alarm_label: z.string().nullable(),
  scheduled_at: z.string(),
  local_date: z.string(),
  local_time: z.string(),
  window_min: z.number().int(),
  compartment: z.number().int().nullable(),
  pill_count: z.number().nullable(),
  status: doseStatusSchema,
  alarm_at: z.string().nullable().meta({ description: 'First alarm_triggered for this dose' }),
  rings: z.number().int().meta({ description: 'How many alarm_triggered events matched' }),
  ack_at: z.string().nullable(),
  taken_at: z.string().nullable(),
  delay_s: z
    .number()
    .int()
    .nullable()
    .meta({ description: 'taken_at minus scheduled_at (negative: early)' }),
  event_ids: z.array(z.number().int())
})
export type DoseOutcome = z.infer<typeof doseOutcomeSchema>

export const outcomesResponseSchema = z.object({
  ok: z.literal(true),
  from: z.string().meta({ description: 'First instant covered (UTC)' }),
  to: z.string().meta({ description: 'End of the range (UTC, exclusive)' }),
  from_date: z.string().meta({ description: 'First local date covered' }),
  to_date: z.string().meta({ description: 'Last local date covered' }),
  time_zone: z.string(),
  outcomes: z.array(doseOutcomeSchema).meta({ description: 'Oldest first' })
})
export type OutcomesResponse = z.infer<typeof outcomesResponseSchema>

export const adherenceStatsSchema = z.object({
  doses: z.number().int().meta({ description: 'Scheduled doses whose time has come' }),
  on_time: z.number().int(),
  late: z.number().int(),
  missed: z.number().int(),
  unknown: z.number().int(),
  pending: z.number().int(),
  taken: z.number().int(),
  known: z.number().int().meta({ description: 'on_time + late + missed: the denominator' }),
  taken_pct: z
    .number()
    .nullable()
    .meta({ description: 'taken / known × 100; null when known = 0' }),
  on_time_pct: z.number().nullable(),
  meets_target: z.boolean().nullable()
})
export type AdherenceStats = z.infer<typeof adherenceStatsSchema>

export const alarmAdherenceSchema = z.object({
  key: z.string().meta({ description: '"alarm:<id>" for scheduled alarms, "label:<text>" else' }),
  schedule_alarm_id: z.number().int().nullable(),
  alarm_label: z.string().nullable(),
  time: z.string().nullable().meta({ description: 'Local time of the latest dose seen' }),
  stats: adherenceStatsSchema
})
export type AlarmAdherence = z.infer<typeof alarmAdherenceSchema>

export const dayAdherenceSchema = z.object({ date: z.string(), stats: adherenceStatsSchema })
export type DayAdherence = z.infer<typeof dayAdherenceSchema>

export const deviceAdherenceSchema = z.object({
  device_id: z.string(),
  name: z.string().nullable(),
  has_schedule: z.boolean(),
  overall: adherenceStatsSchema,
  alarms: z.array(alarmAdherenceSchema),
  daily: z.array(dayAdherenceSchema)
})
export type DeviceAdherence = z.infer<typeof deviceAdherenceSchema>

export const adherenceResponseSchema = z.object({
  ok: z.literal(true),
  days: z.number().int(),
  from: z.string().meta({ description: 'First local date counted' }),
  to: z.string().meta({ description: 'Last local date counted (today)' }),
  time_zone: z.string(),
  target_pct: z.number(),
  devices: z.array(deviceAdherenceSchema)
})
export type AdherenceResponse = z.infer<typeof adherenceResponseSchema>

export const periodAdherenceSchema = z.object({
  period: z.string().meta({ description: 'ISO week "2025-W13" or month "2025-03"' }),
  from: z.string(),
  to: z.string(),
  stats: adherenceStatsSchema
})
export type PeriodAdherence = z.infer<typeof periodAdherenceSchema>

export const trendResponseSchema = z.object({
  ok: z.literal(true),
  period: z.enum(['week', 'month']),
  time_zone: z.string(),
  target_pct: z.number(),
  devices: z.array(
    z.object({
      device_id: z.string(),
      name: z.string().nullable(),
      series: z.array(periodAdherenceSchema).meta({ description: 'Oldest first; the last is now' })
    })
  )
})
export type TrendResponse = z.infer<typeof trendResponseSchema>

export const CALENDAR_DAY_STATUSES = [
  'all_taken',
  'some_missed',
  'unknown',
  'pending',
  'no_doses',
  'future'
] as const
export const calendarDaySchema = z.object({
  date: z.string(),
  status: z.enum(CALENDAR_DAY_STATUSES),
  stats: adherenceStatsSchema
})
export type CalendarDay = z.infer<typeof calendarDaySchema>

export const calendarResponseSchema = z.object({
  ok: z.literal(true),
  device_id: z.string(),
  month: z.string(),
  time_zone: z.string(),
  target_pct: z.number(),
  stats: adherenceStatsSchema,
  days: z.array(calendarDaySchema)
})
export type CalendarResponse = z.infer<typeof calendarResponseSchema>

export const reportResponseSchema = z.object({
  ok: z.literal(true),
  generated_at: z.string(),
  device: z.object({ device_id: z.string(), name: z.string().nullable() }),
  time_zone: z.string(),
  from: z.string(),
  to: z.string(),
  target_pct: z.number(),
  overall: adherenceStatsSchema,
  alarms: z.array(alarmAdherenceSchema),
  weeks: z.array(periodAdherenceSchema),
  days: z.array(calendarDaySchema),
  schedules: z.array(scheduleViewSchema).meta({ description: 'Versions in force in the period' }),
  outcomes: z.array(doseOutcomeSchema)
})
export type ReportResponse = z.infer<typeof reportResponseSchema>

/** One dose of today on the "Hoy" page: what happened, or when it is due. */
export const todayDoseSchema = z.object({
  source: doseSourceSchema,
  schedule_alarm_id: z.number().int().nullable(),
  alarm_label: z.string().nullable(),
  medicine: z.string().nullable(),
  dose: z.string().nullable(),
  scheduled_at: z.string().meta({ description: 'UTC instant' }),
  local_time: z.string().meta({ description: 'HH:MM in the family zone' }),
  window_min: z.number().int(),
  status: z
    .union([doseStatusSchema, z.literal('upcoming')])
    .meta({ description: 'upcoming: later today; the rest as in outcomes' }),
  taken_at: z.string().nullable(),
  taken_local_time: z.string().nullable(),
  /** While pending: when the on-time window closes (the dose becomes missed and alerted). */
  due_by: z.string().nullable()
})
export type TodayDose = z.infer<typeof todayDoseSchema>
