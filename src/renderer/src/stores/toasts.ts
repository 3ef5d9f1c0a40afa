import { defineStore } from 'pinia'
import { ref } from 'vue'
import { ApiError, CLIENT_ERROR_CODES } from '../api/client'
import { i18n } from '../i18n'

export type ToastKind = 'error' | 'success' | 'info'

export interface Toast {
  id: number
  kind: ToastKind
  title: string
  detail?: string
}

/**
 * What to tell a person about an error: the server's envelope message for API errors, a local
 * sentence for failures that never reached the server.
 */
/** A request field in words ("nombre"), else as the API names it. */
function fieldWord(field: string): string {
  const { t, te } = i18n.global
  const key = `serverErrors.fieldNames.${field}`
  return te(key) ? t(key) : field
}

/**
 * The error in the dashboard's language: every server code maps to a sentence (errors.* or
 * serverErrors.*); an unknown code reads by HTTP status. The server's English `message` is for
 * API users and never shown here (it stays in the console through the failed request).
 */
export function errorDetail(err: unknown): string {
  const { t, te } = i18n.global
  if (err instanceof ApiError) {
    for (const key of [`errors.${err.code}`, `serverErrors.${err.code}`])
      if (te(key))
        return err.code === 'validation-failed' && err.field
          ? t('serverErrors.field', { message: t(key), field: fieldWord(err.field) })
          : t(key)
    if ((CLIENT_ERROR_CODES as readonly string[]).includes(err.code)) return t('errors.unknown')
    const generic = t(err.status >= 500 ? 'serverErrors.http-5xx' : 'serverErrors.http-4xx')
    return err.field
      ? t('serverErrors.field', { message: generic, field: fieldWord(err.field) })
      : generic
  }
  if (err instanceof Error && err.message) return err.message
  return t('errors.unknown')
}

/** A short local sentence for a known error code, shown above the server's own message. */
export function errorSummary(err: unknown): string | undefined {
  const { t, te } = i18n.global
  if (!(err instanceof ApiError)) return undefined
  for (const key of [`errors.${err.code}`, `serverErrors.${err.code}`]) if (te(key)) return t(key)
  return undefined
}

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
    const id = nextId++
    toasts.value = [...toasts.value.slice(-4), { id, kind, title, detail }]
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
