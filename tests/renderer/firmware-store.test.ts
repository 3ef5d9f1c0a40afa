// @vitest-environment jsdom
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import { setUnauthorizedHandler } from '../../src/renderer/src/api/client'
import type { FirmwareView } from '../../src/renderer/src/api/types'
import { useDevicesStore } from '../../src/renderer/src/stores/devices'
import { useFirmwareStore } from '../../src/renderer/src/stores/firmware'
import { firmware } from './admin-fixtures'
import { deferred, device, envelope, fakeApi, flush, type Call } from './fakes'

let server: FirmwareView[] = []

function core(call: Call) {
  const path = call.url.pathname
  if (path === '/api/admin/firmware' && call.method === 'GET')
    return { body: { ok: true, firmware: server } }
  const release = /^\/api\/admin\/firmware\/(\d+)\/release$/.exec(path)
  if (release) {
    const id = Number(release[1])
    const body = call.body as Record<string, unknown>
    if (Array.isArray(body.devices) && body.devices.includes('C3'))
      return {
        status: 422,
        body: envelope(
          'chip-mismatch',
          'C3 is an ESP32-C3; this firmware is built for ESP32',
          'devices'
        )
      }
    server = server.map((f) => {
      if (f.id !== id) return f
      const next = { ...f.release }
      if (body.target === 'all') Object.assign(next, { target: 'all', percent: null, devices: [] })
      if (typeof body.percent === 'number')
        Object.assign(next, { target: 'percent', percent: body.percent, devices: [] })
      if (Array.isArray(body.devices))
        Object.assign(next, { target: 'devices', percent: null, devices: body.devices })
      if (typeof body.paused === 'boolean') next.paused = body.paused
      return { ...f, release: next }
    })
    return { body: { ok: true, firmware: server.find((f) => f.id === id) } }
  }
  const one = /^\/api\/admin\/firmware\/(\d+)$/.exec(path)
  if (one && call.method === 'DELETE') {
    server = server.filter((f) => f.id !== Number(one[1]))
    return { body: { ok: true } }
  }
  const retry = /^\/api\/admin\/devices\/([^/]+)\/ota\/retry$/.exec(path)
  if (retry) {
    return {
      body: {
        ok: true,
        device: device(decodeURIComponent(retry[1]!), {
          ota: {
            version: '1.2.0',
            from_version: '1.0.0',
            state: 'offered',
            detail: 'retry requested',
            updated_at: '2026-01-10T10:00:00.000Z',
            blocked_versions: []
          }
        })
      }
    }
  }
  return { status: 404, body: envelope('not-found', `no route for ${call.method} ${path}`) }
}

beforeEach(() => {
  setActivePinia(createPinia())
  server = [firmware(2, '1.2.0'), firmware(1, '1.1.0')]
})
afterEach(() => vi.unstubAllGlobals())

describe('firmware store', () => {
  test('loads the list; a stream refetch happens only once someone has looked', async () => {
    const { calls } = fakeApi(core)
    const store = useFirmwareStore()
    store.refreshIfLoaded()
    await flush()
    expect(calls).toHaveLength(0)

    await store.load()
    expect(store.list.map((f) => f.version)).toEqual(['1.2.0', '1.1.0'])
    server = [firmware(3, '1.3.0'), ...server]
    store.refreshIfLoaded()
    await flush()
    expect(store.list.map((f) => f.version)).toEqual(['1.3.0', '1.2.0', '1.1.0'])
  })

  test('overlapping refetches share a request, and one asked mid-flight runs again after', async () => {
    const gate = deferred<void>()
    let gets = 0
    fakeApi(async (call) => {
      if (call.method === 'GET') {
        gets++
        if (gets === 1) await gate.promise
      }
      return core(call)
    })
    const store = useFirmwareStore()
    const first = store.load()
    server = [firmware(4, '2.0.0')]
    store.refreshIfLoaded()
    store.refreshIfLoaded()
    gate.resolve()
    await first
    await flush()
    expect(gets).toBe(2)
    expect(store.list.map((f) => f.version)).toEqual(['2.0.0'])
  })

  test('release to a percentage, to chosen devices, pause; a refused release keeps the old one', async () => {
    fakeApi(core)
    const store = useFirmwareStore()
    await store.load()
    await store.release(2, { percent: 25 })
    expect(store.list[0]!.release).toMatchObject({ target: 'percent', percent: 25 })
    await store.release(2, { paused: true })
    expect(store.list[0]!.release.paused).toBe(true)
    await store.release(2, { devices: ['A', 'B'] })
    expect(store.list[0]!.release).toMatchObject({ target: 'devices', devices: ['A', 'B'] })

    await expect(store.release(2, { devices: ['C3'] })).rejects.toMatchObject({
      status: 422,
      code: 'chip-mismatch',
      field: 'devices'
    })
    expect(store.list[0]!.release.devices).toEqual(['A', 'B'])
  })

  test('delete removes it from the list; a failed load is kept in loadError', async () => {
    fakeApi(core)
    const store = useFirmwareStore()
    await store.load()
    await store.remove(1)
    expect(store.list.map((f) => f.id)).toEqual([2])

    vi.unstubAllGlobals()
    fakeApi(() => ({ status: 500, body: envelope('internal-error', 'internal error') }))
    await store.load()
    expect(store.loadError?.message).toBe('internal error')
    expect(store.list.map((f) => f.id)).toEqual([2])
  })

  test('retrying a failed update puts the device back to "offered"', async () => {
    fakeApi(core)
    const devices = useDevicesStore()
    devices.apply({ name: 'device.updated', data: device('A') })
    await useFirmwareStore().retryOta('A')
    expect(devices.get('A')?.ota?.state).toBe('offered')
  })

  test('reset forgets everything and ignores an answer still on its way', async () => {
    const gate = deferred<void>()
    fakeApi(async (call) => {
      await gate.promise
      return core(call)
    })
    const store = useFirmwareStore()
    const pending = store.load()
    store.reset()
    gate.resolve()
    await pending
    expect(store.list).toEqual([])
    expect(store.loaded).toBe(false)
  })
})

