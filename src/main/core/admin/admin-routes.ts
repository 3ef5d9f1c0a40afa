import { Router } from 'express'
import { z } from 'zod'
import { deviceIdSchema } from '../../../shared/api-schemas'
import type { DeviceService } from '../devices/device-service'
import type { EventService } from '../events/event-service'
import { eventQuerySchema } from '../events/schemas'
import { HttpError, parseOr422 } from '../http/errors'
import { adminJsonBody } from '../http/json-body'
import { editableSettingsPatchSchema, type SettingsService } from '../settings/settings-service'
import type { AccountService } from '../accounts/account-service'
import { passwordChangeSchema, sessionOf } from './auth'

export const deviceParamsSchema = z.object({ device_id: deviceIdSchema })
export const devicePatchSchema = z
  .object({
    name: z.string().trim().max(100, 'must be at most 100 characters').nullable().optional(),
    blocked: z.boolean().optional()
  })
  .strict()
  .refine((b) => b.name !== undefined || b.blocked !== undefined, {
    message: 'give name or blocked'
  })

export const rotateKeySchema = z
  .object({ grace_hours: z.number().int('must be whole hours').min(0).max(720).default(72) })
  .strict()

function deviceIdParam(params: unknown): string {
  return parseOr422(deviceParamsSchema, params, 'path').device_id
}

function unknownDevice(deviceId: string): HttpError {
  return new HttpError(404, 'device-not-found', `no device with id ${deviceId}`, 'device_id')
}

/** The admin API under /api/admin (the session check is applied by the caller). */
export function adminRoutes(deps: {
  devices: DeviceService
  events: EventService
  settings: SettingsService
  accounts: () => AccountService
  firmware: import('../firmware/firmware-service').FirmwareService
  keyRing: import('./device-keys').DeviceKeys
  stream: import('express').RequestHandler
}): Router {
  const { devices, events, settings } = deps
  const router = Router()

  router.get('/devices', (_req, res) => {
    res.json({ ok: true, devices: devices.list() })
  })

  router.get('/devices/:device_id', (req, res) => {
    const id = deviceIdParam(req.params)
    const device = devices.get(id)
    if (!device) throw unknownDevice(id)
    res.json({ ok: true, device })
  })

  router.patch('/devices/:device_id', adminJsonBody, (req, res) => {
    const id = deviceIdParam(req.params)
    const { name, blocked } = parseOr422(devicePatchSchema, req.body)
    if (!devices.get(id)) throw unknownDevice(id)
    if (name !== undefined) devices.rename(id, name ? name : null)
    if (blocked !== undefined) devices.setBlocked(id, blocked)
    res.json({ ok: true, device: devices.get(id) })
  })

  router.delete('/devices/:device_id', (req, res) => {
    const id = deviceIdParam(req.params)
    if (!devices.remove(id)) throw unknownDevice(id)
    res.json({ ok: true })
  })

  router.post('/devices/:device_id/reboot', (req, res) => {
    const id = deviceIdParam(req.params)
    const command = devices.queueReboot(id)
    if (!command) throw unknownDevice(id)
    res.status(202).json({ ok: true, command })
  })

  router.post('/devices/:device_id/ota/retry', (req, res) => {
    const id = deviceIdParam(req.params)
    if (!deps.firmware.retry(id)) throw unknownDevice(id)
    res.json({ ok: true, device: devices.get(id) })
  })

  router.get('/events', (req, res) => {
    const query = parseOr422(eventQuerySchema, req.query, 'query')
    res.json(events.list(query))
  })

  router.post('/device-key/rotate', adminJsonBody, (req, res) => {
    const { grace_hours } = parseOr422(rotateKeySchema, req.body ?? {})
    if (!deps.keyRing.rotatable) {
      throw new HttpError(
        409,
        'key-from-environment',
        'the device key is set by API_SECRET_KEY; change it there'
      )
    }
    const rotated = deps.keyRing.rotate(grace_hours * 3600 * 1000)
    res.json({
      ok: true,
      device_api_key: rotated.key,
      previous_valid_until: rotated.previousValidUntil
    })
  })

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

  router.post('/password', adminJsonBody, async (req, res) => {
    // Each person changes their own password; their other sessions end, this one stays.
    const body = parseOr422(passwordChangeSchema, req.body)
    const session = sessionOf(res)
    await deps
      .accounts()
      .changeOwn(session.account.id, body.current_password, body.new_password, session.tokenHash)
    res.json({ ok: true })
  })

  router.get('/stream', deps.stream)

  return router
}
