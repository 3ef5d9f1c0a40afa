import { ref } from 'vue'
import type { ApiError } from '../api/client'

/**
 * What a store that fetches one list or status keeps about the fetch: loaded, loading and the
 * last error. A generation counter drops an answer that arrives after `reset()` (on sign-out)
 * or, with `supersede`, after a newer fetch started.
 */
export function useLoadState() {
  const loaded = ref(false)
  const loading = ref(false)
  const loadError = ref<ApiError | null>(null)
  let generation = 0

  /** Fetches and hands the answer to `apply`, unless it has gone stale in the meantime. */
  async function track<T>(
    fetch: () => Promise<T>,
    apply: (value: T) => void,
    { supersede = false } = {}
  ): Promise<void> {
    const gen = supersede ? ++generation : generation
    loading.value = true
    try {
      const value = await fetch()
      if (gen !== generation) return
      apply(value)
      loaded.value = true
      loadError.value = null
    } catch (err) {
      if (gen === generation) loadError.value = err as ApiError
    } finally {
      if (gen === generation) loading.value = false
    }
  }

  /** Back to "never loaded"; every fetch in flight goes stale. */
  function reset(): void {
    generation++
    loaded.value = false
    loading.value = false
    loadError.value = null
  }

  return { loaded, loading, loadError, track, reset }
}
