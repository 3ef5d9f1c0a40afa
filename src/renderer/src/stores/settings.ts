import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { adminApi } from '../api/admin'
import { systemApi, type RotateKeyResponse } from '../api/system'
import type { EditableSettings, SettingsView } from '../api/types'
import { useLoadState } from './load-state'
import { useSessionStore } from './session'

const LOOPBACK = /^(localhost|127\.|\[?::1\]?$)/

/**
 * Addresses a dispenser could use to reach the server: the server's LAN addresses, plus the host
 * this page was opened on when that is not loopback (a phone on the LAN already found it).
 */
export function reachableAddresses(view: SettingsView, pageHost?: string): string[] {
  const list = [...view.server.addresses]
  if (pageHost && !LOOPBACK.test(pageHost) && !list.includes(pageHost)) list.unshift(pageHost)
  return list
}

export const useSettingsStore = defineStore('settings', () => {
  const view = ref<SettingsView | null>(null)
  const { loading, loadError, track, reset: resetLoad } = useLoadState()

  const addresses = computed(() =>
    view.value ? reachableAddresses(view.value, globalThis.location?.hostname) : []
  )

  async function load(): Promise<void> {
    await track(
      () => adminApi.getSettings(),
      (next) => (view.value = next)
    )
  }

  async function ensureLoaded(): Promise<void> {
    if (!view.value && !loading.value) await load()
  }

  /** Saves some editable settings; rejects with the API error, keeping the old view. */
  async function save(patch: Partial<EditableSettings>): Promise<SettingsView> {
    const next = await adminApi.patchSettings(patch)
    view.value = next
    if (patch.time_zone) useSessionStore().zoneChanged(next.settings.time_zone)
    return next
  }

  async function changePassword(current: string, next: string): Promise<void> {
    await adminApi.changePassword(current, next)
  }

  /** New device key; the old one keeps working for graceHours. The view is re-read after. */
  async function rotateDeviceKey(graceHours: number): Promise<RotateKeyResponse> {
    const rotated = await systemApi.rotateDeviceKey(graceHours)
    if (view.value) {
      view.value = {
        ...view.value,
        device_api_key: rotated.device_api_key,
        device_api_key_previous_until: rotated.previous_valid_until
      }
    }
    void load()
    return rotated
  }

  function reset(): void {
    resetLoad()
    view.value = null
  }

  return {
    view,
    loading,
    loadError,
    addresses,
    load,
    ensureLoaded,
    save,
    changePassword,
    rotateDeviceKey,
    reset
  }
})
