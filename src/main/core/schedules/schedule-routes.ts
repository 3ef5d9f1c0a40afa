import { Router } from 'express'
import { signedInName } from '../admin/auth'
import { parseOr422 } from '../http/errors'
import { adminJsonBody } from '../http/json-body'
import { outcomesToCsv } from './outcomes-csv'
import type { ScheduleService } from './schedule-service'
import {
  adherenceQuerySchema,
  calendarQuerySchema,
  deviceParamsSchema,
  outcomesQuerySchema,
  reportQuerySchema,
  scheduleInputSchema,
  trendQuerySchema
} from './schemas'

function deviceIdParam(params: unknown): string {
  return parseOr422(deviceParamsSchema, params, 'path').device_id
}

/**
 * The admin API for schedules, outcomes and adherence. Mount under /api/admin behind the
 * session check (and sameOriginWrites, which the app applies to all of /api/admin).
 */
export function scheduleAdminRoutes(schedules: ScheduleService): Router {
  const router = Router()

  router.get('/devices/:device_id/schedule', (req, res) => {
    res.json(schedules.getSchedule(deviceIdParam(req.params)))
  })

  router.put('/devices/:device_id/schedule', adminJsonBody, (req, res) => {
    const id = deviceIdParam(req.params)
    const input = parseOr422(scheduleInputSchema, req.body)
    res.json(schedules.putSchedule(id, input, signedInName(res)))
  })

  router.get('/devices/:device_id/schedule/versions', (req, res) => {
    res.json(schedules.versions(deviceIdParam(req.params)))
  })

  router.get('/outcomes', (req, res) => {
    const query = parseOr422(outcomesQuerySchema, req.query, 'query')
    const result = schedules.outcomes(query)
    if (query.format === 'csv') {
      const names = schedules.deviceNames()
      const who = (query.device_id ?? 'all').replace(/[^A-Za-z0-9._-]/g, '-')
      res
        .type('text/csv; charset=utf-8')
        .attachment(`pastillero-outcomes-${who}-${result.from_date}-${result.to_date}.csv`)
        .send(outcomesToCsv(result.outcomes, (id) => names.get(id) ?? null, query.lang))
      return
    }
    res.json({ ok: true, ...result })
  })

  router.get('/adherence', (req, res) => {
    res.json(schedules.adherence(parseOr422(adherenceQuerySchema, req.query, 'query')))
  })

  router.get('/adherence/trend', (req, res) => {
    res.json(schedules.trend(parseOr422(trendQuerySchema, req.query, 'query')))
  })

  router.get('/adherence/calendar', (req, res) => {
    res.json(schedules.calendar(parseOr422(calendarQuerySchema, req.query, 'query')))
  })

  router.get('/adherence/report', (req, res) => {
    res.json(schedules.report(parseOr422(reportQuerySchema, req.query, 'query')))
  })

  return router
}

/**
 * `GET /:device_id/schedule` for dispensers: mount under /api/devices behind the device key.
 * A device that was never given a schedule gets schedule_version null and no alarms.
 */
export function deviceScheduleRoute(schedules: ScheduleService): Router {
  const router = Router()
  router.get('/:device_id/schedule', (req, res) => {
    res.json(schedules.deviceSchedule(deviceIdParam(req.params)))
  })
  return router
}
