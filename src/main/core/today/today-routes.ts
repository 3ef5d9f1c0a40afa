import { Router } from 'express'
import type { TodayService } from './today-service'

/** `GET /today` for the "Hoy" page: mount under /api/admin behind the session check. */
export function todayRoutes(today: TodayService): Router {
  const router = Router()
  router.get('/today', (_req, res) => {
    res.json(today.today())
  })
  return router
}
