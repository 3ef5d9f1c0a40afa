import { z } from 'zod'
import type { ApiOperation } from '../lib/api-operation'

export const backupNameParamsSchema = z.object({
  name: z
    .string()
    .max(100)
    .regex(/^[\w.-]+$/, 'must be a backup name')
})

/** Bringing back the accounts, sessions, device tokens and keys of the backup is opt-in. */
export const restoreBodySchema = z
  .object({
    restore_secrets: z
      .boolean()
      .default(false)
      .meta({
        description:
          'Also bring back the accounts, sessions, device tokens, device key and Telegram token ' +
          'stored in the backup (by default the current ones are kept)'
      })
  })
  .strict()
export const exportQuerySchema = z.object({
  include_telegram_token: z
    .enum(['true', 'false'])
    .optional()
    .meta({ description: 'Include the Telegram bot token (left out by default)' })
})

/** OpenAPI operations for backup/backup-routes.ts (assembled by http/openapi.ts). */
export const backupOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/admin/backups',
    summary: 'Stored backups (daily automatic ones and manual ones), newest first',
    tag: 'admin',
    responses: {
      200: {
        description: 'Backups',
        schema: z.object({
          ok: z.literal(true),
          backups: z.array(
            z.object({
              name: z.string(),
              kind: z.enum(['auto', 'manual']),
              size: z.number(),
              created_at: z.string()
            })
          )
        })
      }
    }
  },
  {
    method: 'post',
    path: '/api/admin/backups',
    summary: 'Back up now (online: the app keeps running)',
    tag: 'admin',
    responses: { 201: { description: 'The new backup' } }
  },
  {
    method: 'post',
    path: '/api/admin/backups/{name}/restore',
    summary:
      'Restore a backup into a fresh database; Pastillero restarts (the replaced data is kept). ' +
      'The current accounts, sessions, device tokens, device key and Telegram token are kept ' +
      'unless restore_secrets is true. Admin accounts only.',
    tag: 'admin',
    body: restoreBodySchema,
    bodyOptional: true,
    responses: {
      202: { description: 'Scheduled' },
      422: { description: 'Damaged or newer backup' }
    }
  },
  {
    method: 'get',
    path: '/api/admin/export',
    summary:
      'The whole state (database and firmware files) as one .tar.gz; the Telegram bot token is ' +
      'left out unless include_telegram_token=true. Admin accounts only.',
    tag: 'admin',
    query: exportQuerySchema,
    responses: { 200: { description: 'application/gzip' } }
  },
  {
    method: 'post',
    path: '/api/admin/import',
    summary:
      'Replace the whole state with an exported archive (multipart "file"; optional field ' +
      'restore_secrets=true also brings back its accounts, device tokens and keys); Pastillero ' +
      'restarts. Admin accounts only.',
    tag: 'admin',
    responses: {
      202: { description: 'Scheduled' },
      413: { description: 'The archive unpacks to more than the limit' },
      422: { description: 'Not an export' }
    }
  }
]
