import { z } from 'zod'
import type { ApiOperation } from '../lib/api-operation'
import { okSchema } from '../lib/api-operation'

export const accountNameSchema = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(40, 'must be at most 40 characters')
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} ._'-]*$/u, "may use letters, digits, spaces and . _ ' -")

export const passwordSchema = z.string().min(8, 'must be at least 8 characters').max(256)
export const passwordChangeSchema = z.object({
  current_password: z.string().min(1, 'is required').max(256),
  new_password: passwordSchema
})

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

/** Who is signed in, as the login and session answers name them. */
export const signedInAccountSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  role: roleSchema
})
const accountView = signedInAccountSchema.extend({
  created_at: z.string(),
  password_changed_at: z.string(),
  password_from_env: z
    .boolean()
    .meta({ description: 'The first account while ADMIN_PASSWORD sets its password' })
})
const accountResponse = z.object({ ok: z.literal(true), account: accountView })

/** OpenAPI operations for accounts/account-routes.ts (assembled by http/openapi.ts). */
export const accountOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/admin/accounts',
    summary: 'The family accounts (admin accounts only)',
    tag: 'admin',
    responses: {
      200: {
        description: 'Accounts',
        schema: z.object({ ok: z.literal(true), accounts: z.array(accountView) })
      }
    }
  },
  {
    method: 'post',
    path: '/api/admin/accounts',
    summary:
      'Add a family member: role "family" sees, acknowledges and edits schedules; "admin" also ' +
      'settings, firmware, accounts and keys (admin accounts only)',
    tag: 'admin',
    body: accountCreateSchema,
    responses: {
      201: { description: 'Created', schema: accountResponse },
      409: { description: 'The name is taken' }
    }
  },
  {
    method: 'patch',
    path: '/api/admin/accounts/{id}',
    summary:
      'Change a role, or set a new password (ends every session of that account); admin accounts only',
    tag: 'admin',
    body: accountPatchSchema,
    responses: {
      200: { description: 'Updated', schema: accountResponse },
      409: { description: 'The last admin, or a password set by ADMIN_PASSWORD' }
    }
  },
  {
    method: 'delete',
    path: '/api/admin/accounts/{id}',
    summary: 'Remove an account and end its sessions (not oneself, not the last admin)',
    tag: 'admin',
    responses: {
      200: { description: 'Removed', schema: okSchema },
      409: { description: 'Refused' }
    }
  },
  {
    method: 'post',
    path: '/api/admin/password',
    summary: 'Change your own password; your other sessions end (and their live streams close)',
    tag: 'admin',
    body: passwordChangeSchema,
    responses: { 200: { description: 'Changed', schema: okSchema } }
  }
]
