import { Router, type Request, type RequestHandler, type Response } from 'express'
import { z } from 'zod'
import { HttpError, parseOr422 } from '../http/errors'
import { clientIp } from '../http/client-ip'
import { adminJsonBody } from '../http/json-body'
import { FailureLimiter } from '../lib/rate-limiter'
import type { AdminCredentials } from './credentials'
import type { SessionRepository } from './session-repository'

export const SESSION_COOKIE = 'pastillero_session'
export const SESSION_TTL_MS = 30 * 24 * 3600 * 1000

export const loginBodySchema = z.object({ password: z.string().min(1, 'is required').max(256) })
export const passwordChangeSchema = z.object({
  current_password: z.string().min(1, 'is required').max(256),
  new_password: z.string().min(8, 'must be at least 8 characters').max(256)
})

export function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie
  if (!header) return undefined
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim()
  }
  return undefined
}

/** HttpOnly so scripts cannot read it; SameSite=Strict so no other site can ride it. */
export function sessionCookie(token: string, maxAgeS = SESSION_TTL_MS / 1000): string {
  return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeS}`
}

export function requireAdmin(sessions: SessionRepository): RequestHandler {
  return (req, _res, next) => {
    const token = readCookie(req, SESSION_COOKIE)
    if (token && sessions.isValid(token)) return next()
    next(new HttpError(401, 'not-signed-in', 'sign in to use the admin API'))
  }
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

/** POST /login and /logout, mounted under /api/admin before the session check. */
export function authRoutes(deps: {
  sessions: SessionRepository
  credentials: AdminCredentials
  limiter?: FailureLimiter
}): Router {
  const { sessions, credentials } = deps
  // 5 wrong passwords per address per 15 minutes, then 429 until the window passes.
  const limiter = deps.limiter ?? new FailureLimiter(5, 15 * 60 * 1000)
  const router = Router()

  router.post('/login', adminJsonBody, async (req, res: Response) => {
    const ip = clientIp(req) ?? 'unknown'
    const wait = limiter.retryAfterMs(ip)
    if (wait > 0) {
      const seconds = Math.ceil(wait / 1000)
      throw new HttpError(
        429,
        'too-many-attempts',
        `too many failed sign-ins; try again in ${seconds} s`,
        undefined,
        {
          'Retry-After': String(seconds)
        }
      )
    }
    const { password } = parseOr422(loginBodySchema, req.body)
    if (!(await credentials.verify(password))) {
      limiter.fail(ip)
      throw new HttpError(401, 'wrong-password', 'the password is not correct', 'password')
    }
    limiter.reset(ip)
    res.set('Set-Cookie', sessionCookie(sessions.create('browser', SESSION_TTL_MS)))
    res.json({ ok: true })
  })

  router.post('/logout', (req, res) => {
    const token = readCookie(req, SESSION_COOKIE)
    if (token) sessions.revoke(token)
    res.set('Set-Cookie', sessionCookie('', 0)).json({ ok: true })
  })

  router.get('/session', (req, res) => {
    const token = readCookie(req, SESSION_COOKIE)
    res.json({ ok: true, signed_in: !!token && sessions.isValid(token) })
  })

  return router
}
