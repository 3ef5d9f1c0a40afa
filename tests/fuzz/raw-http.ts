import { connect } from 'node:net'

/**
 * HTTP/1.1 over a bare socket, so a fuzz test controls every byte: the request-target as sent
 * (no client-side escaping or validation), header names, values and repeats, and the
 * Content-Length, which fetch and node:http both refuse to get wrong on purpose.
 */
export interface RawRequest {
  method: string
  /** The request-target exactly as sent, e.g. `/api/ota/download/..%2f?x[]=1`. */
  path: string
  /** Sent in order, as latin1; repeats allowed. Host is added unless given. */
  headers?: Array<[string, string]>
  body?: Buffer
  /** What to declare: the body's length (default), another number or text, or none at all. */
  contentLength?: 'exact' | 'none' | 'chunked' | string
}

export interface RawResponse {
  status: number
  headers: Record<string, string>
  body: Buffer
  /** The connection closed or timed out before a whole response head arrived. */
  noResponse?: string
}

export function describeRequest(req: RawRequest): string {
  const body = req.body ?? Buffer.alloc(0)
  const shown =
    body.length > 300 ? `${body.subarray(0, 300).toString('latin1')}… (${body.length} bytes)` : body
  return [
    `${req.method} ${req.path.length > 300 ? `${req.path.slice(0, 300)}… (${req.path.length})` : req.path}`,
    ...(req.headers ?? []).map(([k, v]) => `${k}: ${v.length > 200 ? `${v.slice(0, 200)}…` : v}`),
    `content-length: ${req.contentLength ?? 'exact'}`,
    '',
    String(shown)
  ].join('\n')
}

function encodeRequest(host: string, req: RawRequest): Buffer {
  const body = req.body ?? Buffer.alloc(0)
  const headers = [...(req.headers ?? [])]
  if (!headers.some(([k]) => k.toLowerCase() === 'host')) headers.unshift(['Host', host])
  headers.push(['Connection', 'close'])
  const cl = req.contentLength ?? 'exact'
  let payload = body
  if (cl === 'exact') {
    if (body.length > 0 || !['GET', 'HEAD', 'DELETE', 'OPTIONS'].includes(req.method))
      headers.push(['Content-Length', String(body.length)])
  } else if (cl === 'chunked') {
    headers.push(['Transfer-Encoding', 'chunked'])
    const chunks: Buffer[] = []
    for (let i = 0; i < body.length; i += 1000) {
      const part = body.subarray(i, i + 1000)
      chunks.push(Buffer.from(`${part.length.toString(16)}\r\n`), part, Buffer.from('\r\n'))
    }
    chunks.push(Buffer.from('0\r\n\r\n'))
    payload = Buffer.concat(chunks)
  } else if (cl !== 'none') {
    headers.push(['Content-Length', cl])
  }
  const head =
    `${req.method} ${req.path} HTTP/1.1\r\n` +
    headers.map(([k, v]) => `${k}: ${v}\r\n`).join('') +
    '\r\n'
  return Buffer.concat([Buffer.from(head, 'latin1'), payload])
}

function parseResponse(data: Buffer, method: string): RawResponse | undefined {
  // Skip interim responses (100 Continue for `Expect: 100-continue`).
  while (/^HTTP\/1\.[01] 1\d\d /.test(data.subarray(0, 16).toString('latin1'))) {
    const interimEnd = data.indexOf('\r\n\r\n')
    if (interimEnd < 0) return undefined
    data = data.subarray(interimEnd + 4)
  }
  const end = data.indexOf('\r\n\r\n')
  if (end < 0) return undefined
  const lines = data.subarray(0, end).toString('latin1').split('\r\n')
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '')?.[1])
  if (!status) return undefined
  const headers: Record<string, string> = {}
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':')
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim()
  }
  let rest = data.subarray(end + 4)
  if (method === 'HEAD' || status === 204 || status === 304) rest = Buffer.alloc(0)
  else if (headers['transfer-encoding'] === 'chunked') {
    const parts: Buffer[] = []
    let at = 0
    for (;;) {
      const eol = rest.indexOf('\r\n', at)
      if (eol < 0) break
      const size = parseInt(rest.subarray(at, eol).toString('latin1'), 16)
      if (!size) break
      parts.push(rest.subarray(eol + 2, eol + 2 + size))
      at = eol + 2 + size + 2
    }
    rest = Buffer.concat(parts)
  } else if (headers['content-length'] !== undefined) {
    rest = rest.subarray(0, Number(headers['content-length']))
  }
  return { status, headers, body: rest }
}

/**
 * Sends one request on a fresh connection (`Connection: close`) and reads the first response.
 * The socket is not half-closed: Node's server aborts a request whose client half-closes before
 * the body is processed, which no real client does. A request promising more body than it sends
 * therefore waits for the timeout; give those a short one.
 */
export function rawRequest(
  base: string,
  req: RawRequest,
  timeoutMs = 10_000
): Promise<RawResponse> {
  const url = new URL(base)
  return new Promise((resolve) => {
    const socket = connect({ host: url.hostname, port: Number(url.port) })
    const chunks: Buffer[] = []
    let settled = false
    const finish = (why?: string) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      socket.destroy()
      const parsed = parseResponse(Buffer.concat(chunks), req.method)
      resolve(parsed ?? { status: 0, headers: {}, body: Buffer.concat(chunks), noResponse: why })
    }
    const timer = setTimeout(() => finish(`no response in ${timeoutMs} ms`), timeoutMs)
    socket.on('connect', () => {
      socket.write(encodeRequest(url.host, req))
    })
    socket.on('data', (d: Buffer) => chunks.push(d))
    socket.on('end', () => finish('connection closed'))
    socket.on('close', () => finish('connection closed'))
    socket.on('error', (err) => finish(`socket error: ${err.message}`))
  })
}
