// @vitest-environment jsdom
import { mount } from '@vue/test-utils'
import { afterEach, describe, expect, it } from 'vitest'
import DeviceHealthFacts from '../../src/renderer/src/components/DeviceHealthFacts.vue'
import { i18n, setLocale } from '../../src/renderer/src/i18n'
import {
  formatBytes,
  formatUptime,
  resetReasonKey,
  signalQuality
} from '../../src/renderer/src/lib/device-health'
import { device } from './fakes'

afterEach(() => setLocale('es'))

const reporting = device('AA:BB:CC:DD:EE:01', {
  chip: 'ESP32',
  chip_model: 'ESP32-D0WD-V3',
  applied_schedule_version: 7,
  rssi: -58,
  free_heap: 182_344,
  uptime_s: 3 * 86400 + 4 * 3600 + 5 * 60,
  reset_reason: 'brownout'
})
const rowText = (wrapper: ReturnType<typeof mount>) =>
  wrapper.findAll('.facts__row').map((r) => `${r.find('dt').text()}: ${r.find('dd').text()}`)

describe('device health on the device page', () => {
  it('turns raw values into words in Spanish', () => {
    const wrapper = mount(DeviceHealthFacts, {
      props: { device: reporting },
      global: { plugins: [i18n] }
    })
    expect(rowText(wrapper)).toEqual([
      'Chip: ESP32-D0WD-V3',
      'Horario aplicado: versión 7',
      'Señal wifi: buena (\u221258 dBm)',
      'Memoria libre: 178 KB',
      expect.stringMatching(/^Encendido desde hace: 3 d.*4 h$/),
      'Último arranque: por una bajada de tensión'
    ])
  })

  it('and in English', () => {
    setLocale('en')
    const wrapper = mount(DeviceHealthFacts, {
      props: { device: { ...reporting, rssi: -75, reset_reason: 'task_wdt' } },
      global: { plugins: [i18n] }
    })
    const rows = rowText(wrapper)
    expect(rows).toContain('Wi-Fi signal: weak (\u221275 dBm)')
    expect(rows).toContain('Last start: after it hung (watchdog)')
    expect(rows).toContain('Schedule applied: version 7')
  })

  it('says so when the firmware reports none of it', () => {
    const wrapper = mount(DeviceHealthFacts, {
      props: { device: device('old', { chip: 'ESP32' }) },
      global: { plugins: [i18n] }
    })
    expect(wrapper.find('[data-testid=health-none]').text()).toMatch(/no informa/)
    expect(wrapper.find('[data-testid=device-health]').exists()).toBe(false)
  })

  it('word helpers', () => {
    expect([-40, -50, -51, -60, -61, -70, -71, 0].map(signalQuality)).toEqual([
      'excellent',
      'excellent',
      'good',
      'good',
      'fair',
      'fair',
      'weak',
      'none'
    ])
    expect(formatBytes(512, 'en')).toBe('512 B')
    expect(formatBytes(5 * 1024 * 1024 + 300 * 1024, 'en')).toBe('5.3 MB')
    expect(formatUptime(0, 'en')).toMatch(/^0 sec/)
    expect(formatUptime(125, 'en')).toMatch(/^2 min, 5 sec/)
    expect(formatUptime(86400 + 30, 'en')).toMatch(/^1 day$/)
    expect(
      ['ESP_RST_POWERON', 'sw', 'int_wdt', 'ext', 'rollback', 'weird'].map(resetReasonKey)
    ).toEqual(['poweron', 'software', 'watchdog', 'external', 'rollback', 'other'])
  })

  it('an unknown reset reason is shown as it came', () => {
    const wrapper = mount(DeviceHealthFacts, {
      props: { device: { ...reporting, reset_reason: 'cosmic_ray' } },
      global: { plugins: [i18n] }
    })
    expect(rowText(wrapper)).toContain('Último arranque: motivo «cosmic_ray»')
  })
})
