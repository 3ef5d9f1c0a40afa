import { z } from 'zod'
import { accountNameSchema, signedInAccountSchema } from '../accounts/schemas'
import type { ApiOperation } from '../lib/api-operation'
import { okSchema } from '../lib/api-operation'

export const loginBodySchema = z.object({
  // Optional so the desktop app, scripts and old dashboards keep signing in as the first admin.
  name: accountNameSchema.optional(),
  password: z.string().min(1, 'is required').max(256)
})

/** The family's clock and language, told to a signed-in dashboard with its session. */
const familyClock = z.object({
  time_zone: z.string(),
  language: z.enum(['es', 'en']),
  zone_confirmed: z.boolean().meta({ description: 'The family has chosen its zone' })
})

/** OpenAPI operations for admin/auth.ts's routes (assembled by http/openapi.ts). */
export const authOperations: ApiOperation[] = [
  {
    method: 'post',
    path: '/api/admin/login',
    summary:
      'Sign in with an account name and password (no name: the first admin account); sets an ' +
      'HttpOnly SameSite=Strict session cookie (Secure behind a trusted HTTPS proxy). At most 5 ' +
      'failed attempts per client address and 20 per account name in 15 minutes, counted before ' +
      'the password is checked.',
    tag: 'public',
    body: loginBodySchema,
    responses: {
      200: {
        description: 'Signed in',
        schema: z.object({
          ok: z.literal(true),
          account: signedInAccountSchema,
          family: familyClock.optional()
        })
      },
      401: { description: 'Wrong name or password' },
      429: { description: 'Too many failed attempts (Retry-After)' }
    }
  },
  {
    method: 'get',
    path: '/api/admin/session',
    summary: 'Whether this browser is signed in, and as whom',
    tag: 'public',
    responses: {
      200: {
        description: 'Session state',
        schema: z.object({
          ok: z.literal(true),
          signed_in: z.boolean(),
          account: signedInAccountSchema.optional(),
          family: familyClock.optional().meta({ description: 'Only when signed in' })
        })
      }
    }
  },
  {
    method: 'post',
    path: '/api/admin/logout',
    summary: 'Sign out',
    tag: 'admin',
    responses: { 200: { description: 'Signed out', schema: okSchema } }
  }
]
