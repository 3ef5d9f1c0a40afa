import { describe, expect, test } from 'vitest'
import {
  addMonths,
  dateInZone,
  formatDelay,
  formatPct,
  formatZonedTime,
  isMonth,
  monthGrid,
  monthsBetween,
  safeZone,
  zoneOffsetLabel
} from '../../src/renderer/src/lib/dose-format'

describe('dose formatting', () => {
  test('percentages in the locale, null as a dash', () => {
    expect(formatPct(83.3, 'es')).toBe('83,3\u00a0%')
    expect(formatPct(100, 'en')).toBe('100%')
    expect(formatPct(null, 'es')).toBe('—')
    expect(formatPct(null, 'es', 'Sin datos')).toBe('Sin datos')
  })

  test('delays: minutes, hours, early, none', () => {
    expect(formatDelay(0, 'es')).toBe('0 min')
    expect(formatDelay(12 * 60 + 20, 'es')).toBe('+12 min')
    expect(formatDelay(-180, 'es')).toBe('−3 min')
    // In words where the page gives them: "1 min antes", never "Retraso −1 min".
    expect(formatDelay(-60, 'es', '—', (d) => `${d} antes`)).toBe('1 min antes')
    expect(formatDelay(60, 'es', '—', (d) => `${d} antes`)).toBe('+1 min')
    expect(formatDelay(90 * 60, 'es')).toBe('+1 h 30 min')
    expect(formatDelay(125 * 60, 'en')).toBe('+2 h 05 min')
    expect(formatDelay(null, 'es')).toBe('—')
  })

  test('instants on the family clock, whatever the browser zone', () => {
    const iso = '2026-03-29T00:30:00.000Z'
    expect(formatZonedTime(iso, 'Europe/Madrid', 'es')).toBe('1:30')
    expect(formatZonedTime(iso, 'America/Santiago', 'es')).toBe('21:30')
    expect(dateInZone(Date.parse(iso), 'America/Santiago')).toBe('2026-03-28')
    expect(safeZone('Not/AZone')).toBe('UTC')
    expect(zoneOffsetLabel('UTC')).toBe('UTC+00:00')
    expect(zoneOffsetLabel('Europe/Madrid', Date.parse('2026-07-01T12:00:00Z'))).toBe('UTC+02:00')
  })

  test('months: arithmetic, validity, the range a period covers', () => {
    expect(addMonths('2026-01', -1)).toBe('2025-12')
    expect(addMonths('2026-12', 1)).toBe('2027-01')
    expect(isMonth('2026-13')).toBe(false)
    expect(isMonth('2026-02')).toBe(true)
    expect(monthsBetween('2026-11-20', '2027-01-05')).toEqual(['2026-11', '2026-12', '2027-01'])
  })

  test('a month grid starts on Monday and pads both ends', () => {
    // November 2026 starts on a Sunday and has 30 days.
    const weeks = monthGrid('2026-11')
    expect(weeks[0]).toEqual([null, null, null, null, null, null, '2026-11-01'])
    expect(weeks.at(-1)).toEqual(['2026-11-30', null, null, null, null, null, null])
    expect(weeks.flat().filter(Boolean)).toHaveLength(30)
    // February 2027 starts on a Monday: four full weeks.
    expect(monthGrid('2027-02')).toHaveLength(4)
  })
})
