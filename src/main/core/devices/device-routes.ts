import { Router } from 'express'
import { parseOr422 } from '../http/errors'
import { clientIp } from '../http/client-ip'
import { deviceJsonBody } from '../http/json-body'
import { isoSeconds } from '../lib/time'
import { assertNotBlocked } from './device-gate'
import type { DeviceService } from './device-service'
import { heartbeatBodySchema } from './schemas'

/** `/api/devices/*` for dispensers, as in the seed. The device key is checked by the caller. */
export function deviceRoutes(
  devices: DeviceService,
  /** Fields the heartbeat answer gains beyond the seed's (schedule version, time zone). */
  extraFields: (deviceId: string) => object = () => ({})
): Router {
  const router = Router()
  router.post('/heartbeat', deviceJsonBody, (req, res) => {
    const body = parseOr422(heartbeatBodySchema, req.body)
    assertNotBlocked(devices, body.device_id)
    const { command } = devices.recordHeartbeat(body, clientIp(req))
    res.status(200).json({
      ok: true,
      server_time: isoSeconds(),
      ...(command ? { command } : {}),
      ...extraFields(body.device_id)
    })
  })
  return router
}
