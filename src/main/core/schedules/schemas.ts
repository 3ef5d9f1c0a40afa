import { z } from 'zod'
import type { ApiOperation } from '../lib/api-operation'
import { deviceIdSchema } from '../../../shared/api-schemas'
import {
  adherenceResponseSchema,
  calendarResponseSchema,
  deviceScheduleResponseSchema,
  doseStatusSchema,
  localDateSchema,
  outcomesResponseSchema,
  reportResponseSchema,
  scheduleInputSchema,
  scheduleResponseSchema,
  scheduleVersionsResponseSchema,
  trendResponseSchema
} from '../../../shared/schedule-schemas'

export {
  scheduleInputSchema,
  type ScheduleInput,
  type ScheduleAlarmInput
} from '../../../shared/schedule-schemas'

export const deviceParamsSchema = z.object({ device_id: deviceIdSchema })

const wholeNumber = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max))

/** A local date (whole days in the family's zone) or an exact instant with its offset. */
const dateOrInstant = z.union([localDateSchema, z.iso.datetime({ offset: true })]).meta({
  description: 'YYYY-MM-DD (a local day, inclusive) or an ISO-8601 instant with offset'
})

export const outcomesQuerySchema = z.object({
  device_id: deviceIdSchema.optional(),
  alarm_id: wholeNumber(1, Number.MAX_SAFE_INTEGER).optional(),
  status: doseStatusSchema.optional(),
  from: dateOrInstant.optional().meta({ description: 'Default: 6 days before today' }),
  to: dateOrInstant.optional().meta({ description: 'Default: today (inclusive)' }),
  format: z.enum(['json', 'csv']).default('json'),
  lang: z.enum(['en', 'es']).default('en').meta({
    description:
      'CSV only. en: machine column names, comma separators; es: Spanish headers and words, ";" separators (what Spanish spreadsheets split on). Both start with a UTF-8 BOM'
  })
})
export type OutcomesQuery = z.infer<typeof outcomesQuerySchema>

export const adherenceQuerySchema = z.object({
  device_id: deviceIdSchema.optional(),
  days: wholeNumber(1, 366)
    .default(7)
    .meta({ description: 'Local days up to and including today: 7 or 30 are customary' })
})
export type AdherenceQuery = z.infer<typeof adherenceQuerySchema>

export const trendQuerySchema = z.object({
  device_id: deviceIdSchema.optional(),
  period: z.enum(['week', 'month']).default('week'),
  count: wholeNumber(1, 104).default(12)
})
export type TrendQuery = z.infer<typeof trendQuerySchema>

const monthSchema = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month like 2025-03')
  .meta({ description: 'Default: the current month' })

export const calendarQuerySchema = z.object({
  device_id: deviceIdSchema,
  month: monthSchema.optional()
})
export type CalendarQuery = z.infer<typeof calendarQuerySchema>

export const reportQuerySchema = z.object({
  device_id: deviceIdSchema,
  from: localDateSchema.optional().meta({ description: 'Default: 29 days before today' }),
  to: localDateSchema.optional().meta({ description: 'Default: today (inclusive)' }),
  month: monthSchema.optional().meta({ description: 'Instead of from/to: one calendar month' })
})
export type ReportQuery = z.infer<typeof reportQuerySchema>

/** OpenAPI operations for schedules/schedule-routes.ts (assembled by http/openapi.ts). */
export const scheduleOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/devices/{device_id}/schedule',
    summary: "The device's alarms, the schedule version and the family time zone (X-API-Key)",
    tag: 'device',
    responses: { 200: { description: 'Schedule', schema: deviceScheduleResponseSchema } }
  },
  {
    method: 'get',
    path: '/api/admin/devices/{device_id}/schedule',
    summary: "A device's schedule in force (null if it never had one)",
    tag: 'admin',
    responses: {
      200: { description: 'Schedule', schema: scheduleResponseSchema },
      404: { description: 'Unknown device' }
    }
  },
  {
    method: 'put',
    path: '/api/admin/devices/{device_id}/schedule',
    summary: 'Replace the schedule: a new version from now on; earlier doses keep theirs',
    tag: 'admin',
    body: scheduleInputSchema,
    responses: {
      200: { description: 'Saved (changed: false when identical)', schema: scheduleResponseSchema },
      404: { description: 'Unknown device' },
      409: { description: 'expected_version is not the current version' },
      422: { description: 'Invalid alarms' }
    }
  },
  {
    method: 'get',
    path: '/api/admin/devices/{device_id}/schedule/versions',
    summary: 'Every version of the schedule, newest first',
    tag: 'admin',
    responses: { 200: { description: 'Versions', schema: scheduleVersionsResponseSchema } }
  },
  {
    method: 'get',
    path: '/api/admin/outcomes',
    summary: 'Dose outcomes (on time, late, missed, unknown, pending); format=csv to export',
    tag: 'admin',
    query: outcomesQuerySchema,
    responses: { 200: { description: 'Outcomes, or text/csv', schema: outcomesResponseSchema } }
  },
  {
    method: 'get',
    path: '/api/admin/adherence',
    summary: 'Taken % and on-time % per device and per alarm over the last N days, day by day',
    tag: 'admin',
    query: adherenceQuerySchema,
    responses: { 200: { description: 'Adherence', schema: adherenceResponseSchema } }
  },
  {
    method: 'get',
    path: '/api/admin/adherence/trend',
    summary: 'Adherence by calendar week or month',
    tag: 'admin',
    query: trendQuerySchema,
    responses: { 200: { description: 'Series', schema: trendResponseSchema } }
  },
  {
    method: 'get',
    path: '/api/admin/adherence/calendar',
    summary: 'A month of days: all taken, some missed, unknown, pending, no doses',
    tag: 'admin',
    query: calendarQuerySchema,
    responses: { 200: { description: 'Calendar', schema: calendarResponseSchema } }
  },
  {
    method: 'get',
    path: '/api/admin/adherence/report',
    summary: 'Everything a printable report shows, for one device and period',
    tag: 'admin',
    query: reportQuerySchema,
    responses: { 200: { description: 'Report', schema: reportResponseSchema } }
  }
]
