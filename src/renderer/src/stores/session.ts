import { defineStore } from 'pinia'
import { ref } from 'vue'
import { adminApi } from '../api/admin'

/**
 * Whether this browser holds a valid admin session. The Electron window arrives already signed in
 * (the main process sets the cookie), so the app asks the server first and only then shows login.
 */
export const useSessionStore = defineStore('session', () => {
  /** null until the first check answers. */
  const signedIn = ref<boolean | null>(null)
  /** True when a signed-in session was lost (a 401), so login can say why it is back. */
  const expired = ref(false)

  async function check(): Promise<boolean> {
    const { signed_in } = await adminApi.session()
    signedIn.value = signed_in
    return signed_in
  }

  async function login(password: string): Promise<void> {
    await adminApi.login(password)
    expired.value = false
    signedIn.value = true
  }

  async function logout(): Promise<void> {
    try {
      await adminApi.logout()
    } finally {
      signedIn.value = false
      expired.value = false
    }
  }

  function markSignedOut(): void {
    if (signedIn.value) expired.value = true
    signedIn.value = false
  }

  return { signedIn, expired, check, login, logout, markSignedOut }
})
