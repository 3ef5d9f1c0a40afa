import express, { Router } from 'express'
import { createRequire } from 'node:module'
import { dirname } from 'node:path'

/** `/docs`: Swagger UI served from the installed package, so it works with no internet. */
export function docsRoutes(): Router {
  const require = createRequire(import.meta.url)
  const assets = dirname(require.resolve('swagger-ui-dist/package.json'))
  const router = Router()
  router.get('/', (req, res, next) => {
    // Relative asset URLs need the trailing slash.
    if (!req.originalUrl.split('?')[0]!.endsWith('/')) return res.redirect(301, '/docs/')
    next()
  })
  router.get('/', (_req, res) => {
    res.type('html').send(`<!doctype html>
<html lang="es"><head><meta charset="utf-8"><title>Pastillero API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="swagger-ui-bundle.js"></script><script src="init.js"></script></body></html>`)
  })
  router.get('/init.js', (_req, res) => {
    res
      .type('application/javascript')
      .send(
        "window.ui = SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#swagger-ui', deepLinking: true })"
      )
  })
  router.use(express.static(assets, { index: false, maxAge: '1d' }))
  return router
}
