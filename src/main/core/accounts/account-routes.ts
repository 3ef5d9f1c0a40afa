import { Router } from 'express'
import { z } from 'zod'
import { accountNameSchema, passwordSchema, sessionOf } from '../admin/auth'
import { HttpError, parseOr422 } from '../http/errors'
import { adminJsonBody } from '../http/json-body'
import type { AccountService } from './account-service'

export const roleSchema = z.enum(['admin', 'family'])
export const accountCreateSchema = z
  .object({ name: accountNameSchema, role: roleSchema.default('family'), password: passwordSchema })
  .strict()
export const accountPatchSchema = z
  .object({ role: roleSchema.optional(), password: passwordSchema.optional() })
  .strict()
  .refine((b) => b.role !== undefined || b.password !== undefined, {
    message: 'give role or password'
  })
export const accountParamsSchema = z.object({
  id: z
    .string()
    .regex(/^\d{1,15}$/, 'must be an account id')
    .transform(Number)
})

/**
 * `/api/admin/accounts` (admin only, enforced by the role check in front of every admin route):
 * the family's accounts. Setting someone's password or removing them ends their sessions.
 */
export function accountRoutes(accounts: () => AccountService): Router {
  const router = Router()

  router.get('/accounts', (_req, res) => {
    res.json({ ok: true, accounts: accounts().list() })
  })

  router.post('/accounts', adminJsonBody, async (req, res) => {
    const { name, role, password } = parseOr422(accountCreateSchema, req.body)
    res.status(201).json({ ok: true, account: await accounts().create(name, role, password) })
  })

  router.patch('/accounts/:id', adminJsonBody, async (req, res) => {
    const { id } = parseOr422(accountParamsSchema, req.params, 'path')
    const body = parseOr422(accountPatchSchema, req.body)
    if (!accounts().get(id))
      throw new HttpError(404, 'account-not-found', `no account with id ${id}`, 'id')
    if (body.role) accounts().setRole(id, body.role)
    if (body.password) await accounts().reset(id, body.password)
    res.json({ ok: true, account: accounts().get(id) })
  })

  router.delete('/accounts/:id', (req, res) => {
    const { id } = parseOr422(accountParamsSchema, req.params, 'path')
    accounts().remove(id, sessionOf(res).account.id)
    res.json({ ok: true })
  })

  return router
}
