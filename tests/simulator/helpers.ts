import type { DeviceBehaviour } from '../../scripts/simulator/simulated-device'
import { createServer, request, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

/** Short everything, so each test runs in well under a couple of seconds against a real core. */
export const FAST: Partial<DeviceBehaviour> = {
  intervalMs: 100,
  jitter: 0.1,
  firstBeatWithinMs: 50,
  bootDelayMs: 200,
  requestTimeoutMs: 3000,
  retry: { attempts: 5, baseDelayMs: 20, maxDelayMs: 100 }
}

export { waitFor } from '../helpers/wait'

/** GET an admin endpoint with the session cookie and return the parsed JSON. */
export async function adminGet<T>(url: string, cookie: string): Promise<T> {
  const res = await fetch(url, { headers: { cookie } })
  if (res.status !== 200) throw new Error(`GET ${url}: ${res.status} ${await res.text()}`)
  return (await res.json()) as T
}

export interface FlakyProxy {
  url: string
  /** Requests forwarded whose answer was then thrown away. */
  readonly cut: number
  close(): Promise<void>
}

/**
 * A loopback proxy in front of the core that, for the first `cutFirst` requests matching `path`,
 * lets the request reach the core and then destroys the client's socket instead of relaying the
 * answer: the server has stored the event, the device sees a network error. That is the real
 * failure idempotent event ids exist for.
 */
export async function startFlakyProxy(
  target: string,
  options: { path: string; cutFirst: number }
): Promise<FlakyProxy> {
  const upstream = new URL(target)
  let cut = 0
  const server: Server = createServer((req, res) => {
    const forward = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers
      },
      (answer) => {
        if (req.url === options.path && cut < options.cutFirst) {
          cut++
          answer.resume()
          answer.on('end', () => req.socket.destroy())
          return
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(res)
      }
    )
    forward.on('error', () => res.destroy())
    req.pipe(forward)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    get cut() {
      return cut
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
  }
}
