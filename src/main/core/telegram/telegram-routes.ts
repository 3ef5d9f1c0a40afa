import { Router } from 'express'
import { HttpError, parseOr422 } from '../http/errors'
import { adminJsonBody } from '../http/json-body'
import { chatParamsSchema, telegramPatchSchema } from './schemas'
import type { TelegramService } from './telegram-service'

/** `/api/admin/telegram` (behind the admin session): the bot's token, link code and recipients. */
export function telegramAdminRoutes(telegram: TelegramService): Router {
  const router = Router()

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
    // Linking is per person: the chat that uses this code acknowledges in this person's name.
    const account = (res.locals.session as { account?: { id: number } } | undefined)?.account
    res.json({ ok: true, link_code: telegram.regenerateLinkCode(account?.id ?? null) })
  })

  router.delete('/telegram/recipients/:chat_id', (req, res) => {
    const { chat_id } = parseOr422(chatParamsSchema, req.params, 'path')
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
