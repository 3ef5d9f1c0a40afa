// @vitest-environment jsdom
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import type { TelegramStatus } from '../../src/renderer/src/api/types'
import { useBackupsStore } from '../../src/renderer/src/stores/backups'
import { useSettingsStore } from '../../src/renderer/src/stores/settings'
import { useTelegramStore } from '../../src/renderer/src/stores/telegram'
import { telegramStatus } from './admin-fixtures'
import { envelope, fakeApi, flush, type Call } from './fakes'

beforeEach(() => setActivePinia(createPinia()))
afterEach(() => vi.unstubAllGlobals())

describe('telegram store', () => {
  let status: TelegramStatus
  function core(call: Call) {
    const path = call.url.pathname
    if (path === '/api/admin/telegram' && call.method === 'GET') return { body: status }
    if (path === '/api/admin/telegram' && call.method === 'PATCH') {
      const token = (call.body as { bot_token: string | null }).bot_token
      if (token === 'bad')
        return {
          status: 422,
          body: envelope(
            'validation-failed',
            'bot_token: is not a bot token like 123456:ABC-DEF… (from @BotFather)',
            'bot_token'
          )
        }
      status = telegramStatus({
        state: token ? 'starting' : 'disabled',
        token_source: token ? 'setting' : 'none',
        bot_username: null
      })
      return { body: status }
    }
    if (path === '/api/admin/telegram/link-code')
      return { body: { ok: true, link_code: 'NEWCODE9' } }
    if (path === '/api/admin/telegram/test')
      // Some recipients failed: the core says ok: false next to the results.
      return {
        body: {
          ok: false,
          results: [
            { chat_id: '1', ok: true },
            { chat_id: '2', ok: false, error: '403 Forbidden: bot was blocked by the user' }
          ]
        }
      }
    const recipient = /^\/api\/admin\/telegram\/recipients\/(.+)$/.exec(path)
    if (recipient && call.method === 'DELETE') {
      status = {
        ...status,
        recipients: status.recipients.filter((r) => r.chat_id !== recipient[1])
      }
      return { body: status }
    }
    return { status: 404, body: envelope('not-found', `no route for ${call.method} ${path}`) }
  }

  beforeEach(() => {
    status = telegramStatus({
      recipients: [
        { chat_id: '1', name: 'Ana', source: 'linked', linked_at: '2026-01-10T10:00:00.000Z' },
        { chat_id: '2', name: 'Luis', source: 'linked', linked_at: '2026-01-10T10:00:00.000Z' }
      ]
    })
  })

  test('loads; a stream update refetches only once loaded', async () => {
    const { calls } = fakeApi(core)
    const telegram = useTelegramStore()
    telegram.refreshIfLoaded()
    await flush()
    expect(calls).toHaveLength(0)
    await telegram.load()
    expect(telegram.status?.link_code).toBe('ABCD2345')
    status = { ...status, state: 'conflict', message: 'another program is polling this bot token' }
    telegram.refreshIfLoaded()
    await flush()
    expect(telegram.status?.state).toBe('conflict')
  })

  test('a test message reports every recipient, even when some failed', async () => {
    fakeApi(core)
    const telegram = useTelegramStore()
    await telegram.load()
    const results = await telegram.sendTest()
    expect(results.map((r) => r.ok)).toEqual([true, false])
    expect(telegram.testResults?.[1]?.error).toBe('403 Forbidden: bot was blocked by the user')
    await telegram.removeRecipient('2')
    expect(telegram.status?.recipients.map((r) => r.name)).toEqual(['Ana'])
    expect(telegram.testResults?.map((r) => r.chat_id)).toEqual(['1'])
  })

  test('token, link code; a refused token keeps the old status', async () => {
    const { calls } = fakeApi(core)
    const telegram = useTelegramStore()
    await telegram.load()
    await expect(telegram.setToken('bad')).rejects.toMatchObject({ field: 'bot_token' })
    expect(telegram.status?.state).toBe('ok')
    await telegram.setToken('123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ')
    expect(telegram.status).toMatchObject({ state: 'starting', token_source: 'setting' })
    await telegram.setToken(null)
    expect(calls.at(-1)).toMatchObject({ method: 'PATCH', body: { bot_token: null } })
    expect(telegram.status?.state).toBe('disabled')
    expect(await telegram.newLinkCode()).toBe('NEWCODE9')
    expect(telegram.status?.link_code).toBe('NEWCODE9')
  })
})

describe('backups store', () => {
  const backup = (name: string, created_at: string, kind: 'auto' | 'manual' = 'auto') => ({
    name,
    kind,
    size: 1000,
    created_at
  })

  test('lists, backs up now (newest first), restores and imports with a restart message', async () => {
    const { calls } = fakeApi((call) => {
      const path = call.url.pathname
      if (path === '/api/admin/backups' && call.method === 'GET')
        return { body: { ok: true, backups: [backup('a.db', '2026-01-09T03:00:00.000Z')] } }
      if (path === '/api/admin/backups' && call.method === 'POST')
        return {
          status: 201,
          body: { ok: true, backup: backup('m.db', '2026-01-10T12:00:00.000Z', 'manual') }
        }
      if (path === '/api/admin/backups/a.db/restore')
        return {
          status: 202,
          body: { ok: true, restart_required: true, message: 'restoring: Pastillero restarts' }
        }
      return { status: 404, body: envelope('backup-not-found', 'no backup named x.db') }
    })
    const backups = useBackupsStore()
    await backups.load()
    expect(backups.list.map((b) => b.name)).toEqual(['a.db'])
    await backups.backupNow()
    expect(backups.list.map((b) => b.name)).toEqual(['m.db', 'a.db'])
    expect(backups.restarting).toBeNull()
    await backups.restore('a.db')
    expect(backups.restarting).toBe('restoring: Pastillero restarts')
    expect(calls.at(-1)).toMatchObject({ method: 'POST' })
    await expect(backups.restore('x.db')).rejects.toMatchObject({ code: 'backup-not-found' })
  })
})

describe('device key rotation (settings store)', () => {
  test('the new key and the old key’s deadline show at once, then the view is re-read', async () => {
    let key = 'old-key-0123456789'
    const view = () => ({
      ok: true,
      settings: { offline_after_s: 180 },
      overridden_by: {},
      device_api_key: key,
      device_api_key_previous_until:
        key === 'old-key-0123456789' ? null : '2026-01-11T10:00:00.000Z',
      device_api_key_from_env: false,
      server: {
        version: '0.1.0',
        port: 8000,
        addresses: [],
        mdns_name: null,
        host: '0.0.0.0',
        loopback_only: false,
        data_dir: '/d'
      },
      restart_required: false
    })
    const { calls } = fakeApi((call) => {
      if (call.url.pathname === '/api/admin/device-key/rotate') {
        key = 'new-key-9876543210'
        return {
          body: {
            ok: true,
            device_api_key: key,
            previous_valid_until: '2026-01-11T10:00:00.000Z'
          }
        }
      }
      return { body: view() }
    })
    const settings = useSettingsStore()
    await settings.load()
    const rotated = await settings.rotateDeviceKey(24)
    expect(rotated.device_api_key).toBe('new-key-9876543210')
    expect(settings.view?.device_api_key).toBe('new-key-9876543210')
    expect(settings.view?.device_api_key_previous_until).toBe('2026-01-11T10:00:00.000Z')
    expect(calls.find((c) => c.url.pathname === '/api/admin/device-key/rotate')?.body).toEqual({
      grace_hours: 24
    })
    await flush()
    expect(calls.at(-1)!.url.pathname).toBe('/api/admin/settings')
  })
})
