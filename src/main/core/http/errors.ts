import type { ErrorRequestHandler, RequestHandler } from 'express'
import { STATUS_CODES, type Server } from 'node:http'
import type { Socket } from 'node:net'
import { z } from 'zod'
import { DomainError, TooMany, type DomainErrorKind } from '../lib/domain-errors'
import type { Logger } from '../lib/logger'

/** An error the client caused or may act on; rendered as the one error envelope. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly headers: Record<string, string> = {}
  ) {
    super(message)
    this.name = 'HttpError'
  }
}

/** The status each kind of service refusal answers with (lib/domain-errors.ts). */
const DOMAIN_STATUS: Record<DomainErrorKind, number> = {
  invalid: 422,
  'not-found': 404,
  conflict: 409,
  forbidden: 403,
  unauthenticated: 401,
  'too-large': 413,
  'too-many': 429
}

export function errorBody(code: string, message: string, field?: string) {
  return { ok: false as const, error: field ? { code, message, field } : { code, message } }
}

/** Parses with zod; the first problem becomes a 422 naming the field. */
export function parseOr422<S extends z.ZodType>(
  schema: S,
  value: unknown,
  what = 'body'
): z.output<S> {
  if (value === undefined && what === 'body') {
    throw new HttpError(422, 'validation-failed', 'the request body must be a JSON object')
  }
  const result = schema.safeParse(value)
  if (result.success) return result.data
  const issue = result.error.issues[0]!
  const field = issue.path.map(String).join('.')
  const message = field ? `${field}: ${issue.message}` : `${what}: ${issue.message}`
  throw new HttpError(422, 'validation-failed', message, field || undefined)
}

export const notFound: RequestHandler = (req, _res, next) => {
  next(new HttpError(404, 'not-found', `no route for ${req.method} ${req.path}`))
}

// body-parser and Express tag their errors with `type`/`status`; map the ones clients can cause.
const BODY_ERRORS: Record<string, [number, string, string]> = {
  'entity.too.large': [413, 'payload-too-large', 'the request body is too large'],
  'entity.parse.failed': [400, 'malformed-json', 'the request body is not valid JSON'],
  'entity.verify.failed': [400, 'malformed-body', 'the request body could not be verified'],
  'encoding.unsupported': [415, 'unsupported-encoding', 'the content encoding is not supported'],
  'charset.unsupported': [415, 'unsupported-charset', 'the charset is not supported'],
  'request.aborted': [400, 'request-aborted', 'the request was aborted'],
  'request.size.invalid': [400, 'malformed-body', 'the request body length does not match'],
  'stream.encoding.set': [500, 'internal-error', 'internal error'],
  'parameters.too.many': [413, 'payload-too-large', 'too many parameters']
}

const STALE_ON_ERROR = [
  'Content-Type',
  'Content-Disposition',
  'Content-Encoding',
  'ETag',
  'Last-Modified',
  'x-MD5',
  'x-SHA256'
]

export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) return next(err)
    let status = 500
    let body = errorBody('internal-error', 'internal error')
    const headers: Record<string, string> = {}
    if (err instanceof HttpError) {
      status = err.status
      body = errorBody(err.code, err.message, err.field)
      Object.assign(headers, err.headers)
    } else if (err instanceof DomainError) {
      status = DOMAIN_STATUS[err.kind]
      body = errorBody(err.code, err.message, err.field)
      if (err instanceof TooMany) headers['Retry-After'] = String(err.retryAfterS)
    } else if (err && typeof err === 'object') {
      const e = err as { type?: string; status?: number; statusCode?: number; message?: string }
      const known = e.type ? BODY_ERRORS[e.type] : undefined
      const s = e.status ?? e.statusCode
      if (known) {
        ;[status] = known
        body = errorBody(known[1], known[2])
      } else if (err instanceof URIError) {
        status = 400
        body = errorBody('malformed-url', 'the URL is not valid percent-encoding')
      } else if (typeof s === 'number' && s >= 400 && s < 500) {
        status = s
        body = errorBody('bad-request', e.message ?? 'bad request')
      }
    }
    if (status >= 500)
      log.error('request failed', { method: req.method, path: req.path, err: String(err) })
    // A route may have described a file before failing (send()'s 416 keeps the OTA image's
    // type, name and hashes): an error body must not claim to be that file.
    for (const name of STALE_ON_ERROR) res.removeHeader(name)
    res.status(status).set(headers).json(body)
  }
}

// Node's own parser errors, by code; anything else it cannot parse is a plain 400.
const CLIENT_ERRORS: Record<string, [number, string, string]> = {
  HPE_HEADER_OVERFLOW: [431, 'headers-too-large', 'the request line or headers are too large'],
  HPE_CHUNK_EXTENSIONS_OVERFLOW: [413, 'payload-too-large', 'the chunk extensions are too large'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'request-timeout', 'the request took too long to arrive']
}

/**
 * Node answers some requests before Express sees them: ones it cannot parse (a bad request line
 * or Content-Length, raw non-ASCII in the path, headers over 16 KiB) and ones with an `Expect:`
 * it does not know. By default those get a bare text response; these handlers give them the
 * same JSON envelope as everything else.
 */
export function envelopeNodeErrors(server: Server): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    // Like Node's default: answer only if nothing was written on this connection yet.
    if (err.code === 'ECONNRESET' || !socket.writable || socket.bytesWritten > 0) {
      socket.destroy()
      return
    }
    const [status, code, message] = CLIENT_ERRORS[err.code ?? ''] ?? [
      400,
      'malformed-request',
      'the request is not valid HTTP'
    ]
    const body = JSON.stringify(errorBody(code, message))
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
        'Content-Type: application/json; charset=utf-8\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`
    )
    socket.destroySoon()
  })
  server.on('checkExpectation', (req, res) => {
    const body = JSON.stringify(
      errorBody('expectation-failed', `Expect: ${req.headers.expect} is not supported`)
    )
    res.writeHead(417, { 'Content-Type': 'application/json; charset=utf-8', Connection: 'close' })
    res.end(body)
  })
}
