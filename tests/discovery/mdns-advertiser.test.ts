import { afterEach, describe, expect, it } from 'vitest'
import { createLogger, silentSink } from '../../src/main/core/lib/logger'
import {
  MdnsAdvertiser,
  mdnsHostName,
  type MdnsAdvertiserOptions
} from '../../src/main/core/discovery/mdns-advertiser'
import { NAMESPACE_PROBLEM, WatchingBrowser, addTestInterface, suiteTitle } from './mdns-harness'

const quiet = createLogger('test', silentSink)

describe.skipIf(!!NAMESPACE_PROBLEM)(
  suiteTitle('MdnsAdvertiser on a real multicast socket'),
  () => {
    const advertisers: MdnsAdvertiser[] = []
    const browsers: WatchingBrowser[] = []
    const cleanups: Array<() => void> = []

    const advertise = async (options: Partial<MdnsAdvertiserOptions> = {}) => {
      const a = new MdnsAdvertiser({
        port: 4321,
        instanceId: 'test-instance-0001',
        version: '9.9.9',
        log: quiet,
        ...options
      })
      advertisers.push(a)
      await a.start()
      return a
    }
    const browse = () => {
      const b = new WatchingBrowser()
      browsers.push(b)
      return b
    }

    afterEach(async () => {
      for (const c of cleanups.splice(0)) c()
      await Promise.all(advertisers.splice(0).map((a) => a.stop()))
      await Promise.all(browsers.splice(0).map((b) => b.close()))
    })

    it('is found by a browser with its port, a .local host and the TXT records', async () => {
      const browser = browse()
      const a = await advertise({ port: 4321 })
      expect(a.name).toBe('Pastillero')

      const found = await browser.up('Pastillero')
      expect(found.type).toBe('pastillero')
      expect(found.protocol).toBe('tcp')
      expect(found.port).toBe(4321)
      expect(found.host).toBe(mdnsHostName())
      expect(found.host).toMatch(/^[A-Za-z0-9-]+\.local$/)
      expect(found.txt).toEqual({
        path: '/api',
        api: '1',
        version: '9.9.9',
        id: 'test-instance-0001'
      })
    })

    it('a second and third advertiser with the same name take "(2)" and "(3)"', async () => {
      const browser = browse()
      const first = await advertise({ port: 5001, instanceId: 'first-0001' })
      const second = await advertise({ port: 5002, instanceId: 'second-0002' })
      const third = await advertise({ port: 5003, instanceId: 'third-0003' })
      expect([first.name, second.name, third.name]).toEqual([
        'Pastillero',
        'Pastillero (2)',
        'Pastillero (3)'
      ])

      // All three stay visible, each with its own port: bonjour-service alone would have left the
      // second and third unpublished (it only logs the conflict).
      const ports = await Promise.all(
        ['Pastillero', 'Pastillero (2)', 'Pastillero (3)'].map((n) =>
          browser.up(n).then((s) => s.port)
        )
      )
      expect(ports).toEqual([5001, 5002, 5003])
    })

    it('a custom base name conflicts on its own', async () => {
      const a = await advertise({ name: 'Casa' })
      const b = await advertise({ name: 'Casa', port: 4322 })
      expect([a.name, b.name]).toEqual(['Casa', 'Casa (2)'])
    })

    it('stop() sends a goodbye that removes it from the browser at once', async () => {
      const browser = browse()
      const a = await advertise()
      await browser.up('Pastillero')
      const started = Date.now()
      await a.stop()
      expect(a.name).toBeUndefined()
      await browser.down('Pastillero', { timeoutMs: 3000 })
      // Far sooner than the records' TTL (120 s): it was the goodbye, not an expiry.
      expect(Date.now() - started).toBeLessThan(3000)
    })

    it('re-announces when network interfaces change, with the new address and the same name', async () => {
      const browser = browse()
      const a = await advertise({ interfacePollMs: 200 })
      const first = await browser.up('Pastillero')
      expect(first.addresses ?? []).not.toContain('10.99.0.1')
      let published = 0
      a.on('published', () => published++)

      const mark = browser.events.length
      cleanups.push(addTestInterface('pst0', '10.99.0.1/24'))
      // The goodbye for the old records, then an announcement carrying the new A record.
      await browser.down('Pastillero', { from: mark })
      const again = await browser.waitFor(
        (e) =>
          e.kind === 'up' &&
          e.service.name === 'Pastillero' &&
          (e.service.addresses ?? []).includes('10.99.0.1'),
        { from: mark, what: 'an announcement with 10.99.0.1' }
      )
      expect(again.service.port).toBe(4321)
      expect(published).toBeGreaterThanOrEqual(1)
      // Its own goodbye, looping back during the new probe, must not look like a conflict.
      expect(a.name).toBe('Pastillero')
    })

    it('refuses a port it could not advertise', () => {
      expect(() => new MdnsAdvertiser({ port: 0, instanceId: 'x', version: '1' })).toThrow(
        /real TCP port/
      )
    })
  }
)
