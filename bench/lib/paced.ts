/**
 * An open-loop load: one POST every 1/rate s on a schedule, whatever the answers do, over a
 * keep-alive pool. Latency counts from the scheduled send time, so a server (or client) that
 * falls behind shows it in full instead of slowing the load down (no coordinated omission).
 * Used for latency under a steady load, where autocannon's closed loop (and its per-second
 * bursts when rate-limited) would measure queueing it creates itself.
 */
import { Agent, request } from 'node:http'
import { DEVICE_KEY } from './paths'
import { summarise, type Summary } from './stats'

export interface PacedRun {
  sent: number
  ok: number
  failed: number
  latencyMs: Summary
  requestsPerSecond: number
  durationS: number
  /**
   * How late the client itself sent each request after its slot (ms, p50/p99/max): when this is
   * large, the bench's client could not keep the rate (its own CPU), whatever the server did.
   */
  clientLagMs: Summary
}

export async function paced(o: {
  port: number
  path: string
  nextBody: () => string
  rate: number
  seconds: number
  sockets: number
  /** Send at most this many (a run over a fixed set of new ids: float slots may add one). */
  maxRequests?: number
}): Promise<PacedRun> {
  const agent = new Agent({ keepAlive: true, maxSockets: o.sockets })
  const latencies: number[] = []
  const lags: number[] = []
  let sent = 0
  let ok = 0
  let failed = 0
  const intervalMs = 1000 / o.rate
  const start = performance.now()
  const end = start + o.seconds * 1000
  const pending = new Set<Promise<void>>()

  const send = (scheduled: number) => {
    lags.push(performance.now() - scheduled)
    const body = o.nextBody()
    sent++
    const p = new Promise<void>((resolve) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: o.port,
          method: 'POST',
          path: o.path,
          agent,
          headers: {
            'content-type': 'application/json',
            'content-length': String(Buffer.byteLength(body)),
            'x-api-key': DEVICE_KEY
          }
        },
        (res) => {
          res.resume()
          res.on('end', () => {
            if (res.statusCode === 200) {
              ok++
              latencies.push(performance.now() - scheduled)
            } else failed++
            resolve()
          })
        }
      )
      req.on('error', () => {
        failed++
        resolve()
      })
      req.end(body)
    })
    pending.add(p)
    void p.then(() => pending.delete(p))
  }

  // Catch up on every slot whose time has come: a late timer sends the overdue requests at once,
  // each still timed from its own slot.
  let next = start
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now()
      const max = o.maxRequests ?? Infinity
      while (next <= now && next < end && sent < max) {
        send(next)
        next += intervalMs
      }
      if (next >= end || sent >= max) resolve()
      else setTimeout(tick, Math.max(0, next - performance.now()))
    }
    tick()
  })
  await Promise.all(pending)
  agent.destroy()
  const durationS = (performance.now() - start) / 1000
  return {
    sent,
    ok,
    failed,
    latencyMs: summarise(latencies),
    requestsPerSecond: ok / durationS,
    durationS,
    clientLagMs: summarise(lags)
  }
}
