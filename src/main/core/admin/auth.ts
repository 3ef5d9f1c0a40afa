import { Router, type Request, type RequestHandler, type Response } from 'express'
import type { Role } from '../accounts/account-repository'
import type { AccountService } from '../accounts/account-service'
import { HttpError, parseOr422 } from '../http/errors'
import { clientIp, viaHttps } from '../http/client-ip'
import { adminJsonBody } from '../http/json-body'
import { FailureLimiter } from '../lib/rate-limiter'
import { loginBodySchema } from './schemas'
import type { SessionInfo, SessionRepository } from './session-repository'

export const SESSION_COOKIE = 'pastillero_session'
export const SESSION_TTL_MS = 30 * 24 * 3600 * 1000

export function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie
  if (!header) return undefined
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim()
  }
  return undefined
}

/**
 * HttpOnly so scripts cannot read it; SameSite=Strict so no other site can ride it; Secure when a
 * trusted proxy says the person came over HTTPS (on the plain-HTTP LAN it would never be sent).
 */
export function sessionCookie(
  token: string,
  maxAgeS = SESSION_TTL_MS / 1000,
  secure = false
): string {
  return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeS}${secure ? '; Secure' : ''}`
}

/** The session of a request, once requireSession let it through. */
export function sessionOf(res: Response): SessionInfo {
  return res.locals.session as SessionInfo
}

/** The signed-in person's name, when the route runs behind requireSession. */
export function signedInName(res: Response): string | null {
  return (res.locals.session as SessionInfo | undefined)?.account.name ?? null
}

/** Any signed-in account; the session (with its account) is left in res.locals for the routes. */
export function requireSession(sessions: SessionRepository): RequestHandler {
  return (req, res, next) => {
    const token = readCookie(req, SESSION_COOKIE)
    const session = token ? sessions.lookup(token) : undefined
    if (!session) return next(new HttpError(401, 'not-signed-in', 'sign in to use the admin API'))
    res.locals.session = session
    next()
  }
}

/**
 * What a "family" account may do besides reading: acknowledge alerts, edit schedules, change its
 * own password and link its own Telegram chat. Everything else that changes something (settings,
 * firmware, accounts, keys, backups, devices) and the readings that expose secrets or the whole
 * state (logs, backups, export, firmware files, accounts) need an admin. A list of what is
 * allowed, so a route added later is admin-only until someone decides otherwise.
 */
const FAMILY_WRITES: ReadonlyArray<[string, RegExp]> = [
  ['POST', /^\/alerts\/\d+\/ack$/],
  ['PUT', /^\/devices\/[^/]+\/schedule$/],
  ['POST', /^\/password$/],
  ['POST', /^\/telegram\/link-code$/],
  ['POST', /^\/logout$/]
]
const ADMIN_READS = /^\/(logs|backups|export|firmware|accounts)(\/|$)/

export function familyMay(method: string, path: string): boolean {
  if (method === 'GET' || method === 'HEAD') return !ADMIN_READS.test(path)
  return FAMILY_WRITES.some(([m, re]) => m === method && re.test(path))
}

/** Role check on every admin route (after requireSession). */
export const requireRole: RequestHandler = (req, res, next) => {
  const role: Role = sessionOf(res).account.role
  if (role === 'admin' || familyMay(req.method, req.path)) return next()
  next(new HttpError(403, 'admin-only', 'only an admin account can do this'))
}

/**
 * Refuses state-changing requests sent from another origin. SameSite=Strict already keeps the
 * cookie off cross-site requests; this also covers same-site neighbours on the LAN.
 */
export const sameOriginWrites: RequestHandler = (req, _res, next) => {
  if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return next()
  const origin = req.get('origin')
  if (origin && origin !== 'null') {
    let host: string | undefined
    try {
      host = new URL(origin).host
    } catch {
      host = undefined
    }
    if (host !== req.get('host')) {
      return next(new HttpError(403, 'cross-origin', 'requests from another origin are refused'))
    }
  } else if (req.get('sec-fetch-site') === 'cross-site') {
    return next(new HttpError(403, 'cross-origin', 'requests from another origin are refused'))
  }
  next()
}

function tooMany(waitMs: number): HttpError {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000))
  return new HttpError(
    429,
    'too-many-attempts',
    `too many failed sign-ins; try again in ${seconds} s`,
    undefined,
    { 'Retry-After': String(seconds) }
  )
}

/** POST /login and /logout, GET /session, mounted under /api/admin before the session check. */
export function authRoutes(deps: {
  sessions: SessionRepository
  accounts: () => AccountService
  limiters?: { client: FailureLimiter; account: FailureLimiter }
  /** The family's clock and language, told to a signed-in dashboard with its session. */
  family?: () => { time_zone: string; language: 'es' | 'en'; zone_confirmed: boolean }
}): Router {
  const { sessions } = deps
  // 5 wrong passwords per client address per 15 minutes. Per account the limit is higher, so a
  // guesser on one machine cannot lock the family out, while many machines guessing one account
  // are still slowed down.
  const limiters = deps.limiters ?? {
    client: new FailureLimiter(5, 15 * 60 * 1000),
    account: new FailureLimiter(20, 15 * 60 * 1000)
  }
  const router = Router()

  router.post('/login', adminJsonBody, async (req, res: Response) => {
    const { name, password } = parseOr422(loginBodySchema, req.body)
    const clientKey = clientIp(req) ?? 'unknown'
    const accountKey = (name ?? deps.accounts().first().name).toLowerCase()
    // Reserved before the (slow) password check, so concurrent guesses count at once.
    const client = limiters.client.reserve(clientKey)
    if (!client) throw tooMany(limiters.client.retryAfterMs(clientKey))
    const account = limiters.account.reserve(accountKey)
    if (!account) {
      limiters.client.release(client) // not tried: do not count it against the address
      throw tooMany(limiters.account.retryAfterMs(accountKey))
    }
    const who = await deps.accounts().verify(name, password)
    if (!who)
      throw new HttpError(401, 'wrong-password', 'the name or password is not correct', 'password')
    // Only this attempt is given back: a correct sign-in to one account must not wipe the
    // failures the same address piled up guessing another.
    limiters.client.release(client)
    limiters.account.release(account)
    const token = sessions.create(who.id, 'browser', SESSION_TTL_MS)
    res.set('Set-Cookie', sessionCookie(token, SESSION_TTL_MS / 1000, viaHttps(req)))
    res.json({
      ok: true,
      account: { id: who.id, name: who.name, role: who.role },
      ...(deps.family ? { family: deps.family() } : {})
    })
  })

  router.post('/logout', (req, res) => {
    const token = readCookie(req, SESSION_COOKIE)
    if (token) sessions.revoke(token)
    res.set('Set-Cookie', sessionCookie('', 0, viaHttps(req))).json({ ok: true })
  })

  router.get('/session', (req, res) => {
    const token = readCookie(req, SESSION_COOKIE)
    const session = token ? sessions.lookup(token) : undefined
    res.json({
      ok: true,
      signed_in: !!session,
      ...(session ? { account: session.account } : {}),
      ...(session && deps.family ? { family: deps.family() } : {})
    })
  })

  return router
}
