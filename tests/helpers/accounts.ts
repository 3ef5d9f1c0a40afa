import { request } from './http'

/** Signs in by name (or as the first admin without one); returns the Cookie header value. */
export async function loginAs(
  url: string,
  password: string,
  name?: string,
  headers: Record<string, string> = {}
): Promise<string> {
  const res = await request(`${url}/api/admin/login`, {
    headers,
    body: name === undefined ? { password } : { name, password }
  })
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`)
  return res.headers.get('set-cookie')!.split(';')[0]!
}

/** Creates an account as the given admin session. */
export async function createAccount(
  url: string,
  adminCookie: string,
  name: string,
  password: string,
  role: 'admin' | 'family' = 'family'
): Promise<{ id: number; name: string; role: string }> {
  const res = await request(`${url}/api/admin/accounts`, {
    headers: { cookie: adminCookie },
    body: { name, password, role }
  })
  if (res.status !== 201)
    throw new Error(`create failed: ${res.status} ${JSON.stringify(res.body)}`)
  return res.body.account
}

/**
 * Opens the live stream with a session and resolves `ended` when the server ends it. `received`
 * collects the event names seen.
 */
export async function openStream(
  url: string,
  cookie: string
): Promise<{ ended: Promise<number>; received: string[]; abort(): void }> {
  const controller = new AbortController()
  const res = await fetch(`${url}/api/admin/stream`, {
    headers: { cookie },
    signal: controller.signal
  })
  if (res.status !== 200) throw new Error(`stream answered ${res.status}`)
  const received: string[] = []
  const reader = res.body!.getReader()
  const decoder = new TextDecoder()
  const ended = (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read()
        if (done) return Date.now()
        for (const m of decoder.decode(value).matchAll(/^event: (.+)$/gm)) received.push(m[1]!)
      }
    } catch {
      return Date.now()
    }
  })()
  return { ended, received, abort: () => controller.abort() }
}
