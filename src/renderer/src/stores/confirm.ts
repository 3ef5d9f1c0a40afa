import { defineStore } from 'pinia'
import { ref } from 'vue'

export interface ConfirmRequest {
  title: string
  message: string
  confirmLabel: string
  danger?: boolean
}

/**
 * One app-wide confirmation dialog: `await confirm({...})` resolves true or false. The dialog
 * itself (ConfirmDialog.vue, a native <dialog>) lives once in App.vue.
 */
export const useConfirmStore = defineStore('confirm', () => {
  const request = ref<ConfirmRequest | null>(null)
  let resolver: ((ok: boolean) => void) | undefined

  function confirm(next: ConfirmRequest): Promise<boolean> {
    resolver?.(false)
    request.value = next
    return new Promise((resolve) => (resolver = resolve))
  }

  function answer(ok: boolean): void {
    const resolve = resolver
    resolver = undefined
    request.value = null
    resolve?.(ok)
  }

  return { request, confirm, answer }
})
