import { describe, expect, test } from 'vitest'
import { isLoopbackHost } from '../../src/main/core/discovery/core-discovery'
import { screenshotFits, SimDevice, useE2E, WIDTHS } from './helpers'

/**
 * The setup card cannot mislead: this core listens on 127.0.0.1 (as every test core does), so
 * no dispenser could ever connect, and both places that give the address say so and how to fix it.
 */
const e2e = useE2E()

describe('setup card', () => {
  test('loopback only: the empty state and the settings card warn, with the fix', async () => {
    for (const [size, viewport] of Object.entries(WIDTHS)) {
      const { page } = await e2e.open({ viewport })
      await page.goto('/devices')
      const warning = page.getByTestId('loopback-warning')
      await warning.waitFor()
      const text = await warning.textContent()
      expect(text).toContain('Los pastilleros no pueden conectarse a este servidor')
      expect(text).toContain('127.0.0.1')
      expect(text).toContain('--host 0.0.0.0')
      expect(text).toContain('PASTILLERO_HOST=0.0.0.0')
      await screenshotFits(page, `setup-empty-loopback-${size}`)
      await e2e.finish()
    }
  })

  test('settings: mDNS name, an Arduino fragment with discovery and fallback, the curl test', async () => {
    await new SimDevice(e2e.core, 'AA:BB:CC:00:99:01', { name: 'Pastillero Cocina' }).heartbeat()
    for (const [size, viewport] of Object.entries(WIDTHS)) {
      const { page } = await e2e.open({ viewport })
      await page.goto('/settings')
      const card = page.getByRole('region', { name: 'Conectar un pastillero' })
      await card.waitFor()
      await card.getByTestId('loopback-warning').waitFor()
      const mdns = await card.getByText('Nombre en la red (mDNS)').locator('..').textContent()
      expect(mdns).toMatch(/_pastillero\._tcp/)
      await card.getByText('Para tu propio programa de Arduino').click()
      const arduino = (await card.getByTestId('arduino-snippet').textContent())!
      expect(arduino).toContain('MDNS.queryService("pastillero", "tcp")')
      expect(arduino).toContain('MDNS.address(i)')
      expect(arduino).toMatch(/PASTILLERO_FALLBACK = "http:\/\/[^"]+:\d+"/)
      expect(arduino).toContain('return PASTILLERO_FALLBACK;')
      expect(arduino).not.toContain(e2e.core.deviceKey) // masked on screen, copied in full
      await card.getByText('Probar la conexión desde otro equipo').click()
      const curl = (await card.getByTestId('curl-test').textContent())!
      expect(curl).toMatch(/^curl -X POST 'http:\/\/[^']+\/api\/devices\/heartbeat'/)
      await screenshotFits(page, `setup-settings-${size}`)
      await e2e.finish()
    }
  })

  test('which listen addresses count as loopback only', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]', 'LOCALHOST'])
      expect(isLoopbackHost(h), h).toBe(true)
    for (const h of ['0.0.0.0', '::', '192.168.1.10', 'fe80::1', '10.127.0.1'])
      expect(isLoopbackHost(h), h).toBe(false)
  })
})
