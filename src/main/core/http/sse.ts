import type { Request, RequestHandler, Response } from 'express'
import type { CoreEventBus, CoreEvents } from '../lib/event-bus'

const FORWARDED: Array<keyof CoreEvents> = [
  'device.updated',
  'device.online',
  'device.offline',
  'device.removed',
  'event.created',
  'command.updated',
  'firmware.updated',
  'alert.created',
  'alert.updated',
  'telegram.updated'
]

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
  const listeners = FORWARDED.map((name) => {
    const listener = (data: unknown) => send(name, data)
    bus.on(name, listener as never)
    return [name, listener] as const
  })

  const handler: RequestHandler = (req: Request, res: Response) => {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no'
    })
    res.write('retry: 3000\n: connected\n\n')
    clients.add(res)
    const timer = setInterval(() => res.write(': keep-alive\n\n'), keepAliveMs)
    const cleanup = () => {
      clearInterval(timer)
      clients.delete(res)
    }
    req.on('close', cleanup)
    res.on('close', cleanup)
  }

  return {
    handler,
    get clientCount() {
      return clients.size
    },
    close() {
      for (const [name, listener] of listeners) bus.off(name, listener as never)
      for (const res of clients) res.end()
      clients.clear()
    }
  }
}
