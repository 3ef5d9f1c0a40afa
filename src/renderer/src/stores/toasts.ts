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

/** A request field in words ("nombre"), else as the API names it. */
function fieldWord(field: string): string {
  const { t, te } = i18n.global
  const key = `serverErrors.fieldNames.${field}`
  return te(key) ? t(key) : field
}

/**
 * The error in the dashboard's language, from one map (i18n/server-errors.*): a sentence for the
 * code and field (`code--field`), else for the code, else a generic sentence naming the code.
 * The server's English `message` is for API users and never shown here (it stays in the console
 * through the failed request).
 */
export function errorDetail(err: unknown): string {
  const { t, te } = i18n.global
  if (err instanceof ApiError) {
    // The same code can mean a different sentence per field (the password being changed).
    const byField = err.field ? `serverErrors.${err.code}--${err.field}` : ''
    if (byField && te(byField)) return t(byField, errorParams(err))
    const key = `serverErrors.${err.code}`
    const sentence = te(key)
      ? t(key, errorParams(err))
      : t('serverErrors.unknownCode', { code: err.code })
    return err.field && err.code === 'validation-failed'
      ? t('serverErrors.field', { message: sentence, field: fieldWord(err.field) })
      : sentence
  }
  if (err instanceof Error && err.message) return err.message
  return t('serverErrors.unknown')
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
