// Pure helpers of the advertiser: no sockets, so these run anywhere.
import { describe, expect, it } from 'vitest'
import {
  instanceName,
  interfaceFingerprint,
  mdnsHostName
} from '../../src/main/core/discovery/mdns-advertiser'
import { isLoopbackHost } from '../../src/main/core/discovery/core-discovery'

describe('mDNS names', () => {
  it('the host is the OS host name plus -pastillero.local, a name the OS responder does not own', () => {
    expect(mdnsHostName('salon')).toBe('salon-pastillero.local')
    expect(mdnsHostName('Johns-MacBook-Pro.local')).toBe('Johns-MacBook-Pro-pastillero.local')
    expect(mdnsHostName('box.lan')).toBe('box-pastillero.local')
    expect(mdnsHostName('PC de María_2')).toBe('PC-de-Mar-a-2-pastillero.local')
    expect(mdnsHostName('')).toBe('pastillero.local')
    const long = mdnsHostName('x'.repeat(80))
    expect(long.split('.')[0]!.length).toBe(63) // the DNS label limit
    expect(long).toMatch(/^x+-pastillero\.local$/)
  })

  it('conflicting names are numbered the way macOS and Avahi do it', () => {
    expect(instanceName('Pastillero', 1)).toBe('Pastillero')
    expect(instanceName('Pastillero', 2)).toBe('Pastillero (2)')
  })

  it('the interface fingerprint ignores loopback and order, and sees a new address', () => {
    const lo = { address: '127.0.0.1', family: 'IPv4', internal: true, mac: '00:00:00:00:00:00' }
    const eth = {
      address: '192.168.1.5',
      family: 'IPv4',
      internal: false,
      mac: 'aa:bb:cc:dd:ee:ff'
    }
    const wifi = { address: '10.0.0.7', family: 'IPv4', internal: false, mac: 'aa:bb:cc:dd:ee:00' }
    const a = interfaceFingerprint({ lo: [lo], eth0: [eth], wlan0: [wifi] } as never)
    const b = interfaceFingerprint({ wlan0: [wifi], eth0: [eth], lo: [lo] } as never)
    expect(a).toBe(b)
    expect(interfaceFingerprint({ lo: [lo] } as never)).toBe('')
    const moved = interfaceFingerprint({ eth0: [{ ...eth, address: '192.168.1.9' }] } as never)
    expect(moved).not.toBe(interfaceFingerprint({ eth0: [eth] } as never))
  })

  it('loopback listen addresses are not advertised', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]'])
      expect(isLoopbackHost(h)).toBe(true)
    for (const h of ['0.0.0.0', '::', '192.168.1.5', 'pastillero.local'])
      expect(isLoopbackHost(h)).toBe(false)
  })
})
