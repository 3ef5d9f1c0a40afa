import { Router } from 'express'
import { signedInName } from '../admin/auth'
import { HttpError, parseOr422 } from '../http/errors'
import { adminJsonBody } from '../http/json-body'
import type { AlertService } from './alert-service'
import { ackBodySchema, alertIdParamsSchema, alertQuerySchema } from './schemas'

/** `/api/admin/alerts` (behind the admin session). */
export function alertAdminRoutes(alerts: AlertService): Router {
  const router = Router()

  router.get('/alerts', (req, res) => {
    const q = parseOr422(alertQuerySchema, req.query, 'query')
    const limit = q.limit ?? 50
    const list = alerts.list({
      device_id: q.device_id,
      open: q.open === 'true',
      before_id: q.before_id,
      limit
    })
    res.json({ ok: true, alerts: list, open_by_device: Object.fromEntries(alerts.openCounts()) })
  })

  router.post('/alerts/:id/ack', adminJsonBody, (req, res) => {
    const { id } = parseOr422(alertIdParamsSchema, req.params, 'path')
    // Who acknowledged is the signed-in person; `by` is still accepted from older dashboards but
    // no longer decides the name (anyone could have typed anyone's).
    parseOr422(ackBodySchema, req.body ?? {})
    const result = alerts.acknowledge(id, signedInName(res) ?? 'Pastillero')
    if (!result) throw new HttpError(404, 'alert-not-found', `no alert with id ${id}`, 'id')
    res.json({ ok: true, alert: result.alert })
  })

  return router
}
