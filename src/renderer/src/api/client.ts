/**
 * The one place the dashboard talks HTTP. Every failure becomes an ApiError carrying the server's
 * error envelope (code, message, field), so views can always show the message to the user.
 */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

/** Codes made up on this side, for failures that never got an envelope from the server. */
export const CLIENT_ERROR_CODES = ['network-error', 'bad-response'] as const

let unauthorizedHandler: (() => void) | undefined

/** Called on any 401 from the admin API (except a wrong password at sign-in). */
export function setUnauthorizedHandler(handler: (() => void) | undefined): void {
  unauthorizedHandler = handler
}

export function notifyUnauthorized(): void {
  unauthorizedHandler?.()
}

export interface RequestOptions {
  signal?: AbortSignal
  /** The sign-in call answers 401 for a wrong password; that is not "signed out". */
  expectUnauthorized?: boolean
  /**
   * A 2xx answer whose body says `ok: false` is still the answer (POST /api/admin/telegram/test
   * reports per-recipient failures that way).
   */
  acceptNotOk?: boolean
}

function envelopeOf(data: unknown): { code: string; message: string; field?: string } | undefined {
  if (!data || typeof data !== 'object') return undefined
  const error = (data as { error?: unknown }).error
  if (!error || typeof error !== 'object') return undefined
  const { code, message, field } = error as Record<string, unknown>
  if (typeof code !== 'string' || typeof message !== 'string') return undefined
  return typeof field === 'string' ? { code, message, field } : { code, message }
}

/**
 * The ApiError for a failed answer (for callers that do not go through apiRequest, e.g. uploads
 * with XMLHttpRequest for their progress). Reports a 401 like apiRequest does.
 */
export function apiErrorFrom(status: number, data: unknown): ApiError {
  const envelope = envelopeOf(data)
  if (status === 401) notifyUnauthorized()
  return envelope
    ? new ApiError(status, envelope.code, envelope.message, envelope.field)
    : new ApiError(status, 'bad-response', `unexpected response (HTTP ${status})`)
}

export async function apiRequest<T>(
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
  options: RequestOptions = {}
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' }
  if (body !== undefined) headers['content-type'] = 'application/json'
  let res: Response
  try {
    res = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      signal: options.signal
    })
  } catch (err) {
    if (options.signal?.aborted) throw err
    throw new ApiError(0, 'network-error', 'the server could not be reached')
  }
  let data: unknown
  try {
    data = await res.json()
  } catch {
    data = undefined
  }
  const ok =
    res.ok &&
    !!data &&
    ((data as { ok?: unknown }).ok === true ||
      (options.acceptNotOk === true && (data as { ok?: unknown }).ok === false))
  if (ok) return data as T

  const envelope = envelopeOf(data)
  const error = envelope
    ? new ApiError(res.status, envelope.code, envelope.message, envelope.field)
    : new ApiError(res.status, 'bad-response', `unexpected response (HTTP ${res.status})`)
  if (res.status === 401 && !options.expectUnauthorized) notifyUnauthorized()
  throw error
}
