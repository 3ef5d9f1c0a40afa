// @vitest-environment jsdom
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import { useAdoptionStore } from '../../src/renderer/src/stores/adoption'
import { useLiveStore } from '../../src/renderer/src/stores/live'
import { fakeApi } from './fakes'

beforeEach(() => setActivePinia(createPinia()))
afterEach(() => vi.unstubAllGlobals())

const view = (pending: string[], open_until: string | null = null) => ({
  ok: true,
  open_until,
  pending: pending.map((id) => ({
    device_id: id,
    name: null,
    firmware_version: null,
    ip_address: '192.168.1.9',
    first_seen: '2026-01-01T00:00:00.000Z',
    last_seen: '2026-01-01T00:00:00.000Z',
    attempts: 1
  })),
  device_key_short: false,
  device_key_rotatable: false
})

describe('adoption store', () => {
  test('adoption.updated on the stream refetches once loaded and counts the change', async () => {
    let pending = ['a']
    const api = fakeApi(() => ({ body: view(pending) }))
    const adoption = useAdoptionStore()
    // Not loaded yet: the message only counts (a device page refetches its token on it).
    useLiveStore().dispatch({ name: 'adoption.updated', data: {} })
    expect(api.calls).toHaveLength(0)
    expect(adoption.changes).toBe(1)

    await adoption.load()
    expect(adoption.pending.map((p) => p.device_id)).toEqual(['a'])
    pending = ['a', 'b']
    useLiveStore().dispatch({ name: 'adoption.updated', data: {} })
    await vi.waitFor(() => expect(adoption.pending.map((p) => p.device_id)).toEqual(['a', 'b']))
    expect(adoption.changes).toBe(2)
  })

  test('adopt, dismiss and open call the API and take its answer', async () => {
    const api = fakeApi((call) => ({
      body: view([], call.method === 'PATCH' ? '2030-01-01T00:00:00.000Z' : null)
    }))
    const adoption = useAdoptionStore()
    await adoption.adopt('AA:BB')
    await adoption.dismiss('CC:DD')
    await adoption.setOpen(true)
    expect(api.calls.map((c) => `${c.method} ${c.url.pathname}`)).toEqual([
      'POST /api/admin/adoption/pending/AA%3ABB/adopt',
      'DELETE /api/admin/adoption/pending/CC%3ADD',
      'PATCH /api/admin/adoption'
    ])
    expect(api.calls[2]!.body).toEqual({ open: true })
    expect(adoption.view?.open_until).toBe('2030-01-01T00:00:00.000Z')
  })
})
