import express, { Router, type Request } from 'express'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { HttpError } from './errors'

/**
 * Serves the built Vue dashboard, with history-mode fallback to index.html for any other GET
 * that is not under /api or /docs.
 */
export function dashboardRoutes(
  staticDir: string | undefined,
  /** Whether the request carries a valid admin session. */
  signedIn: (req: Request) => boolean = () => true
): Router {
  const router = Router()
  const index = staticDir ? join(staticDir, 'index.html') : undefined
  if (!staticDir || !index || !existsSync(index)) {
    router.get('/', (_req, _res, next) =>
      next(
        new HttpError(404, 'dashboard-not-built', 'the dashboard is not built; run npm run build')
      )
    )
    return router
  }
  router.use(express.static(staticDir, { index: false, maxAge: '1h' }))
  router.get(/^\/(?!api\/|api$|docs\/|docs$).*/, (req, res, next) => {
    if (!req.accepts('html')) return next()
    // Without a session every page but the login page is refused: a stranger on the LAN gets
    // the login form, never an app page (the data behind it needs a session anyway).
    if (req.path !== '/login' && !signedIn(req)) {
      const redirect =
        req.originalUrl === '/' ? '' : `?redirect=${encodeURIComponent(req.originalUrl)}`
      return res.redirect(302, `/login${redirect}`)
    }
    res.set('Cache-Control', 'no-cache').sendFile(index)
  })
  return router
}
