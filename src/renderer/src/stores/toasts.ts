import { defineStore } from 'pinia'
import { ref } from 'vue'
import { ApiError } from '../api/client'
import { i18n } from '../i18n'

export type ToastKind = 'error' | 'success' | 'info'

export interface Toast {
  id: number
  kind: ToastKind
  title: string
  detail?: string
}

/**
 * Parameters some messages take, read from the server's English message (the envelope has no
 * separate fields for them). Missing values leave the sentence still readable.
 */
function errorParams(err: ApiError): Record<string, string> {
  if (err.code === 'version-exists')
    return { version: /version (\S+)/.exec(err.message)?.[1] ?? '' }
  if (err.code === 'rate-limited')
    return { seconds: /retry in (\d+)/.exec(err.message)?.[1] ?? '…' }
  return {}
}

/**
 * What to tell a person about an error, in the chosen language: every server error code maps to
 * an i18n message (i18n/errors.*.ts); a code this dashboard does not know shows a generic
 * sentence with the code. The server's English message is for API clients and never shown.
 */
export function errorDetail(err: unknown): string {
  const { t, te } = i18n.global
  if (err instanceof ApiError) {
    // The same code can mean a different sentence per field (the password being changed).
    const byField = err.field ? `errors.${err.code}--${err.field}` : ''
    const key = byField && te(byField) ? byField : `errors.${err.code}`
    return te(key) ? t(key, errorParams(err)) : t('errors.unknownCode', { code: err.code })
  }
  if (err instanceof Error && err.message) return err.message
  return t('errors.unknown')
}

/** Kept for callers that showed a summary above the server's message: now the same sentence. */
export function errorSummary(err: unknown): string | undefined {
  return err instanceof ApiError ? errorDetail(err) : undefined
}

const MAX_TOASTS = 3
const TIMEOUTS: Record<ToastKind, number> = { error: 10_000, success: 4000, info: 6000 }

export const useToastsStore = defineStore('toasts', () => {
  const toasts = ref<Toast[]>([])
  let nextId = 1
  const timers = new Map<number, ReturnType<typeof setTimeout>>()

  function dismiss(id: number): void {
    toasts.value = toasts.value.filter((t) => t.id !== id)
    const timer = timers.get(id)
    if (timer) clearTimeout(timer)
    timers.delete(id)
  }

  function push(kind: ToastKind, title: string, detail?: string): number {
    // The same message again (a retried action, a repeating failure) is one toast, kept longer.
    const same = toasts.value.find(
      (t) => t.kind === kind && t.title === title && t.detail === detail
    )
    if (same) {
      clearTimeout(timers.get(same.id))
      timers.set(
        same.id,
        setTimeout(() => dismiss(same.id), TIMEOUTS[kind])
      )
      return same.id
    }
    const id = nextId++
    // A few at most: older ones go, so toasts never pile up over the page.
    for (const old of toasts.value.slice(0, Math.max(0, toasts.value.length - (MAX_TOASTS - 1))))
      dismiss(old.id)
    toasts.value = [...toasts.value, { id, kind, title, detail }]
    timers.set(
      id,
      setTimeout(() => dismiss(id), TIMEOUTS[kind])
    )
    return id
  }

  return {
    toasts,
    push,
    dismiss,
    success: (title: string, detail?: string) => push('success', title, detail),
    info: (title: string, detail?: string) => push('info', title, detail),
    /** Every failed API call that a person started ends here (or in an inline message). */
    error: (title: string, err: unknown) => push('error', title, errorDetail(err)),
    clear(): void {
      for (const id of [...timers.keys()]) dismiss(id)
      toasts.value = []
    }
  }
})
