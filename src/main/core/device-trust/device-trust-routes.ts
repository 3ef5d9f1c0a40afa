import { Router, type RequestHandler, type Response } from 'express'
import { signedInName } from '../admin/auth'
import type { DeviceKeys } from '../admin/device-keys'
import { HttpError, parseOr422 } from '../http/errors'
import { adminJsonBody } from '../http/json-body'
import type { DeviceTrust, TokenView } from './device-trust'
import { adoptionPatchSchema, deviceParamsSchema, rotateKeySchema } from './schemas'

const deviceIdParam = (params: unknown) => parseOr422(deviceParamsSchema, params, 'path').device_id

const notAdopted = (id: string) =>
  new HttpError(404, 'device-not-found', `no adopted device with id ${id}`, 'device_id')

/** Admin API for adoption, device tokens and the shared device key's rotation; mount under /api/admin behind the session check. */
export function deviceTrustAdminRoutes(trust: DeviceTrust, keys: DeviceKeys): Router {
  const router = Router()
  const view = () => ({
    ok: true as const,
    open_until: trust.adoptionOpenUntil(),
    pending: trust.pending(),
    device_key_short: keys.short,
    device_key_rotatable: keys.rotatable
  })

  router.get('/adoption', (_req, res) => {
    res.json(view())
  })

  router.patch('/adoption', adminJsonBody, (req, res) => {
    const { open, minutes } = parseOr422(adoptionPatchSchema, req.body)
    trust.setAdoption(open, minutes)
    res.json(view())
  })

  // Adopt or dismiss a dispenser on the waiting list; 404 when it is not on it.
  const onPending = (act: (id: string, res: Response) => boolean) =>
    ((req, res) => {
      const id = deviceIdParam(req.params)
      if (!act(id, res))
        throw new HttpError(
          404,
          'device-not-pending',
          `${id} is not waiting for adoption`,
          'device_id'
        )
      res.json(view())
    }) satisfies RequestHandler
  // Recorded as adopted_by: who let this dispenser in.
  router.post(
    '/adoption/pending/:device_id/adopt',
    onPending((id, res) => trust.adopt(id, signedInName(res) ?? 'dashboard'))
  )
  router.delete(
    '/adoption/pending/:device_id',
    onPending((id) => trust.dismiss(id))
  )

  // Read, revoke or re-issue an adopted dispenser's token; 404 for any other id.
  const onToken = (act: (id: string) => TokenView | undefined) =>
    ((req, res) => {
      const id = deviceIdParam(req.params)
      const token = act(id)
      if (!token) throw notAdopted(id)
      res.json({ ok: true, token })
    }) satisfies RequestHandler
  router.get(
    '/devices/:device_id/token',
    onToken((id) => trust.token(id))
  )
  router.post(
    '/devices/:device_id/token/revoke',
    onToken((id) => trust.revoke(id))
  )
  router.post(
    '/devices/:device_id/token/reissue',
    onToken((id) => trust.reissue(id))
  )

  router.post('/device-key/rotate', adminJsonBody, (req, res) => {
    const { grace_hours } = parseOr422(rotateKeySchema, req.body ?? {})
    if (!keys.rotatable) {
      throw new HttpError(
        409,
        'key-from-environment',
        'the device key is set by API_SECRET_KEY; change it there'
      )
    }
    const rotated = keys.rotate(grace_hours * 3600 * 1000)
    res.json({
      ok: true,
      device_api_key: rotated.key,
      previous_valid_until: rotated.previousValidUntil
    })
  })

  return router
}
