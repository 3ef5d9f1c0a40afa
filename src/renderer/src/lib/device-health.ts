/**
 * Raw health figures a dispenser reports in its heartbeat, turned into words for the device page
 * (the numbers stay beside the words for whoever needs them).
 */

export type SignalQuality = 'excellent' | 'good' | 'fair' | 'weak' | 'none'

/**
 * Wi-Fi RSSI in dBm to a quality word. Thresholds as commonly used for 2.4 GHz: better than
 * −50 is excellent, −60 good, −70 fair (a dispenser still works), below that it drops out.
 * 0 is what the ESP32 reports when it is not associated.
 */
export function signalQuality(rssi: number): SignalQuality {
  if (rssi >= 0) return 'none'
  if (rssi >= -50) return 'excellent'
  if (rssi >= -60) return 'good'
  if (rssi >= -70) return 'fair'
  return 'weak'
}

/** "−58 dBm" with a real minus sign, as typography expects. */
export function formatDbm(rssi: number): string {
  return `${rssi < 0 ? '\u2212' : ''}${Math.abs(rssi)} dBm`
}

/** Bytes as KiB/MiB in the locale's digits ("182 KB"): heap sizes, so one decimal at most. */
export function formatBytes(bytes: number, locale: string): string {
  const units: Array<[string, number]> = [
    ['MB', 1024 * 1024],
    ['KB', 1024]
  ]
  for (const [unit, size] of units) {
    if (bytes >= size) {
      const value = bytes / size
      const digits = value < 10 ? 1 : 0
      return `${value.toLocaleString(locale, { maximumFractionDigits: digits })} ${unit}`
    }
  }
  return `${bytes.toLocaleString(locale)} B`
}

/** An uptime as its two largest units, in the locale: "3 d, 4 h" / "12 min". */
export function formatUptime(seconds: number, locale: string): string {
  const parts: Array<[Intl.NumberFormatOptions['unit'], number]> = [
    ['day', Math.floor(seconds / 86400)],
    ['hour', Math.floor((seconds % 86400) / 3600)],
    ['minute', Math.floor((seconds % 3600) / 60)],
    ['second', Math.floor(seconds % 60)]
  ]
  const first = parts.findIndex(([, n]) => n > 0)
  if (first < 0) return formatUnit(0, 'second', locale)
  return parts
    .slice(first, first + 2)
    .filter(([, n]) => n > 0)
    .map(([unit, n]) => formatUnit(n, unit!, locale))
    .join(', ')
}

function formatUnit(value: number, unit: string, locale: string): string {
  return new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'short' }).format(value)
}

export type ResetReasonKey =
  | 'poweron'
  | 'software'
  | 'panic'
  | 'watchdog'
  | 'brownout'
  | 'deepsleep'
  | 'external'
  | 'ota'
  | 'rollback'
  | 'other'

/**
 * The firmware sends ESP-IDF's esp_reset_reason_t in words (poweron, software, panic, int_wdt,
 * task_wdt, wdt, brownout, deepsleep, ext…) or its own (ota, rollback); spellings vary, so this
 * is forgiving, and anything else is shown as it came.
 */
export function resetReasonKey(reason: string): ResetReasonKey {
  const r = reason.toLowerCase().replace(/^esp_rst_/, '')
  if (r === 'poweron' || r === 'power_on') return 'poweron'
  if (r === 'software' || r === 'sw') return 'software'
  if (r === 'panic') return 'panic'
  if (/wdt|watchdog/.test(r)) return 'watchdog'
  if (r === 'brownout') return 'brownout'
  if (r === 'deepsleep' || r === 'deep_sleep') return 'deepsleep'
  if (r === 'ext' || r === 'external') return 'external'
  if (r === 'ota') return 'ota'
  if (r === 'rollback') return 'rollback'
  return 'other'
}
