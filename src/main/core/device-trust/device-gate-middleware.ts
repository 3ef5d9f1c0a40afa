import type { Request, RequestHandler } from 'express'
import { DEVICE_ID_PATTERN } from '../../../shared/api-schemas'
import { deviceJsonBody } from '../http/json-body'
import type { DeviceAuth, DeviceTrust, RequestKind } from './device-trust'

/** The device id a request acts for, when it names a well-formed one (the route 422s otherwise). */
function deviceIdOf(req: Request): string | undefined {
  const raw =
    req.method === 'POST'
      ? (req.body as { device_id?: unknown } | undefined)?.device_id
      : /^\/([^/]+)\/schedule\/?$/.exec(req.path)?.[1]
  if (typeof raw !== 'string') return undefined
  let value = raw
  if (req.method !== 'POST') {
    try {
      value = decodeURIComponent(raw)
    } catch {
      return undefined
    }
  }
  // deviceIdSchema's rules, checked without zod (this runs on every device request).
  return value.length > 0 && value.length <= 64 && DEVICE_ID_PATTERN.test(value) ? value : undefined
}

/**
 * Where a gate stands: on the heartbeat or event route (its kind known), or in front of the rest
 * of /api/devices (a read, or a heartbeat that reached it some other way).
 */
export type GateArea = 'heartbeat' | 'events' | 'devices'

function kindOf(area: GateArea, req: Request): RequestKind {
  if (area === 'events') return 'event'
  if (area === 'heartbeat') return 'heartbeat'
  return req.method === 'POST' && /^\/heartbeat\/?$/.test(req.path) ? 'heartbeat' : 'read'
}

/** The credential a device request authenticated with (set by deviceGate). */
export function deviceAuthOf(res: import('express').Response): DeviceAuth {
  return res.locals.deviceAuth as DeviceAuth
}

/**
 * Authenticates a device request (token or enrolment key) and admits its device id, before the
 * feature route runs. It parses the JSON body itself (the route's parser then sees it parsed),
 * so the write path stays untouched. On the heartbeat and event routes it runs before Express
 * wraps the request (http/device-path.ts): it uses Node's request and `ipOf`, not Express's
 * getters.
 */
export function deviceGate(
  trust: DeviceTrust,
  area: GateArea,
  /** The client's address (clientIp, or clientIpOf with the proxy setting on the device path). */
  ipOf: (req: Request) => string | null
): RequestHandler {
  return (req, res, next) => {
    let auth: DeviceAuth
    try {
      auth = trust.authenticate(req)
    } catch (err) {
      return next(err)
    }
    res.locals.deviceAuth = auth
    const admit = () => {
      try {
        const deviceId = deviceIdOf(req)
        if (deviceId) {
          const body = (req.method === 'POST' ? req.body : {}) as Record<string, unknown>
          const kind = kindOf(area, req)
          const adopted = trust.admit(
            auth,
            deviceId,
            kind,
            { name: body.name, firmware_version: body.firmware_version, ip: ipOf(req) },
            kind === 'heartbeat' && body.supports_device_token === true
          )
          // A device adopted just now: on once its row is on disk (the writer's next batch).
          if (adopted) return void adopted.then(() => next(), next)
        }
        next()
      } catch (err) {
        next(err)
      }
    }
    if (req.method === 'POST')
      deviceJsonBody(req, res, (err?: unknown) => (err ? next(err) : admit()))
    else admit()
  }
}
