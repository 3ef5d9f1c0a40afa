/**
 * A lean HTTP client for latency measurements: node:http over a keep-alive agent, timing each
 * request from the call to the last byte of the body with hrtime. fetch (undici) adds its own
 * overhead per request; this keeps the client's share small and the same for every endpoint.
 */
import { Agent, request } from 'node:http'
import { ADMIN_PASSWORD } from './paths'

export interface Response {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: Buffer
  /** From the call to the end of the body, in ms. */
  ms: number
}

export class Client {
  private readonly agent: Agent

  constructor(
    readonly port: number,
    private readonly defaultHeaders: Record<string, string> = {},
    sockets = 1
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets: sockets })
  }

  request(
    method: string,
    path: string,
    options: { headers?: Record<string, string>; body?: string | Buffer } = {}
  ): Promise<Response> {
    return new Promise((resolve, reject) => {
      const started = process.hrtime.bigint()
      const req = request(
        {
          host: '127.0.0.1',
          port: this.port,
          method,
          path,
          agent: this.agent,
          headers: {
            ...this.defaultHeaders,
            ...options.headers,
            ...(options.body !== undefined
              ? { 'content-length': String(Buffer.byteLength(options.body)) }
              : {})
          }
        },
        (res) => {
          const chunks: Buffer[] = []
          res.on('data', (chunk: Buffer) => chunks.push(chunk))
          res.on('error', reject)
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: Buffer.concat(chunks),
              ms: Number(process.hrtime.bigint() - started) / 1e6
            })
          )
        }
      )
      req.on('error', reject)
      req.end(options.body)
    })
  }

  async get(path: string, headers?: Record<string, string>): Promise<Response> {
    return this.request('GET', path, { headers })
  }

  /** GET that must answer 200 with JSON; returns the parsed body and the time. */
  async getJson<T>(path: string): Promise<{ json: T; ms: number; bytes: number }> {
    const res = await this.get(path)
    if (res.status !== 200)
      throw new Error(`GET ${path} answered ${res.status}: ${res.body.toString().slice(0, 300)}`)
    return { json: JSON.parse(res.body.toString()) as T, ms: res.ms, bytes: res.body.length }
  }

  close(): void {
    this.agent.destroy()
  }
}

/** Signs in to the admin API; returns the Cookie header value for later requests. */
export async function adminCookie(port: number, password = ADMIN_PASSWORD): Promise<string> {
  const client = new Client(port)
  try {
    const res = await client.request('POST', '/api/admin/login', {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ password })
    })
    const setCookie = res.headers['set-cookie']
    if (res.status !== 200 || !setCookie)
      throw new Error(`admin login answered ${res.status}: ${res.body.toString().slice(0, 300)}`)
    return (Array.isArray(setCookie) ? setCookie : [setCookie])
      .map((c) => c.split(';')[0])
      .join('; ')
  } finally {
    client.close()
  }
}