/** XMLHttpRequest as the upload uses it: the test answers each request by hand. */
class FakeXhr {
  static last: FakeXhr | undefined
  method = ''
  url = ''
  status = 0
  responseText = ''
  responseType = ''
  withCredentials = false
  headers: Record<string, string> = {}
  body: FormData | undefined
  upload: {
    onprogress: ((ev: { lengthComputable: boolean; loaded: number; total: number }) => void) | null
  } = { onprogress: null }
  onload: (() => void) | null = null
  onerror: (() => void) | null = null
  onabort: (() => void) | null = null
  constructor() {
    FakeXhr.last = this
  }
  open(method: string, url: string) {
    this.method = method
    this.url = url
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name] = value
  }
  send(body: FormData) {
    this.body = body
  }
  abort() {
    this.onabort?.()
  }
  progress(loaded: number, total: number) {
    this.upload.onprogress?.({ lengthComputable: true, loaded, total })
  }
  answer(status: number, body: unknown) {
    this.status = status
    this.responseText = JSON.stringify(body)
    this.onload?.()
  }
}

describe('firmware upload', () => {
  test('multipart with version and notes, progress, then listed', async () => {
    vi.stubGlobal('XMLHttpRequest', FakeXhr)
    fakeApi(core)
    const store = useFirmwareStore()
    await store.load()
    const progress: number[] = []
    const pending = store.upload(
      {
        file: new Blob([new Uint8Array([0xe9, 1, 2])]),
        fileName: 'fw.bin',
        version: ' 1.3.0 ',
        notes: ''
      },
      { onProgress: ({ loaded, total }) => progress.push(loaded / total) }
    )
    const xhr = FakeXhr.last!
    expect(xhr.method).toBe('POST')
    expect(xhr.url).toBe('/api/admin/firmware')
    expect(xhr.body!.get('version')).toBe('1.3.0')
    expect(xhr.body!.has('notes')).toBe(false)
    expect((xhr.body!.get('file') as File).name).toBe('fw.bin')
    xhr.progress(50, 100)
    xhr.progress(100, 100)
    const created = firmware(3, '1.3.0')
    server = [created, ...server]
    xhr.answer(201, { ok: true, firmware: created })
    await expect(pending).resolves.toMatchObject({ version: '1.3.0' })
    expect(progress).toEqual([0.5, 1])
    expect(store.list[0]!.version).toBe('1.3.0')
  })

  test("the server's refusal comes back as an ApiError with its message and field", async () => {
    vi.stubGlobal('XMLHttpRequest', FakeXhr)
    const store = useFirmwareStore()
    const pending = store.upload({ file: new Blob(['png']), fileName: 'foto.png' })
    FakeXhr.last!.answer(
      422,
      envelope('invalid-firmware', 'this is a PNG image, not ESP32 firmware', 'file')
    )
    await expect(pending).rejects.toMatchObject({
      status: 422,
      code: 'invalid-firmware',
      message: 'this is a PNG image, not ESP32 firmware',
      field: 'file'
    })

    const again = store.upload({ file: new Blob(['x']), fileName: 'big.bin' })
    FakeXhr.last!.answer(
      413,
      envelope('firmware-too-large', 'firmware is limited to 16 MiB', 'file')
    )
    await expect(again).rejects.toMatchObject({ status: 413, code: 'firmware-too-large' })
  })

  test('a lost session goes to login; a cancelled upload rejects as AbortError', async () => {
    vi.stubGlobal('XMLHttpRequest', FakeXhr)
    const lost = vi.fn()
    setUnauthorizedHandler(lost)
    const store = useFirmwareStore()
    const pending = store.upload({ file: new Blob(['x']), fileName: 'fw.bin' })
    FakeXhr.last!.answer(401, envelope('not-signed-in', 'sign in to use the admin API'))
    await expect(pending).rejects.toMatchObject({ status: 401 })
    expect(lost).toHaveBeenCalledTimes(1)
    setUnauthorizedHandler(undefined)

    const abort = new AbortController()
    const cancelled = store.upload(
      { file: new Blob(['x']), fileName: 'fw.bin' },
      { signal: abort.signal }
    )
    abort.abort()
    await expect(cancelled).rejects.toMatchObject({ name: 'AbortError' })
  })
})
