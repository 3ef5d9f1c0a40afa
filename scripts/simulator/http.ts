/**
 * The simulator's one way to talk to the server: a JSON POST with the device key, a timeout, and a
 * verdict on whether trying again could help. Global fetch (undici) keeps connections alive and
 * pools them per origin, so a fleet reuses sockets the way a long-running gateway would.
 */

export interface PostOutcome {
  ok: boolean
  status?: number
  /** The parsed JSON answer (on success, and on errors that carry the error envelope). */
  body?: unknown
  /** One line for logs: `503 internal-error: …`, `ECONNREFUSED`, `timeout after 5000 ms`. */
  error?: string
  /** A network failure, timeout, 408, 429 or 5xx: the same request may succeed later. */
  retryable: boolean
  latencyMs: number
}

export interface PostOptions {
  apiKey: string
  /** The device's own token: sent instead of the shared key once the server gave one. */
  deviceToken?: string
  timeoutMs: number
}

/** The credential headers: `Authorization: DeviceToken …` when the device has a token, else X-API-Key. */
export function credentialHeaders(options: {
  apiKey: string
  deviceToken?: string
}): Record<string, string> {
  return options.deviceToken
    ? { authorization: `DeviceToken ${options.deviceToken}` }
    : { 'x-api-key': options.apiKey }
}

function describeNetworkError(err: unknown, timeoutMs: number): string {
  if (err instanceof Error) {
    if (err.name === 'TimeoutError' || err.name === 'AbortError')
      return `timeout after ${timeoutMs} ms`
    // undici reports "fetch failed" and puts the real reason (ECONNREFUSED, …) in `cause`.
    const cause = (err as Error & { cause?: { code?: string; message?: string } }).cause
    if (cause?.code) return cause.code
    if (cause?.message) return cause.message
    return err.message
  }
  return String(err)
}

function describeHttpError(status: number, body: unknown): string {
  const error = (body as { error?: { code?: string; message?: string } } | undefined)?.error
  return error?.code ? `${status} ${error.code}: ${error.message ?? ''}`.trim() : `HTTP ${status}`
}

export async function postJson(
  url: string,
  body: unknown,
  options: PostOptions
): Promise<PostOutcome> {
  const started = performance.now()
  let res: Response
  let parsed: unknown
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...credentialHeaders(options) },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(options.timeoutMs)
    })
    // Always read the body: an unread body keeps the socket out of the keep-alive pool.
    const text = await res.text()
    try {
      parsed = text ? JSON.parse(text) : undefined
    } catch {
      parsed = undefined
    }
  } catch (err) {
    return {
      ok: false,
      error: describeNetworkError(err, options.timeoutMs),
      retryable: true,
      latencyMs: performance.now() - started
    }
  }
  const latencyMs = performance.now() - started
  if (res.ok) return { ok: true, status: res.status, body: parsed, retryable: false, latencyMs }
  return {
    ok: false,
    status: res.status,
    body: parsed,
    error: describeHttpError(res.status, parsed),
    retryable: res.status === 408 || res.status === 429 || res.status >= 500,
    latencyMs
  }
}
