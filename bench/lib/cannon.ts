/**
 * autocannon runs against one server, with our own microsecond timings of every response
 * (autocannon's histogram rounds to whole ms) and the server's CPU time per request.
 */
import autocannon from 'autocannon'
import { DEVICE_KEY } from './paths'
import type { RunningServer } from './servers'
import { summarise, type Summary } from './stats'

export interface CannonRun {
  requestsPerSecond: number
  requests2xx: number
  non2xx: number
  errors: number
  timeouts: number
  /** Server CPU µs per 2xx answer (undefined when the server cannot report its CPU). */
  cpuMicrosPerRequest?: number
  latencyMs: Summary
  durationS: number
}

export interface CannonOptions {
  port: number
  path: string
  /** A fresh body for every request. */
  nextBody: () => string
  connections: number
  seconds: number
  /** Requests per second over all connections; unlimited when omitted. */
  overallRate?: number
  /** To read the server's CPU time before and after. */
  server?: RunningServer
  /** Called every 100 ms during the run (e.g. to sample memory). */
  onTick?: () => void
}

export async function cannon(o: CannonOptions): Promise<CannonRun> {
  const latencies: number[] = []
  const cpuBefore = o.server ? await o.server.cpuMicros() : undefined
  const ticker = o.onTick ? setInterval(o.onTick, 100) : undefined
  const result = await new Promise<autocannon.Result>((resolveRun, reject) => {
    const instance = autocannon(
      {
        url: `http://127.0.0.1:${o.port}`,
        connections: o.connections,
        pipelining: 1,
        duration: o.seconds,
        timeout: 10,
        ...(o.overallRate ? { overallRate: o.overallRate } : {}),
        headers: { 'content-type': 'application/json', 'x-api-key': DEVICE_KEY },
        requests: [
          {
            method: 'POST',
            path: o.path,
            // Rebuilt for every request (autocannon does so when setupRequest is set).
            setupRequest: (req) => ({ ...req, body: o.nextBody() })
          }
        ]
      },
      (err: unknown, res: autocannon.Result) => (err ? reject(err) : resolveRun(res))
    )
    instance.on('response', (_client, statusCode: number, _bytes, responseTime: number) => {
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime)
    })
  }).finally(() => {
    if (ticker) clearInterval(ticker)
  })
  const cpuAfter = o.server ? await o.server.cpuMicros() : undefined
  return {
    cpuMicrosPerRequest:
      cpuBefore !== undefined && cpuAfter !== undefined
        ? (cpuAfter - cpuBefore) / Math.max(1, result['2xx'])
        : undefined,
    requestsPerSecond: result['2xx'] / result.duration,
    requests2xx: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    latencyMs: summarise(latencies),
    durationS: result.duration
  }
}
