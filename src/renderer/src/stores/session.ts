import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { adminApi } from '../api/admin'
import type { SignedInAccount } from '../api/accounts'
import type { SessionResponse } from '../api/types'
import { setDisplayZone } from '../lib/time'

/**
 * Whether this browser holds a valid session, and whose. The Electron window arrives already
 * signed in (the main process sets the cookie), so the app asks the server first and only then
 * shows login.
 */
export const useSessionStore = defineStore('session', () => {
  /** null until the first check answers. */
  const signedIn = ref<boolean | null>(null)
  /** True when a signed-in session was lost (a 401), so login can say why it is back. */
  const expired = ref(false)
  /** The signed-in person (the server decides what they may do; this only hides what they may not). */
  const account = ref<SignedInAccount | null>(null)
  const isAdmin = computed(() => account.value?.role === 'admin')
  /** The family's zone and language: every time on screen is shown in this zone. */
  const family = ref<SessionResponse['family'] | null>(null)

  function setFamily(next: SessionResponse['family'] | null | undefined): void {
    family.value = next ?? null
    setDisplayZone(next?.time_zone)
  }

  async function check(): Promise<boolean> {
    const answer = await adminApi.session()
    signedIn.value = answer.signed_in
    account.value = answer.account ?? null
    setFamily(answer.family)
    return answer.signed_in
  }

  /** After the family zone was saved: the whole dashboard switches clock at once. */
  function zoneChanged(timeZone: string): void {
    if (family.value) setFamily({ ...family.value, time_zone: timeZone, zone_confirmed: true })
  }

  async function login(password: string, name?: string): Promise<void> {
    const answer = await adminApi.login(password, name)
    account.value = answer.account ?? null
    expired.value = false
    signedIn.value = true
    setFamily(answer.family)
  }

  async function logout(): Promise<void> {
    try {
      await adminApi.logout()
    } finally {
      signedIn.value = false
      expired.value = false
      account.value = null
    }
  }

  function markSignedOut(): void {
    if (signedIn.value) expired.value = true
    signedIn.value = false
    account.value = null
  }

  return {
    signedIn,
    expired,
    account,
    isAdmin,
    family,
    check,
    login,
    logout,
    markSignedOut,
    zoneChanged
  }
})
