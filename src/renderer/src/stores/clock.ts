import { defineStore } from 'pinia'
import { ref } from 'vue'

/** One shared ticking "now" so every "hace 12 s" on screen advances together, once a second. */
export const useClockStore = defineStore('clock', () => {
  const now = ref(Date.now())
  let timer: ReturnType<typeof setInterval> | undefined

  return {
    now,
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
