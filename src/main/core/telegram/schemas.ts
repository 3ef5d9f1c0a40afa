import { z } from 'zod'
import { telegramStatusSchema } from '../../../shared/api-schemas'
import type { ApiOperation } from '../lib/api-operation'

export const telegramPatchSchema = z
  .object({
    bot_token: z
      .string()
      .trim()
      .regex(
        /^\d{3,}:[A-Za-z0-9_-]{20,}$/,
        'is not a bot token like 123456:ABC-DEF… (from @BotFather)'
      )
      .nullable()
  })
  .strict()

export const chatParamsSchema = z.object({
  chat_id: z.string().regex(/^-?\d{1,20}$/, 'must be a Telegram chat id')
})

/** OpenAPI operations for telegram/telegram-routes.ts (assembled by http/openapi.ts). */
export const telegramOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/admin/telegram',
    summary: 'Bot status (ok, conflict, error…), link code and recipients',
    tag: 'admin',
    responses: { 200: { description: 'Status', schema: telegramStatusSchema } }
  },
  {
    method: 'patch',
    path: '/api/admin/telegram',
    summary: 'Set or clear the bot token (unless TELEGRAM_BOT_TOKEN sets it)',
    tag: 'admin',
    body: telegramPatchSchema,
    responses: { 200: { description: 'Status', schema: telegramStatusSchema } }
  },
  {
    method: 'post',
    path: '/api/admin/telegram/test',
    summary: 'Send a test message to every recipient now',
    tag: 'admin',
    responses: { 200: { description: 'Per-recipient results' } }
  },
  {
    method: 'post',
    path: '/api/admin/telegram/link-code',
    summary: 'Make a new link code (the old one stops working)',
    tag: 'admin',
    responses: {
      200: {
        description: 'The code',
        schema: z.object({ ok: z.literal(true), link_code: z.string() })
      }
    }
  },
  {
    method: 'delete',
    path: '/api/admin/telegram/recipients/{chat_id}',
    summary: 'Stop sending alerts to a chat',
    tag: 'admin',
    responses: { 200: { description: 'Status', schema: telegramStatusSchema } }
  }
]
