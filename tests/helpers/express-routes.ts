/**
 * The routes an Express 5 app really serves, read from its router stack: every route's methods
 * and full path (mount paths joined), in OpenAPI's `{param}` spelling.
 */
import type { Express } from 'express'

export interface ServedRoute {
  method: string
  /** e.g. /api/admin/devices/{device_id} */
  path: string
}

interface Layer {
  route?: { path: string | string[]; methods: Record<string, boolean> }
  handle: { stack?: Layer[] }
  rawPath?: string | string[]
}

const openApiPath = (path: string) =>
  path
    .replace(/\/+/g, '/')
    .replace(/:(\w+)/g, '{$1}')
    .replace(/(.)\/$/, '$1')

function walk(stack: Layer[], prefix: string, out: ServedRoute[]): void {
  for (const layer of stack) {
    if (layer.route) {
      const paths = ([] as string[]).concat(layer.route.path)
      for (const path of paths)
        for (const [method, on] of Object.entries(layer.route.methods))
          if (on && method !== '_all') out.push({ method, path: openApiPath(prefix + path) })
    } else if (layer.handle.stack) {
      // A mounted router: app.use('/api/admin', router) or router.use(otherRouter).
      const mount = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : ''
      walk(layer.handle.stack, prefix + mount, out)
    }
  }
}

export function servedRoutes(app: Express): ServedRoute[] {
  const out: ServedRoute[] = []
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, '', out)
  // One entry per method and path (a router mounted twice lists its routes twice).
  return [...new Map(out.map((r) => [`${r.method} ${r.path}`, r])).values()]
}
