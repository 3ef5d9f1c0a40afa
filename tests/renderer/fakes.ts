import { vi } from 'vitest'
import type { EventSourceLike } from '../../src/renderer/src/api/live-stream'
import type { CommandView, DeviceView, EventView } from '../../src/renderer/src/api/types'

/**
 * Fakes at the network boundary only: a fetch that answers like the core would, and an
 * EventSource the test drives by hand. The stores under test are the real ones.
 */

export interface Call {
  method: string
  url: URL
  body: unknown
  signal?: AbortSignal
}

type Reply = { status?: number; body: unknown } | Promise<{ status?: number; body: unknown }>

export function fakeApi(handler: (call: Call) => Reply) {
  const calls: Call[] = []
  const fetch = vi.fn(async (input: string, init: RequestInit = {}) => {
    const call: Call = {
      method: init.method ?? 'GET',
      url: new URL(input, 'http://dashboard.test'),
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
      signal: init.signal ?? undefined
    }
    calls.push(call)
    if (call.signal?.aborted) throw new DOMException('aborted', 'AbortError')
    const reply = await handler(call)
    return new Response(JSON.stringify(reply.body), {
      status: reply.status ?? 200,
      headers: { 'content-type': 'application/json' }
    })
  })
  vi.stubGlobal('fetch', fetch)
  return { calls, fetch }
}

export function envelope(code: string, message: string, field?: string) {
  return { ok: false, error: field ? { code, message, field } : { code, message } }
}

export function deferred<T>() {
  let resolve!: (value: T) => void
  const promise = new Promise<T>((r) => (resolve = r))
  return { promise, resolve }
}

// Fixtures are cast: the shared view types grow fields (other features) the dashboard ignores.
export function device(id: string, fields: Partial<DeviceView> = {}): DeviceView {
  return {
    device_id: id,
    name: `Pastillero ${id}`,
    reported_name: `Pastillero ${id}`,
    firmware_version: '1.0.0',
    ip_address: '192.168.1.50',
    status: 'online',
    online: true,
    first_seen: '2026-01-01T10:00:00.000Z',
    last_seen: '2026-01-01T10:00:00.000Z',
    heartbeats: 1,
    last_command: null,
    ...fields
  } as DeviceView
}

export function command(id: number, fields: Partial<CommandView> = {}): CommandView {
  return {
    id,
    command: 'reboot',
    status: 'pending',
    requested_at: '2026-01-01T10:00:00.000Z',
    delivered_at: null,
    ...fields
  }
}

export function event(id: number, occurredAt: string, fields: Partial<EventView> = {}): EventView {
  return {
    id,
    device_id: 'AA',
    type: 'dose_taken',
    payload: { alarm_label: 'Mañana' },
    device_time: occurredAt,
    occurred_at: occurredAt,
    received_at: occurredAt,
    event_id: null,
    ...fields
  }
}

export class FakeEventSource implements EventSourceLike {
  static instances: FakeEventSource[] = []
  readyState = 0
  onopen: EventSourceLike['onopen'] = null
  onerror: EventSourceLike['onerror'] = null
  closed = false
  private listeners = new Map<string, Array<(ev: MessageEvent) => void>>()

  constructor(readonly url: string) {
    FakeEventSource.instances.push(this)
  }

  static create = (url: string) => new FakeEventSource(url)
  static get last(): FakeEventSource {
    return FakeEventSource.instances.at(-1)!
  }

  addEventListener(type: string, listener: (ev: MessageEvent) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener])
  }
  close(): void {
    this.closed = true
    this.readyState = 2
  }
  open(): void {
    this.readyState = 1
    this.onopen?.call(undefined as never, new Event('open'))
  }
  emit(name: string, data: unknown): void {
    const ev = new MessageEvent(name, {
      data: typeof data === 'string' ? data : JSON.stringify(data)
    })
    for (const listener of this.listeners.get(name) ?? []) listener(ev)
  }
  /** A dropped connection the browser retries (CONNECTING) or gives up on (CLOSED). */
  fail(finalState: 0 | 2): void {
    this.readyState = finalState
    this.onerror?.call(undefined as never, new Event('error'))
  }
}

export const flush = () => new Promise((r) => setTimeout(r, 0))
