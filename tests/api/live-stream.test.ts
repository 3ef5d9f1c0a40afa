import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestCore, type TestCore } from '../helpers/test-core'
import { heartbeatBody, request } from '../helpers/http'

interface SseMessage {
  event: string
  data: any
}

/** Reads the SSE stream over real HTTP and collects parsed messages. */
async function openStream(url: string, cookie: string) {
  const controller = new AbortController()
  const res = await fetch(`${url}/api/admin/stream`, {
    headers: { cookie },
    signal: controller.signal
  })
  expect(res.status).toBe(200)
  expect(res.headers.get('content-type')).toContain('text/event-stream')
  const messages: SseMessage[] = []
  const waiters: Array<() => void> = []
  void (async () => {
    const decoder = new TextDecoder()
    let buffer = ''
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true })
        let end
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end)
          buffer = buffer.slice(end + 2)
          const event = /^event: (.*)$/m.exec(frame)?.[1]
          const data = /^data: (.*)$/m.exec(frame)?.[1]
          if (event && data) messages.push({ event, data: JSON.parse(data) })
          waiters.splice(0).forEach((w) => w())
        }
      }
    } catch {
      // aborted
    }
  })()
  return {
    messages,
    async waitFor(predicate: (m: SseMessage) => boolean, timeoutMs = 10_000): Promise<SseMessage> {
      const deadline = Date.now() + timeoutMs
      for (;;) {
        const found = messages.find(predicate)
        if (found) return found
        if (Date.now() > deadline)
          throw new Error(
            `no matching SSE message; got ${JSON.stringify(messages.map((m) => m.event))}`
          )
        await new Promise<void>((resolve) => {
          waiters.push(resolve)
          setTimeout(resolve, 200)
        })
      }
    },
    close: () => controller.abort()
  }
}

describe('live stream', () => {
  let t: TestCore
  let cookie: string
  beforeAll(async () => {
    // A short offline threshold and a fast sweep so "goes offline" happens within the test.
    t = await startTestCore({ presenceSweepMs: 200, env: { PASTILLERO_OFFLINE_AFTER_S: '30' } })
    cookie = await t.login()
  })
  afterAll(() => t.dispose())

  it('announces beats, new devices coming online, events and commands', async () => {
    const stream = await openStream(t.url, cookie)
    try {
      await request(`${t.url}/api/devices/heartbeat`, {
        headers: { 'X-API-Key': t.deviceKey },
        body: heartbeatBody('live-1')
      })
      const online = await stream.waitFor(
        (m) => m.event === 'device.online' && m.data.device_id === 'live-1'
      )
      expect(online.data).toMatchObject({ online: true, name: 'Pastillero Cocina' })
      await stream.waitFor((m) => m.event === 'device.updated' && m.data.device_id === 'live-1')

      await request(`${t.url}/api/events/`, {
        headers: { 'X-API-Key': t.deviceKey },
        body: { device_id: 'live-1', type: 'alarm_triggered', payload: { alarm_label: 'Mañana' } }
      })
      const ev = await stream.waitFor((m) => m.event === 'event.created')
      expect(ev.data).toMatchObject({
        device_id: 'live-1',
        type: 'alarm_triggered',
        payload: { alarm_label: 'Mañana' }
      })

      await request(`${t.url}/api/admin/devices/live-1/reboot`, {
        method: 'POST',
        headers: { cookie }
      })
      await stream.waitFor(
        (m) => m.event === 'command.updated' && m.data.command.status === 'pending'
      )
      await request(`${t.url}/api/devices/heartbeat`, {
        headers: { 'X-API-Key': t.deviceKey },
        body: heartbeatBody('live-1')
      })
      await stream.waitFor(
        (m) => m.event === 'command.updated' && m.data.command.status === 'delivered'
      )
    } finally {
      stream.close()
    }
  })

  it('announces a device going offline when it stops beating', async () => {
    const stream = await openStream(t.url, cookie)
    try {
      await request(`${t.url}/api/devices/heartbeat`, {
        headers: { 'X-API-Key': t.deviceKey },
        body: heartbeatBody('fades')
      })
      const started = Date.now()
      const offline = await stream.waitFor(
        (m) => m.event === 'device.offline' && m.data.device_id === 'fades',
        40_000
      )
      expect(offline.data.online).toBe(false)
      expect(Date.now() - started).toBeGreaterThanOrEqual(29_000)
    } finally {
      stream.close()
    }
  })
})
