// @vitest-environment jsdom
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import { ApiError, setUnauthorizedHandler } from '../../src/renderer/src/api/client'
import type { SettingsView } from '../../src/renderer/src/api/types'
import { useSessionStore } from '../../src/renderer/src/stores/session'
import { reachableAddresses, useSettingsStore } from '../../src/renderer/src/stores/settings'
import { envelope, fakeApi } from './fakes'

beforeEach(() => setActivePinia(createPinia()))
afterEach(() => {
  vi.unstubAllGlobals()
  setUnauthorizedHandler(undefined)
})

// Cast: the settings view grows fields for other features that this dashboard code ignores.
const view = (fields: Partial<SettingsView['settings']> = {}): SettingsView =>
  ({
    ok: true,
    settings: {
      offline_after_s: 180,
      port: 8000,
      host: '0.0.0.0',
      ...fields
    } as SettingsView['settings'],
    overridden_by: {},
    device_api_key: 'k'.repeat(24),
    server: { version: '0.1.0', port: 8000, addresses: ['192.168.1.20'], data_dir: '/data' },
    restart_required: false
  }) as SettingsView

describe('session store', () => {
  test('a wrong password is an error to show, not a lost session', async () => {
    const lost = vi.fn()
    setUnauthorizedHandler(lost)
    const { calls } = fakeApi((call) =>
      (call.body as { password: string }).password === 'right'
        ? { body: { ok: true } }
        : {
            status: 401,
            body: envelope('wrong-password', 'the password is not correct', 'password')
          }
    )
    const session = useSessionStore()
    await expect(session.login('wrong')).rejects.toMatchObject({
      code: 'wrong-password',
      message: 'the password is not correct'
    })
    expect(lost).not.toHaveBeenCalled()
    expect(session.signedIn).toBeNull()
    await session.login('right')
    expect(session.signedIn).toBe(true)
    expect(calls[0]).toMatchObject({ method: 'POST', body: { password: 'wrong' } })
  })

  test('check asks the server; a lost session is remembered as expired', async () => {
    fakeApi(() => ({ body: { ok: true, signed_in: true } }))
    const session = useSessionStore()
    expect(await session.check()).toBe(true)
    session.markSignedOut()
    expect(session.signedIn).toBe(false)
    expect(session.expired).toBe(true)
  })

  test('rate limiting (429) comes through with its message', async () => {
    fakeApi(() => ({
      status: 429,
      body: envelope('too-many-attempts', 'too many failed sign-ins; try again in 900 s')
    }))
    await expect(useSessionStore().login('x')).rejects.toMatchObject({
      status: 429,
      message: 'too many failed sign-ins; try again in 900 s'
    })
  })
})

describe('settings store', () => {
  test('loads, saves a patch, and keeps the old view when the server refuses', async () => {
    const { calls } = fakeApi((call) => {
      if (call.method === 'GET') return { body: view() }
      const patch = call.body as { offline_after_s: number }
      return patch.offline_after_s < 30
        ? {
            status: 422,
            body: envelope(
              'validation-failed',
              'offline_after_s: Too small: expected number to be >=30',
              'offline_after_s'
            )
          }
        : { body: view(patch) }
    })
    const settings = useSettingsStore()
    await settings.ensureLoaded()
    await settings.ensureLoaded()
    expect(calls).toHaveLength(1)
    expect(settings.view?.settings.offline_after_s).toBe(180)

    const error = await settings.save({ offline_after_s: 10 }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ApiError)
    expect((error as ApiError).field).toBe('offline_after_s')
    expect(settings.view?.settings.offline_after_s).toBe(180)

    await settings.save({ offline_after_s: 60 })
    expect(settings.view?.settings.offline_after_s).toBe(60)
    expect(calls.at(-1)).toMatchObject({ method: 'PATCH', body: { offline_after_s: 60 } })
  })

  test('a failed load is kept in loadError', async () => {
    fakeApi(() => ({ status: 500, body: envelope('internal-error', 'internal error') }))
    const settings = useSettingsStore()
    await settings.load()
    expect(settings.loadError?.message).toBe('internal error')
    expect(settings.view).toBeNull()
  })

  test('changePassword sends both passwords and surfaces the 403', async () => {
    const { calls } = fakeApi(() => ({
      status: 403,
      body: envelope('wrong-password', 'the current password is not correct', 'current_password')
    }))
    await expect(useSettingsStore().changePassword('old', 'new password')).rejects.toMatchObject({
      field: 'current_password'
    })
    expect(calls[0]).toMatchObject({
      method: 'POST',
      body: { current_password: 'old', new_password: 'new password' }
    })
  })

  test('reachableAddresses puts the LAN host this page came from first, never loopback', () => {
    expect(reachableAddresses(view(), '192.168.1.30')).toEqual(['192.168.1.30', '192.168.1.20'])
    expect(reachableAddresses(view(), '192.168.1.20')).toEqual(['192.168.1.20'])
    expect(reachableAddresses(view(), '127.0.0.1')).toEqual(['192.168.1.20'])
    expect(reachableAddresses(view(), 'localhost')).toEqual(['192.168.1.20'])
  })
})
