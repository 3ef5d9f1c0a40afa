import { afterEach, describe, expect, it } from 'vitest'
import { APP_VERSION } from '../../src/main/core/lib/version'
import { startTestCore, type TestCore } from '../helpers/test-core'
import { NAMESPACE_PROBLEM, WatchingBrowser, sleep, suiteTitle } from './mdns-harness'

describe.skipIf(!!NAMESPACE_PROBLEM)(suiteTitle('a real core with discovery on'), () => {
  const cores: TestCore[] = []
  const browsers: WatchingBrowser[] = []
  // 0.0.0.0 is reachable only inside this test's private namespace.
  const start = async (overrides: Parameters<typeof startTestCore>[0] = {}) => {
    const c = await startTestCore({ discovery: true, flags: { host: '0.0.0.0' }, ...overrides })
    cores.push(c)
    return c
  }
  const browse = () => {
    const b = new WatchingBrowser()
    browsers.push(b)
    return b
  }

  afterEach(async () => {
    await Promise.all(cores.splice(0).map((c) => c.dispose()))
    await Promise.all(browsers.splice(0).map((b) => b.close()))
  })

  it('advertises its port and a stable instance id, and says goodbye on stop()', async () => {
    const browser = browse()
    const t = await start()
    expect(t.core.discoveryName()).toBe('Pastillero')

    const found = await browser.up('Pastillero')
    expect(found.port).toBe(t.info.port)
    expect(found.host).toMatch(/\.local$/)
    const id = t.core.db
      .prepare("SELECT value FROM settings WHERE key = 'instance_id'")
      .pluck()
      .get() as string
    expect(found.txt).toEqual({ path: '/api', api: '1', version: APP_VERSION, id: JSON.parse(id) })

    // The advertised port really is this core's API.
    const health = await fetch(`http://127.0.0.1:${found.port}${found.txt.path}/health`)
    expect(health.status).toBe(200)

    await t.stop()
    expect(t.core.discoveryName()).toBeUndefined()
    await browser.down('Pastillero', { timeoutMs: 3000 })
  })

  it('keeps the same instance id across restarts', async () => {
    const browser = browse()
    const first = await start()
    const id1 = (await browser.up('Pastillero')).txt.id
    await first.stop()
    await browser.down('Pastillero')

    const mark = browser.events.length
    const second = await start({ dataDir: first.dataDir })
    const id2 = (await browser.up('Pastillero', { from: mark })).txt.id
    expect(id2).toBe(id1)
    await second.stop()
  })

  it('two cores on one network get distinct names', async () => {
    const a = await start()
    const b = await start()
    expect(a.core.discoveryName()).toBe('Pastillero')
    expect(b.core.discoveryName()).toBe('Pastillero (2)')
  })

  it('does not advertise when the setting mdns_enabled is false', async () => {
    const first = await start()
    first.core.db
      .prepare(
        "INSERT INTO settings (key, value, updated_at) VALUES ('mdns_enabled', 'false', '2025-01-01T00:00:00.000Z')"
      )
      .run()
    await first.stop()

    const browser = browse()
    const t = await start({ dataDir: first.dataDir })
    expect(t.core.discoveryName()).toBeUndefined()
    browser.query()
    await sleep(1500)
    expect(browser.events).toEqual([])
  })

  it('does not advertise an address no dispenser could reach (loopback only)', async () => {
    const browser = browse()
    const t = await start({ flags: { host: '127.0.0.1' } })
    expect(t.core.discoveryName()).toBeUndefined()
    await sleep(1500)
    expect(browser.events).toEqual([])
  })

  it('is off unless asked for, so other test suites never multicast', async () => {
    const browser = browse()
    const t = await startTestCore({ flags: { host: '0.0.0.0' } })
    cores.push(t)
    expect(t.core.discoveryName()).toBeUndefined()
    await sleep(1500)
    expect(browser.events).toEqual([])
  })
})
