import { Router } from 'express'
import { z } from 'zod'
import { deviceIdSchema } from '../../../shared/api-schemas'
import { signedInName } from '../admin/auth'
import { HttpError, parseOr422 } from '../http/errors'
import { adminJsonBody } from '../http/json-body'
import type { TelegramService } from '../telegram/telegram-service'
import type { AlertService } from './alert-service'

export const alertQuerySchema = z.object({
  device_id: deviceIdSchema.optional(),
  open: z.enum(['true', 'false']).optional(),
  limit: z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(1).max(500))
    .optional(),
  before_id: z
    .string()
    .regex(/^\d{1,15}$/, 'must be an alert id')
    .transform(Number)
    .optional()
})

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

export const ackBodySchema = z
  .object({
    by: z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(60, 'must be at most 60 characters')
      .optional()
  })
  .strict()

const idParams = z.object({
  id: z
    .string()
    .regex(/^\d{1,15}$/, 'must be an alert id')
    .transform(Number)
})
const chatParams = z.object({
  chat_id: z.string().regex(/^-?\d{1,20}$/, 'must be a Telegram chat id')
})

/** `/api/admin/alerts` and `/api/admin/telegram` (behind the admin session). */
export function alertAdminRoutes(alerts: AlertService, telegram: TelegramService): Router {
  const router = Router()

  router.get('/alerts', (req, res) => {
    const q = parseOr422(alertQuerySchema, req.query, 'query')
    const limit = q.limit ?? 50
    const list = alerts.list({
      device_id: q.device_id,
      open: q.open === 'true',
      before_id: q.before_id,
      limit
    })
    res.json({ ok: true, alerts: list, open_by_device: Object.fromEntries(alerts.openCounts()) })
  })

  router.post('/alerts/:id/ack', adminJsonBody, (req, res) => {
    const { id } = parseOr422(idParams, req.params, 'path')
    // Who acknowledged is the signed-in person; `by` is still accepted from older dashboards but
    // no longer decides the name (anyone could have typed anyone's).
    parseOr422(ackBodySchema, req.body ?? {})
    const result = alerts.acknowledge(id, signedInName(res) ?? 'Pastillero')
    if (!result) throw new HttpError(404, 'alert-not-found', `no alert with id ${id}`, 'id')
    res.json({ ok: true, alert: result.alert })
  })

  router.get('/telegram', (_req, res) => {
    res.json(telegram.status())
  })

  router.patch('/telegram', adminJsonBody, async (req, res) => {
    const body = parseOr422(telegramPatchSchema, req.body)
    if (telegram.status().token_source === 'TELEGRAM_BOT_TOKEN') {
      throw new HttpError(
        409,
        'token-from-environment',
        'the bot token is set by TELEGRAM_BOT_TOKEN; change it there'
      )
    }
    await telegram.setToken(body.bot_token)
    res.json(telegram.status())
  })

  router.post('/telegram/test', async (_req, res) => {
    const status = telegram.status()
    if (status.state === 'disabled') {
      throw new HttpError(409, 'telegram-not-configured', 'set a bot token first')
    }
    if (status.recipients.length === 0) {
      throw new HttpError(
        409,
        'no-recipients',
        'no chat is linked yet: send the bot /start with the code shown here'
      )
    }
    const results = await telegram.sendTest()
    res.json({ ok: results.every((r) => r.ok), results })
  })

  router.post('/telegram/link-code', (_req, res) => {
    res.json({ ok: true, link_code: telegram.regenerateLinkCode() })
  })

  router.delete('/telegram/recipients/:chat_id', (req, res) => {
    const { chat_id } = parseOr422(chatParams, req.params, 'path')
    if (!telegram.removeRecipient(chat_id)) {
      throw new HttpError(
        404,
        'recipient-not-found',
        `no recipient with chat id ${chat_id}`,
        'chat_id'
      )
    }
    res.json(telegram.status())
  })

  return router
}
