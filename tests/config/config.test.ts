import { describe, expect, it } from 'vitest'
import { ConfigError, defaultHeadlessDataDir, resolveConfig } from '../../src/main/core/config'

const defaults = { dataDir: '/tmp/default-data' }

describe('config layering', () => {
  it('uses the defaults: port 8000 and 0.0.0.0 as the seed', () => {
    const { config, sources } = resolveConfig({ defaults })
    expect(config).toMatchObject({
      port: 8000,
      host: '0.0.0.0',
      dataDir: '/tmp/default-data',
      offlineAfterS: 180
    })
    expect(config.apiKey).toBeUndefined()
    expect(sources.port).toBe('default')
  })

  it('defaults < DB settings < environment < CLI flags', () => {
    const settings = { port: 8100, host: '127.0.0.1', offline_after_s: 300 }
    expect(resolveConfig({ defaults, settings }).config).toMatchObject({
      port: 8100,
      host: '127.0.0.1',
      offlineAfterS: 300
    })
    const env = { PASTILLERO_PORT: '8200', PASTILLERO_DATA_DIR: '/srv/p' }
    expect(resolveConfig({ defaults, settings, env }).config).toMatchObject({
      port: 8200,
      host: '127.0.0.1',
      dataDir: '/srv/p'
    })
    const flags = { port: '8300', dataDir: '/mnt/p' }
    const { config, sources } = resolveConfig({ defaults, settings, env, flags })
    expect(config).toMatchObject({ port: 8300, dataDir: '/mnt/p', host: '127.0.0.1' })
    expect(sources).toMatchObject({
      port: '--port',
      dataDir: '--data-dir',
      host: 'setting host',
      offlineAfterS: 'setting offline_after_s'
    })
  })

  it('reads the seed variables API_SECRET_KEY and ADMIN_PASSWORD', () => {
    const { config } = resolveConfig({
      defaults,
      env: { API_SECRET_KEY: 'k'.repeat(20), ADMIN_PASSWORD: 'hunter2hunter2' }
    })
    expect(config.apiKey).toBe('k'.repeat(20))
    expect(config.adminPassword).toBe('hunter2hunter2')
  })

  it.each([
    [
      { env: { PASTILLERO_PORT: 'abc' } },
      /^PASTILLERO_PORT: must be a whole number from 0 to 65535 \(got "abc"\)$/
    ],
    [{ env: { PASTILLERO_PORT: '70000' } }, /^PASTILLERO_PORT: /],
    [{ flags: { port: '-1' } }, /^--port: /],
    [{ env: { PASTILLERO_HOST: '   ' } }, /^PASTILLERO_HOST: must not be empty/],
    [{ env: { API_SECRET_KEY: 'k'.repeat(129) } }, /^API_SECRET_KEY: must be at most 128/],
    [
      { env: { API_SECRET_KEY: 'has a space in it!!' } },
      /^API_SECRET_KEY: may only contain printable ASCII/
    ],
    [{ env: { ADMIN_PASSWORD: '1234' } }, /^ADMIN_PASSWORD: must be at least 8/],
    [{ env: { PASTILLERO_OFFLINE_AFTER_S: '5' } }, /^PASTILLERO_OFFLINE_AFTER_S: /],
    [{ settings: { port: 'x' } }, /^setting port: /]
  ])('an invalid value is one ConfigError naming its source: %j', (layers, message) => {
    expect(() => resolveConfig({ defaults, ...layers })).toThrow(ConfigError)
    expect(() => resolveConfig({ defaults, ...layers })).toThrow(message)
  })

  it('never echoes a secret in the error', () => {
    try {
      resolveConfig({ defaults, env: { API_SECRET_KEY: 'secret with spaces' } })
      expect.unreachable()
    } catch (err) {
      expect((err as Error).message).not.toContain('secret with')
    }
  })

  it('accepts a short seed-era API_SECRET_KEY (the core warns about it instead)', () => {
    expect(resolveConfig({ defaults, env: { API_SECRET_KEY: 'tu-clave' } }).config.apiKey).toBe(
      'tu-clave'
    )
  })

  it('an empty environment variable counts as unset', () => {
    expect(resolveConfig({ defaults, env: { PASTILLERO_PORT: '' } }).config.port).toBe(8000)
  })

  it('picks the per-user data dir of each OS for headless runs', () => {
    expect(defaultHeadlessDataDir({ XDG_DATA_HOME: '/x' }, 'linux')).toBe('/x/pastillero')
    expect(defaultHeadlessDataDir({ APPDATA: 'C:\\Users\\a\\AppData\\Roaming' }, 'win32')).toMatch(
      /Pastillero$/
    )
    expect(defaultHeadlessDataDir({}, 'darwin')).toMatch(
      /Library\/Application Support\/Pastillero$/
    )
  })
})
