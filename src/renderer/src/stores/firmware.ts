import { defineStore } from 'pinia'
import { shallowRef } from 'vue'
import { firmwareApi, type FirmwareUpload, type ReleaseChange } from '../api/firmware'
import type { FirmwareView } from '../api/types'
import type { UploadOptions } from '../api/upload'
import { coalesced } from '../lib/coalesce'
import { useDevicesStore } from './devices'
import { useLoadState } from './load-state'

/** How the release of a firmware reads for people: everyone, some devices, or a percentage. */
export type ReleaseTarget = FirmwareView['release']['target']

/**
 * The uploaded firmware and its releases. The server announces every change as
 * `firmware.updated` (no payload), so the list is refetched then, one request at a time.
 */
export const useFirmwareStore = defineStore('firmware', () => {
  const list = shallowRef<FirmwareView[]>([])
  const { loaded, loading, loadError, track, reset: resetLoad } = useLoadState()

  const refresh = coalesced(() =>
    track(
      () => firmwareApi.list(),
      ({ firmware }) => (list.value = firmware)
    )
  )

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
    resetLoad()
    list.value = []
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
