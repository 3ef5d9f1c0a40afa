import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { deviceTrustApi, type AdoptionView } from '../api/device-trust'
import { coalesced } from '../lib/coalesce'
import { useLoadState } from './load-state'

/**
 * "Accept new dispensers", the dispensers waiting to be adopted and the short-key warning.
 * `adoption.updated` on the stream asks for a refetch; `changes` counts those messages so a
 * device page can refetch its token state too.
 */
export const useAdoptionStore = defineStore('adoption', () => {
  const view = ref<AdoptionView | null>(null)
  const changes = ref(0)
  const { loaded, loading, loadError, track, reset: resetLoad } = useLoadState()

  const refresh = coalesced(() =>
    track(
      () => deviceTrustApi.adoption(),
      (next) => (view.value = next)
    )
  )

  function onUpdated(): void {
    changes.value++
    if (loaded.value || loading.value) void refresh()
  }

  const pending = computed(() => view.value?.pending ?? [])

  async function setOpen(open: boolean): Promise<void> {
    view.value = await deviceTrustApi.setAdoption(open)
  }

  async function adopt(id: string): Promise<void> {
    view.value = await deviceTrustApi.adopt(id)
  }

  async function dismiss(id: string): Promise<void> {
    view.value = await deviceTrustApi.dismiss(id)
  }

  function reset(): void {
    resetLoad()
    view.value = null
  }

  return {
    view,
    pending,
    changes,
    loaded,
    loading,
    loadError,
    load: refresh,
    onUpdated,
    setOpen,
    adopt,
    dismiss,
    reset
  }
})
