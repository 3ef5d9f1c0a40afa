import type { Request, RequestHandler, Response } from 'express'
import { STREAM_EVENT_NAMES } from '../../../shared/stream-events'
import type { CoreEventBus, CoreEvents } from '../lib/event-bus'

// Every stream message must be a bus event; this fails to compile if the two lists drift apart.
const FORWARDED: ReadonlyArray<keyof CoreEvents> = STREAM_EVENT_NAMES

/**
 * Server-sent events for the dashboard. Each bus event becomes an SSE message named after it.
 * `close()` ends every open stream so the HTTP server can stop promptly.
 */
export function createSseHub(bus: CoreEventBus, keepAliveMs = 20_000) {
  const clients = new Set<Response>()
  let nextId = 1

  const send = (name: string, data: unknown) => {
    const frame = `id: ${nextId++}\nevent: ${name}\ndata: ${JSON.stringify(data)}\n\n`
    for (const res of clients) res.write(frame)
  }
  const listeners = FORWARDED.map((name) => [name, (data: unknown) => send(name, data)] as const)
  // Subscribed only while someone watches: with no dashboard open the core skips building the
  // messages at all (the device service asks watching() on its hot path).
  const subscribe = () => {
    for (const [name, listener] of listeners) bus.on(name, listener as never)
  }
  const unsubscribe = () => {
    for (const [name, listener] of listeners) bus.off(name, listener as never)
  }

  const handler: RequestHandler = (req: Request, res: Response) => {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no'
    })
    res.write('retry: 3000\n: connected\n\n')
    if (clients.size === 0) subscribe()
    clients.add(res)
    const timer = setInterval(() => res.write(': keep-alive\n\n'), keepAliveMs)
    const cleanup = () => {
      clearInterval(timer)
      if (clients.delete(res) && clients.size === 0) unsubscribe()
    }
    req.on('close', cleanup)
    res.on('close', cleanup)
  }

  return {
    handler,
    get clientCount() {
      return clients.size
    },
    /** True while a dashboard is connected: the device service then announces every heartbeat. */
    watching(): boolean {
      return clients.size > 0
    },
    close() {
      unsubscribe()
      for (const res of clients) res.end()
      clients.clear()
    }
  }
}
