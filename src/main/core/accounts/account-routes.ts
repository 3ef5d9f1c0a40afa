import { Router } from 'express'
import { sessionOf } from '../admin/auth'
import { HttpError, parseOr422 } from '../http/errors'
import { adminJsonBody } from '../http/json-body'
import type { AccountService } from './account-service'
import {
  accountCreateSchema,
  accountParamsSchema,
  accountPatchSchema,
  passwordChangeSchema
} from './schemas'

/**
 * `/api/admin/accounts` (admin only, enforced by the role check in front of every admin route):
 * the family's accounts. Setting someone's password or removing them ends their sessions.
 * `/api/admin/password`: each person changes their own (family accounts too).
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
    const session = sessionOf(res)
    if (body.password)
      await accounts().reset(
        id,
        body.password,
        id === session.account.id ? session.tokenHash : undefined
      )
    res.json({ ok: true, account: accounts().get(id) })
  })

  router.delete('/accounts/:id', (req, res) => {
    const { id } = parseOr422(accountParamsSchema, req.params, 'path')
    accounts().remove(id, sessionOf(res).account.id)
    res.json({ ok: true })
  })

  router.post('/password', adminJsonBody, async (req, res) => {
    // Each person changes their own password; their other sessions end, this one stays.
    const body = parseOr422(passwordChangeSchema, req.body)
    const session = sessionOf(res)
    await accounts().changeOwn(
      session.account.id,
      body.current_password,
      body.new_password,
      session.tokenHash
    )
    res.json({ ok: true })
  })

  return router
}
