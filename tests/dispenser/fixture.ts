import { afterEach } from 'vitest'
import { startTestCore, type TestCore } from '../helpers/test-core'
import { request, type JsonResponse } from '../helpers/http'
import { VirtualDispenser, ensureBuilt, type DispenserOptions } from './virtual-dispenser'

ensureBuilt()

/**
 * One virtual time for the server and its dispensers. The dispensers' clocks start at `start`
 * (--start) and run at real speed; `advance` moves them all. The core's schedule clock reads the
 * same time, so "now" for outcomes and for new schedule versions (valid from when saved) is the
 * dispensers' now. Skew between the two is the process start-up latency (well under a second),
 * which no assertion here depends on.
 */
export class VirtualTime {
  private offsetMs: number
  constructor(readonly start: string) {
    this.offsetMs = Date.parse(start) - Date.now()
  }
  readonly now = (): number => Date.now() + this.offsetMs
  iso(): string {
    return new Date(this.now()).toISOString()
  }
  /** Moves every given dispenser's clock and the server's by `seconds`. */
  advance(seconds: number, ...dispensers: VirtualDispenser[]): void {
    this.offsetMs += seconds * 1000
    for (const d of dispensers) d.send(`advance ${seconds}`)
  }
  /** Advances to (about) an instant: whole seconds, never backwards. */
  advanceTo(iso: string, ...dispensers: VirtualDispenser[]): void {
    const seconds = Math.floor((Date.parse(iso) - this.now()) / 1000)
    if (seconds > 0) this.advance(seconds, ...dispensers)
  }
}

export interface Rig {
  t: TestCore
  cookie: string
  admin<T = any>(path: string, init?: { method?: string; body?: unknown }): Promise<JsonResponse<T>>
  dispenser(
    options: Omit<DispenserOptions, 'key' | 'server'> & { server?: string }
  ): VirtualDispenser
  /** Stops the core; a dispenser keeps running and queues what it cannot send. */
  stopCore(): Promise<void>
  /** Starts a core again on the same data dir and port (and the same clock). */
  restartCore(): Promise<void>
}

/**
 * The real core over HTTP on 127.0.0.1 and virtual dispensers pointed at it; everything is
 * stopped and deleted after each test.
 */
export function useRig(options: { time?: VirtualTime; timeZone?: string } = {}) {
  let rig: Rig | undefined
  const dispensers: VirtualDispenser[] = []
  afterEach(async () => {
    await Promise.all(dispensers.splice(0).map((d) => d.dispose()))
    await rig?.t.dispose()
    rig = undefined
  })
  return async (): Promise<Rig> => {
    const clock = options.time?.now
    let t = await startTestCore({ clock })
    const dataDir = t.dataDir
    const port = t.info.port
    let cookie = await t.login()
    const admin = (path: string, init: { method?: string; body?: unknown } = {}) =>
      request(`${t.url}/api/admin${path}`, {
        method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
        headers: { cookie, origin: t.url },
        body: init.body
      })
    if (options.timeZone) {
      const res = await admin('/settings', {
        method: 'PATCH',
        body: { time_zone: options.timeZone }
      })
      if (res.status !== 200) throw new Error(`settings: ${res.status} ${JSON.stringify(res.body)}`)
    }
    rig = {
      get t() {
        return t
      },
      get cookie() {
        return cookie
      },
      admin,
      dispenser(o) {
        const d = new VirtualDispenser({
          key: t.deviceKey,
          server: t.url,
          ...(options.time ? { start: options.time.iso() } : {}),
          ...o
        })
        dispensers.push(d)
        return d
      },
      async stopCore() {
        await t.stop()
      },
      async restartCore() {
        await t.stop()
        t = await startTestCore({ clock, dataDir, flags: { port } })
        cookie = await t.login()
      }
    }
    return rig
  }
}

/** The events the server stored for a device, oldest first (every page). */
export async function serverEvents(rig: Rig, deviceId: string): Promise<any[]> {
  const all: any[] = []
  let cursor: string | null = null
  do {
    const q = new URLSearchParams({ device_id: deviceId, limit: '1000' })
    if (cursor) q.set('cursor', cursor)
    const page = await rig.admin(`/events?${q}`)
    if (page.status !== 200) throw new Error(`events: ${page.status} ${JSON.stringify(page.body)}`)
    all.push(...page.body.events)
    cursor = page.body.next_cursor
  } while (cursor)
  return all.reverse()
}

/** Polls `read` until `ok` holds (the server side catches up asynchronously). */
export async function eventually<T>(
  read: () => Promise<T>,
  ok: (value: T) => boolean,
  what: string,
  timeoutMs = 30_000
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let last: T
  do {
    last = await read()
    if (ok(last)) return last
    await new Promise((r) => setTimeout(r, 200))
  } while (Date.now() < deadline)
  throw new Error(
    `${what}: still not true after ${timeoutMs} ms; last value ${JSON.stringify(last)}`
  )
}
