import { ref, type Ref } from 'vue'
import type { ApiError } from '../api/client'

export interface TrackOptions {
  /** Starts a new generation: the answers of fetches started before are dropped. */
  supersede?: boolean
  /**
   * A follow-up fetch in the current generation (the next page, a quiet refresh): it toggles this
   * flag instead of `loading` (none with `null`) and leaves `loaded` and `loadedAt` alone.
   */
  flag?: Ref<boolean> | null
  /** Called with the error too, when the fetch fails and is still current. */
  onError?: (err: ApiError) => void
}

/**
 * What a store keeps about fetching one thing: loaded, loading, the last error and when it last
 * loaded, and the one way to run a fetch and record its outcome (`track`). A generation counter
 * drops an answer that arrives after `reset()` (on sign-out, on another device), after
 * `invalidate()`, or, with `supersede`, after a newer fetch started.
 */
export function useLoadState() {
  const loaded = ref(false)
  const loading = ref(false)
  const loadError = ref<ApiError | null>(null)
  /** When the last successful load landed (ms since epoch), for "updated …". */
  const loadedAt = ref<number | null>(null)
  let generation = 0

  /**
   * Fetches and hands the answer to `apply` (awaited when it returns a promise), unless it has
   * gone stale meanwhile. Never rejects on a failed fetch: the error lands in loadError.
   */
  async function track<T>(
    fetch: () => Promise<T>,
    apply: (value: T) => unknown,
    { supersede = false, flag, onError }: TrackOptions = {}
  ): Promise<void> {
    const gen = supersede ? ++generation : generation
    const busy = flag === undefined ? loading : flag
    if (busy) busy.value = true
    try {
      const value = await fetch()
      if (gen !== generation) return
      await apply(value)
      if (gen !== generation) return
      if (flag === undefined) {
        loaded.value = true
        loadedAt.value = Date.now()
      }
      loadError.value = null
    } catch (err) {
      if (gen === generation) {
        loadError.value = err as ApiError
        onError?.(err as ApiError)
      }
    } finally {
      if (busy && gen === generation) busy.value = false
    }
  }

  /** A token for work outside `track` (a save): `isCurrent(token)` is false once it went stale. */
  function token(): number {
    return generation
  }

  function isCurrent(t: number): boolean {
    return t === generation
  }

  /** Every fetch in flight goes stale; the flags stay as they are. */
  function invalidate(): void {
    generation++
  }

  /** Back to "never loaded"; every fetch in flight goes stale. */
  function reset(): void {
    generation++
    loaded.value = false
    loading.value = false
    loadError.value = null
    loadedAt.value = null
  }

  return { loaded, loading, loadError, loadedAt, track, token, isCurrent, invalidate, reset }
}
