import type { Request, RequestHandler, Response } from 'express'
import { STREAM_EVENT_NAMES } from '../../../shared/stream-events'
import type { CoreEventBus, CoreEvents } from '../lib/event-bus'

// Every stream message must be a bus event; this fails to compile if the two lists drift apart.
const FORWARDED: ReadonlyArray<keyof CoreEvents> = STREAM_EVENT_NAMES

interface Client {
  /** The session the stream was opened with; the stream ends with it. */
  tokenHash?: string
  expiresAt?: number
}

/**
 * Server-sent events for the dashboard. Each bus event becomes an SSE message named after it.
 * A stream lives only as long as its session: endSessions() closes the streams of sessions that
 * were signed out or revoked, and a check every second closes those that expired. `close()` ends
 * every open stream so the HTTP server can stop promptly.
 */
export function createSseHub(bus: CoreEventBus, keepAliveMs = 20_000, expiryCheckMs = 1000) {
  const clients = new Map<Response, Client>()
  let nextId = 1
  let expiryTimer: NodeJS.Timeout | undefined

  const send = (name: string, data: unknown) => {
    const frame = `id: ${nextId++}\nevent: ${name}\ndata: ${JSON.stringify(data)}\n\n`
    for (const res of clients.keys()) res.write(frame)
  }
  const listeners = FORWARDED.map((name) => [name, (data: unknown) => send(name, data)] as const)
  // Subscribed only while someone watches: with no dashboard open the core skips building the
  // messages at all (the device service checks for listeners on its hot path).
  const subscribe = () => {
    for (const [name, listener] of listeners) bus.on(name, listener as never)
    expiryTimer = setInterval(() => {
      const now = Date.now()
      for (const [res, c] of clients) if (c.expiresAt !== undefined && c.expiresAt <= now) res.end()
    }, expiryCheckMs)
    expiryTimer.unref()
  }
  const unsubscribe = () => {
    for (const [name, listener] of listeners) bus.off(name, listener as never)
    if (expiryTimer) clearInterval(expiryTimer)
    expiryTimer = undefined
  }

  const handler: RequestHandler = (req: Request, res: Response) => {
    const session = res.locals.session as { tokenHash: string; expiresAt: string } | undefined
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no'
    })
    res.write('retry: 3000\n: connected\n\n')
    if (clients.size === 0) subscribe()
    clients.set(res, {
      tokenHash: session?.tokenHash,
      expiresAt: session ? Date.parse(session.expiresAt) : undefined
    })
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
    /** Ends the streams opened with these sessions (signed out, password changed, revoked). */
    endSessions(tokenHashes: readonly string[]) {
      const ended = new Set(tokenHashes)
      for (const [res, c] of clients) if (c.tokenHash && ended.has(c.tokenHash)) res.end()
    },
    close() {
      unsubscribe()
      for (const res of clients.keys()) res.end()
      clients.clear()
    }
  }
}
