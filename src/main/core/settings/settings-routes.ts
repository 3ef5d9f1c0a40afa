import { Router } from 'express'
import { sessionOf } from '../admin/auth'
import { parseOr422 } from '../http/errors'
import { adminJsonBody } from '../http/json-body'
import { editableSettingsPatchSchema } from './schemas'
import type { SettingsService } from './settings-service'

/** `/api/admin/settings` (behind the admin session; only admins may change them). */
export function settingsAdminRoutes(settings: SettingsService): Router {
  const router = Router()

  router.get('/settings', (_req, res) => {
    const view = settings.view()
    // The device key is an admin's to see (the family sees the rest: time zone, language…).
    if (sessionOf(res).account.role !== 'admin') view.device_api_key = ''
    res.json(view)
  })

  router.patch('/settings', adminJsonBody, (req, res) => {
    settings.update(parseOr422(editableSettingsPatchSchema, req.body))
    res.json(settings.view())
  })

  return router
}
