import { Router } from 'express'
import { z } from 'zod'
import type { DeviceKeys } from '../admin/device-keys'
import { HttpError, parseOr422 } from '../http/errors'
import { adminJsonBody } from '../http/json-body'
import type { DeviceTrust } from './device-trust'
import {
  adoptionPatchSchema,
  adoptionViewSchema,
  deviceParamsSchema,
  tokenAnswerSchema
} from './schemas'

const deviceIdParam = (params: unknown) => parseOr422(deviceParamsSchema, params, 'path').device_id

const notAdopted = (id: string) =>
  new HttpError(404, 'device-not-found', `no adopted device with id ${id}`, 'device_id')

/** Admin API for adoption and device tokens; mount under /api/admin behind the session check. */
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

  router.post('/adoption/pending/:device_id/adopt', (req, res) => {
    const id = deviceIdParam(req.params)
    if (!trust.adopt(id))
      throw new HttpError(
        404,
        'device-not-pending',
        `${id} is not waiting for adoption`,
        'device_id'
      )
    res.json(view())
  })

  router.delete('/adoption/pending/:device_id', (req, res) => {
    const id = deviceIdParam(req.params)
    if (!trust.dismiss(id))
      throw new HttpError(
        404,
        'device-not-pending',
        `${id} is not waiting for adoption`,
        'device_id'
      )
    res.json(view())
  })

  router.get('/devices/:device_id/token', (req, res) => {
    const id = deviceIdParam(req.params)
    const token = trust.token(id)
    if (!token) throw notAdopted(id)
    res.json({ ok: true, token })
  })

  router.post('/devices/:device_id/token/revoke', (req, res) => {
    const id = deviceIdParam(req.params)
    const token = trust.revoke(id)
    if (!token) throw notAdopted(id)
    res.json({ ok: true, token })
  })

  router.post('/devices/:device_id/token/reissue', (req, res) => {
    const id = deviceIdParam(req.params)
    const token = trust.reissue(id)
    if (!token) throw notAdopted(id)
    res.json({ ok: true, token })
  })

  return router
}

const adoptionAnswer = { 200: { description: 'Adoption state', schema: adoptionViewSchema } }
const tokenAnswer = { 200: { description: 'Token state', schema: tokenAnswerSchema } }

/** OpenAPI operations for the routes above (appended to the document by http/openapi.ts). */
export const deviceTrustOperations = [
  {
    method: 'get',
    path: '/api/admin/adoption',
    summary:
      '"Accept new dispensers" (open_until), dispensers waiting for adoption, and whether the shared key is a short seed-era key',
    tag: 'admin',
    responses: adoptionAnswer
  },
  {
    method: 'patch',
    path: '/api/admin/adoption',
    summary: 'Open "accept new dispensers" for some minutes (default 60), or close it',
    tag: 'admin',
    body: adoptionPatchSchema,
    responses: adoptionAnswer
  },
  {
    method: 'post',
    path: '/api/admin/adoption/pending/{device_id}/adopt',
    summary: 'Adopt a dispenser that is waiting; its next heartbeat is accepted',
    tag: 'admin',
    responses: { ...adoptionAnswer, 404: { description: 'Not waiting for adoption' } }
  },
  {
    method: 'delete',
    path: '/api/admin/adoption/pending/{device_id}',
    summary: 'Remove a dispenser from the waiting list (it reappears if it calls again)',
    tag: 'admin',
    responses: { ...adoptionAnswer, 404: { description: 'Not waiting for adoption' } }
  },
  {
    method: 'get',
    path: '/api/admin/devices/{device_id}/token',
    summary: "A dispenser's own token: none, issued, active or revoked (never the token itself)",
    tag: 'admin',
    responses: { ...tokenAnswer, 404: { description: 'No adopted device with that id' } }
  },
  {
    method: 'post',
    path: '/api/admin/devices/{device_id}/token/revoke',
    summary:
      'Revoke its token: neither the token nor the shared key works for this dispenser until re-issued',
    tag: 'admin',
    responses: { ...tokenAnswer, 404: { description: 'No adopted device with that id' } }
  },
  {
    method: 'post',
    path: '/api/admin/devices/{device_id}/token/reissue',
    summary:
      'Re-issue: the current token stops working; the next heartbeat made with the shared key gets a new one',
    tag: 'admin',
    responses: { ...tokenAnswer, 404: { description: 'No adopted device with that id' } }
  }
] satisfies Array<{
  method: string
  path: string
  summary: string
  tag: string
  body?: z.ZodType
  responses: Record<number, { description: string; schema?: z.ZodType }>
}>
