import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import type { ApiError } from '../api/client'
import { firmwareApi, type FirmwareUpload, type ReleaseChange } from '../api/firmware'
import type { FirmwareView } from '../api/types'
import type { UploadOptions } from '../api/upload'
import { coalesced } from '../lib/coalesce'
import { useDevicesStore } from './devices'

/** How the release of a firmware reads for people: everyone, some devices, or a percentage. */
export type ReleaseTarget = FirmwareView['release']['target']

/**
 * The uploaded firmware and its releases. The server announces every change as
 * `firmware.updated` (no payload), so the list is refetched then, one request at a time.
 */
export const useFirmwareStore = defineStore('firmware', () => {
  const list = shallowRef<FirmwareView[]>([])
  const loaded = ref(false)
  const loading = ref(false)
  const loadError = ref<ApiError | null>(null)
  let generation = 0

  const refresh = coalesced(async () => {
    const gen = generation
    loading.value = true
    try {
      const { firmware } = await firmwareApi.list()
      if (gen !== generation) return
      list.value = firmware
      loaded.value = true
      loadError.value = null
    } catch (err) {
      if (gen === generation) loadError.value = err as ApiError
    } finally {
      if (gen === generation) loading.value = false
    }
  })

  /** Stream said the list changed (or the stream reopened): refetch only if anyone looked. */
  function refreshIfLoaded(): void {
    if (loaded.value || loading.value) void refresh()
  }

  function replace(fw: FirmwareView): void {
    const at = list.value.findIndex((f) => f.id === fw.id)
    if (at === -1) list.value = [fw, ...list.value]
    else list.value = list.value.map((f) => (f.id === fw.id ? fw : f))
  }

  /** Uploads one image; rejects with the server's error (422, 409, 413…) untouched. */
  async function upload(input: FirmwareUpload, options: UploadOptions = {}): Promise<FirmwareView> {
    const { firmware } = await firmwareApi.upload(input, options)
    replace(firmware)
    // The server sorts by version; take its order (the stream asks for the same).
    void refresh()
    return firmware
  }

  async function release(id: number, change: ReleaseChange): Promise<FirmwareView> {
    const { firmware } = await firmwareApi.release(id, change)
    replace(firmware)
    return firmware
  }

  async function remove(id: number): Promise<void> {
    await firmwareApi.remove(id)
    list.value = list.value.filter((f) => f.id !== id)
  }

  /** Clears a failed update on a device so its version is offered again. */
  async function retryOta(deviceId: string): Promise<void> {
    const { device } = await firmwareApi.retryOta(deviceId)
    useDevicesStore().apply({ name: 'device.updated', data: device })
  }

  function reset(): void {
    generation++
    list.value = []
    loaded.value = false
    loading.value = false
    loadError.value = null
  }

  return {
    list,
    loaded,
    loading,
    loadError,
    load: refresh,
    refreshIfLoaded,
    upload,
    release,
    remove,
    retryOta,
    reset
  }
})
