import type { Request, RequestHandler } from 'express'
import { sendDeviceJson } from '../http/device-json'
import { isoSeconds } from '../lib/time'
import type { Clock } from '../lib/time'
import { assertNotBlocked } from './device-gate'
import type { DeviceService } from './device-service'
import { parseHeartbeatBody } from './schemas'

/**
 * `POST /api/devices/heartbeat`, as in the seed. The device key (or token) is checked by the
 * caller's middleware, the body by `deviceJsonBody`. Built for the hot path: cheap validation,
 * the answer written directly, and a pending reboot the only case that waits (for its durable
 * hand-out).
 */
export function heartbeatHandler(
  devices: DeviceService,
  /** Fields the heartbeat answer gains beyond the seed's (schedule version, time zone). */
  extraFields: (deviceId: string) => object,
  clock: Clock,
  /** The client's address; the request is Node's own here (http/device-path.ts). */
  ipOf: (req: Request) => string | null
): RequestHandler {
  // The seed's server_time has second precision: formatted once per second, not per request.
  let second = -1
  let serverTime = ''
  const answer = (deviceId: string, command: string | undefined): string => {
    const now = clock()
    const s = Math.floor(now / 1000)
    if (s !== second) {
      second = s
      serverTime = isoSeconds(new Date(s * 1000))
    }
    // Same keys in the same order as ever: the seed's answer, byte for byte, plus our fields.
    return JSON.stringify({
      ok: true,
      server_time: serverTime,
      ...(command ? { command } : {}),
      ...extraFields(deviceId)
    })
  }
  return (req, res, next) => {
    const body = parseHeartbeatBody(req.body)
    assertNotBlocked(devices, body.device_id)
    const result = devices.recordHeartbeat(body, ipOf(req))
    if (result instanceof Promise)
      result.then(({ command }) => sendDeviceJson(res, answer(body.device_id, command)), next)
    else sendDeviceJson(res, answer(body.device_id, result.command))
  }
}
