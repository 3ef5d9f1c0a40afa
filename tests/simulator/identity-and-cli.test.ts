import { describe, expect, it } from 'vitest'
import { DEVICE_ID_PATTERN } from '../../src/shared/api-schemas'
import { deviceIdFor, identityFor, ipAddressFor } from '../../scripts/simulator/identity'
import { parseSimulateArgs, UsageError } from '../../scripts/simulator/cli-args'

describe('fleet identities', () => {
  it('are deterministic per seed, unique, and valid device ids', () => {
    const ids = Array.from({ length: 20_000 }, (_, i) => deviceIdFor(i, 'seed-a'))
    expect(new Set(ids).size).toBe(ids.length)
    for (const id of ids.slice(0, 100)) {
      expect(id).toMatch(/^24:6F:28(:[0-9A-F]{2}){3}$/)
      expect(id).toMatch(DEVICE_ID_PATTERN)
    }
    expect(deviceIdFor(7, 'seed-a')).toBe(ids[7])
    expect(deviceIdFor(7, 'seed-b')).not.toBe(ids[7])
    expect(deviceIdFor(0, 'x', 'aa:bb:cc')).toMatch(/^AA:BB:CC:/)
    expect(() => deviceIdFor(0, 'x', 'nope')).toThrow(/OUI/)
  })

  it('names pad to the fleet size and addresses are valid IPv4', () => {
    expect(identityFor(0, 5).name).toBe('Pastillero 001')
    expect(identityFor(41, 1500).name).toBe('Pastillero 0042')
    for (const i of [0, 249, 250, 63_499, 63_500, 1_000_000]) {
      const ip = ipAddressFor(i)
      const parts = ip.split('.').map(Number)
      expect(parts).toHaveLength(4)
      expect(parts.every((p) => Number.isInteger(p) && p >= 0 && p <= 255)).toBe(true)
    }
    expect(new Set(Array.from({ length: 70_000 }, (_, i) => ipAddressFor(i))).size).toBe(70_000)
  })
})

describe('simulate command line', () => {
  const parse = (...argv: string[]) => parseSimulateArgs(argv, {})

  it('has defaults and converts rate or interval to milliseconds', () => {
    expect(parse('--key', 'k')).toMatchObject({
      url: 'http://127.0.0.1:8000',
      devices: 10,
      intervalMs: 30_000,
      alarmsPerHour: 2,
      durationMs: undefined
    })
    expect(parse('--key', 'k', '--rate', '6').intervalMs).toBe(10_000)
    expect(parse('--key', 'k', '--interval', '2.5').intervalMs).toBe(2500)
    expect(parse('--key', 'k', '--duration', '3').durationMs).toBe(3000)
    expect(parseSimulateArgs([], { PASTILLERO_API_KEY: 'from-env' }).key).toBe('from-env')
    expect(parse('--help').help).toBe(true)
  })

  it.each([
    [['--key', 'k', '--frobnicate'], 'unknown flag --frobnicate (see --help)'],
    [['--key', 'k', 'stray'], 'unexpected argument "stray" (flags start with --; see --help)'],
    [['--key', 'k', '--devices'], '--devices needs a value'],
    [['--key', 'k', '--help=yes'], '--help does not take a value'],
    [
      ['--key', 'k', '--devices', '2.5'],
      '--devices must be a whole number ≥ 1 and ≤ 100000, got "2.5"'
    ],
    [['--key', 'k', '--rate', '0'], '--rate must be a number > 0 and ≤ 6000, got "0"'],
    [
      ['--key', 'k', '--rate', '1', '--interval', '1'],
      'give either --rate or --interval, not both'
    ],
    [['--key', 'k', '--miss-rate', '1.5'], '--miss-rate must be a number ≥ 0 and ≤ 1, got "1.5"'],
    [
      ['--key', 'k', '--url', 'ftp://x'],
      '--url must start with http:// or https://, got "ftp://x"'
    ],
    [['--devices', '3'], '--key is required (or set PASTILLERO_API_KEY); see --help']
  ])('%j is refused with one clear line', (argv, message) => {
    expect(() => parse(...argv)).toThrow(new UsageError(message))
  })
})
