import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * A real HTTP server standing in for Telegram's Bot API (we cannot reach Telegram here). It speaks
 * the same wire format: POST /bot<token>/<method> with JSON, answering { ok, result } or
 * { ok: false, error_code, description, parameters }. Tests push user updates and inject failures.
 */
export interface SentMessage {
  message_id: number
  chat_id: string
  text: string
  disable_notification: boolean
  reply_markup?: { inline_keyboard: Array<Array<{ text: string; callback_data?: string }>> }
}

interface Failure {
  status: number
  description: string
  retry_after?: number
  times: number
}

export class FakeTelegram {
  readonly token = '123456789:AAEfakefakefakefakefakefakefakefake'
  url = ''
  sent: SentMessage[] = []
  edits: Array<{ chat_id: string; message_id: number; text: string; reply_markup?: unknown }> = []
  callbackAnswers: Array<{ callback_query_id: string; text?: string }> = []
  calls: string[] = []
  /** When true every call answers 502, as during an outage. */
  down = false
  /** When true getUpdates answers 409, as when another program polls the same token. */
  conflict = false
  private server: Server
  private updates: Array<{ update_id: number; [k: string]: unknown }> = []
  private nextUpdateId = 1
  private nextMessageId = 100
  private failures = new Map<string, Failure>()
  private waiters: Array<() => void> = []

  constructor() {
    this.server = createServer((req, res) => void this.handle(req, res))
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve))
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`
    return this
  }

  async stop(): Promise<void> {
    this.waiters.splice(0).forEach((w) => w())
    this.server.closeAllConnections()
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
  }

  failNext(method: string, status: number, description: string, times = 1, retryAfter?: number) {
    this.failures.set(method, { status, description, times, retry_after: retryAfter })
  }

  /** A user writes to the bot. */
  userSays(chatId: number, text: string, firstName = 'Ana') {
    this.push({
      message: {
        message_id: this.nextMessageId++,
        date: Math.floor(Date.now() / 1000),
        chat: { id: chatId, type: 'private', first_name: firstName },
        from: { id: chatId, is_bot: false, first_name: firstName },
        text
      }
    })
  }

  /** A user taps an inline button under a message the bot sent. */
  userTaps(chatId: number, message: SentMessage, data: string, firstName = 'Ana') {
    this.push({
      callback_query: {
        id: `cb-${this.nextUpdateId}`,
        from: { id: chatId, is_bot: false, first_name: firstName },
        chat_instance: 'x',
        data,
        message: {
          message_id: message.message_id,
          date: 0,
          chat: { id: chatId, type: 'private' },
          text: message.text
        }
      }
    })
  }

  messagesTo(chatId: number | string): SentMessage[] {
    return this.sent.filter((m) => m.chat_id === String(chatId))
  }

  async waitFor<T>(check: () => T | undefined | false, timeoutMs = 10_000): Promise<T> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const value = check()
      if (value) return value
      if (Date.now() > deadline) {
        throw new Error(`timed out; sent so far: ${JSON.stringify(this.sent.map((m) => m.text))}`)
      }
      await new Promise((r) => setTimeout(r, 50))
    }
  }

  private push(update: Record<string, unknown>) {
    this.updates.push({ update_id: this.nextUpdateId++, ...update })
    this.waiters.splice(0).forEach((w) => w())
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const match = /^\/bot([^/]+)\/(\w+)$/.exec(req.url?.split('?')[0] ?? '')
    const chunks: Buffer[] = []
    for await (const c of req) chunks.push(c as Buffer)
    const raw = Buffer.concat(chunks).toString('utf8')
    // The client sends application/x-www-form-urlencoded with structured fields as JSON strings.
    const params: Record<string, any> = {}
    if (req.headers['content-type']?.includes('json'))
      Object.assign(params, raw ? JSON.parse(raw) : {})
    else {
      for (const [k, v] of new URLSearchParams(raw)) {
        params[k] = /^[[{]/.test(v)
          ? JSON.parse(v)
          : v === 'true'
            ? true
            : v === 'false'
              ? false
              : v
      }
    }
    const reply = (status: number, body: object) => {
      res.writeHead(status, { 'content-type': 'application/json' })
      res.end(JSON.stringify(body))
    }
    const fail = (status: number, description: string, retryAfter?: number) =>
      reply(status, {
        ok: false,
        error_code: status,
        description,
        ...(retryAfter !== undefined ? { parameters: { retry_after: retryAfter } } : {})
      })
    if (!match) return fail(404, 'Not Found')
    const [, token, method] = match as unknown as [string, string, string]
    this.calls.push(method)
    if (token !== this.token) return fail(401, 'Unauthorized')
    if (this.down) return fail(502, 'Bad Gateway')
    const failure = this.failures.get(method)
    if (failure && failure.times > 0) {
      failure.times--
      return fail(failure.status, failure.description, failure.retry_after)
    }
    switch (method) {
      case 'getMe':
        return reply(200, {
          ok: true,
          result: {
            id: 123456789,
            is_bot: true,
            first_name: 'Pastillero',
            username: 'pastillero_test_bot'
          }
        })
      case 'getUpdates': {
        if (this.conflict) return fail(409, 'Conflict: terminated by other getUpdates request')
        const offset = Number(params.offset ?? 0)
        this.updates = this.updates.filter((u) => u.update_id >= offset)
        if (this.updates.length === 0) {
          const timeoutS = Math.min(Number(params.timeout ?? 0), 2)
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, timeoutS * 1000)
            this.waiters.push(() => {
              clearTimeout(timer)
              resolve()
            })
          })
        }
        if (this.conflict) return fail(409, 'Conflict: terminated by other getUpdates request')
        return reply(200, { ok: true, result: this.updates.filter((u) => u.update_id >= offset) })
      }
      case 'sendMessage': {
        // As Telegram: 1-4096 characters after entity parsing, else 400.
        if (String(params.text ?? '').length > 4096)
          return reply(400, {
            ok: false,
            error_code: 400,
            description: 'Bad Request: message is too long'
          })
        const message: SentMessage = {
          message_id: this.nextMessageId++,
          chat_id: String(params.chat_id),
          text: String(params.text),
          disable_notification: params.disable_notification === true,
          reply_markup: params.reply_markup
        }
        this.sent.push(message)
        return reply(200, {
          ok: true,
          result: {
            message_id: message.message_id,
            date: 0,
            chat: { id: Number(params.chat_id), type: 'private' },
            text: message.text
          }
        })
      }
      case 'editMessageText':
        if (String(params.text ?? '').length > 4096)
          return reply(400, {
            ok: false,
            error_code: 400,
            description: 'Bad Request: MESSAGE_TOO_LONG'
          })
        this.edits.push({
          chat_id: String(params.chat_id),
          message_id: Number(params.message_id),
          text: String(params.text),
          reply_markup: params.reply_markup
        })
        return reply(200, { ok: true, result: true })
      case 'editMessageReplyMarkup':
        this.edits.push({
          chat_id: String(params.chat_id),
          message_id: Number(params.message_id),
          text: '',
          reply_markup: params.reply_markup
        })
        return reply(200, { ok: true, result: true })
      case 'answerCallbackQuery':
        this.callbackAnswers.push({
          callback_query_id: String(params.callback_query_id),
          text: params.text
        })
        return reply(200, { ok: true, result: true })
      default:
        return fail(404, `Not Found: method ${method}`)
    }
  }
}
