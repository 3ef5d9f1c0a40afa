import { defineStore } from 'pinia'
import { computed, ref } from 'vue'

/** One shared ticking "now" so every "hace 12 s" on screen advances together, once a second. */
export const useClockStore = defineStore('clock', () => {
  const now = ref(Date.now())
  /** The current minute: a computed only notifies when its value changes, so once a minute. */
  const minute = computed(() => Math.floor(now.value / 60_000) * 60_000)
  let timer: ReturnType<typeof setInterval> | undefined

  return {
    now,
    minute,
    start(): void {
      if (timer) return
      now.value = Date.now()
      timer = setInterval(() => (now.value = Date.now()), 1000)
    },
    stop(): void {
      if (timer) clearInterval(timer)
      timer = undefined
    }
  }
})
