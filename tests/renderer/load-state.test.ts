import { ref } from 'vue'
import { describe, expect, test } from 'vitest'
import { ApiError } from '../../src/renderer/src/api/client'
import { useLoadState } from '../../src/renderer/src/stores/load-state'

/** useLoadState: the loading / error / loaded-at bookkeeping every fetching store shares. */

/** A fetch the test settles by hand. */
function deferred<T>() {
  let resolve!: (value: T) => void
  let reject!: (err: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

const apiError = (code: string) => new ApiError(500, code, code)

describe('useLoadState', () => {
  test('records a fetch: loading while it runs, then loaded, when, and no error', async () => {
    const s = useLoadState()
    const answer = deferred<string[]>()
    let applied: string[] = []
    const before = Date.now()
    const done = s.track(
      () => answer.promise,
      (v) => (applied = v)
    )
    expect(s.loading.value).toBe(true)
    expect(s.loaded.value).toBe(false)
    answer.resolve(['a'])
    await done
    expect(applied).toEqual(['a'])
    expect(s.loading.value).toBe(false)
    expect(s.loaded.value).toBe(true)
    expect(s.loadedAt.value).toBeGreaterThanOrEqual(before)
    expect(s.loadError.value).toBeNull()
  })

  test('a failure is kept in loadError (never thrown), and the next success clears it', async () => {
    const s = useLoadState()
    const seen: ApiError[] = []
    await s.track(
      () => Promise.reject(apiError('boom')),
      () => {
        throw new Error('apply must not run on a failure')
      },
      { onError: (err) => seen.push(err) }
    )
    expect(s.loadError.value?.code).toBe('boom')
    expect(seen.map((e) => e.code)).toEqual(['boom'])
    expect(s.loaded.value).toBe(false)
    expect(s.loading.value).toBe(false)
    expect(s.loadedAt.value).toBeNull()

    await s.track(
      () => Promise.resolve(1),
      () => {}
    )
    expect(s.loadError.value).toBeNull()
    expect(s.loaded.value).toBe(true)
  })

  test('with supersede, an older answer arriving last is dropped, and loading follows the newest', async () => {
    const s = useLoadState()
    const older = deferred<string>()
    const newer = deferred<string>()
    const applied: string[] = []
    const first = s.track(
      () => older.promise,
      (v) => applied.push(v),
      { supersede: true }
    )
    const second = s.track(
      () => newer.promise,
      (v) => applied.push(v),
      { supersede: true }
    )
    newer.resolve('newer')
    await second
    expect(s.loading.value).toBe(false)
    older.resolve('older')
    await first
    expect(applied).toEqual(['newer'])

    // A stale failure is dropped too.
    const stale = deferred<string>()
    const third = s.track(
      () => stale.promise,
      () => {},
      { supersede: true }
    )
    const fourth = s.track(
      () => Promise.resolve('x'),
      () => {},
      { supersede: true }
    )
    await fourth
    stale.reject(apiError('late'))
    await third
    expect(s.loadError.value).toBeNull()
  })

  test('reset forgets everything and drops the fetch in flight', async () => {
    const s = useLoadState()
    await s.track(
      () => Promise.resolve(1),
      () => {}
    )
    const answer = deferred<number>()
    let applied = false
    const done = s.track(
      () => answer.promise,
      () => (applied = true)
    )
    s.reset()
    expect(s.loading.value).toBe(false)
    expect(s.loaded.value).toBe(false)
    expect(s.loadedAt.value).toBeNull()
    answer.resolve(2)
    await done
    expect(applied).toBe(false)
    expect(s.loaded.value).toBe(false)
    expect(s.loading.value).toBe(false)
  })

  test('a follow-up fetch (next page) uses its own flag, leaves loaded alone, and goes stale on invalidate', async () => {
    const s = useLoadState()
    const more = ref(false)
    const page = deferred<number[]>()
    const rows: number[] = []
    const next = s.track(
      () => page.promise,
      (v) => rows.push(...v),
      { flag: more }
    )
    expect(more.value).toBe(true)
    expect(s.loading.value).toBe(false)
    page.resolve([1, 2])
    await next
    expect(rows).toEqual([1, 2])
    expect(more.value).toBe(false)
    expect(s.loaded.value).toBe(false)

    const token = s.token()
    const late = deferred<number[]>()
    const pending = s.track(
      () => late.promise,
      (v) => rows.push(...v),
      { flag: null }
    )
    s.invalidate()
    expect(s.isCurrent(token)).toBe(false)
    late.resolve([3])
    await pending
    expect(rows).toEqual([1, 2])
  })
})
