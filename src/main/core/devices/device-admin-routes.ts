import { Router } from 'express'
import type { FirmwareService } from '../firmware/firmware-service'
import { HttpError, parseOr422 } from '../http/errors'
import { adminJsonBody } from '../http/json-body'
import { deviceParamsSchema, devicePatchSchema } from './admin-schemas'
import type { DeviceService } from './device-service'

function deviceIdParam(params: unknown): string {
  return parseOr422(deviceParamsSchema, params, 'path').device_id
}

function unknownDevice(deviceId: string): HttpError {
  return new HttpError(404, 'device-not-found', `no device with id ${deviceId}`, 'device_id')
}

/**
 * `/api/admin/devices…` (behind the admin session): list, rename, block, forget, reboot, and let
 * a failed update be offered again.
 */
export function deviceAdminRoutes(devices: DeviceService, firmware: FirmwareService): Router {
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
    if (!firmware.retry(id)) throw unknownDevice(id)
    res.json({ ok: true, device: devices.get(id) })
  })

  return router
}
