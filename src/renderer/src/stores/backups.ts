import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { ApiError } from '../api/client'
import { systemApi, type BackupInfo, type RestartResponse } from '../api/system'
import type { UploadOptions } from '../api/upload'

/**
 * Backups on the server (daily automatic ones plus "back up now"), restore, and importing an
 * exported archive. Restore and import answer 202 and the server restarts: `restarting` is then
 * set and the page waits for the server to come back (see lib/restart.ts).
 */
export const useBackupsStore = defineStore('backups', () => {
  const list = ref<BackupInfo[]>([])
  const loaded = ref(false)
  const loading = ref(false)
  const loadError = ref<ApiError | null>(null)
  /** The server's message once a restore or import was accepted. */
  const restarting = ref<string | null>(null)
  let generation = 0

  async function load(): Promise<void> {
    const gen = ++generation
    loading.value = true
    try {
      const { backups } = await systemApi.backups()
      if (gen !== generation) return
      list.value = backups
      loaded.value = true
      loadError.value = null
    } catch (err) {
      if (gen === generation) loadError.value = err as ApiError
    } finally {
      if (gen === generation) loading.value = false
    }
  }

  async function backupNow(): Promise<BackupInfo> {
    const { backup } = await systemApi.backupNow()
    list.value = [backup, ...list.value.filter((b) => b.name !== backup.name)].sort((a, b) =>
      b.created_at.localeCompare(a.created_at)
    )
    return backup
  }

  async function restore(name: string): Promise<RestartResponse> {
    const answer = await systemApi.restoreBackup(name)
    restarting.value = answer.message
    return answer
  }

  async function importArchive(file: File, options: UploadOptions = {}): Promise<RestartResponse> {
    const answer = await systemApi.importArchive(file, options)
    restarting.value = answer.message
    return answer
  }

  function reset(): void {
    generation++
    list.value = []
    loaded.value = false
    loading.value = false
    loadError.value = null
    restarting.value = null
  }

  return {
    list,
    loaded,
    loading,
    loadError,
    restarting,
    load,
    backupNow,
    restore,
    importArchive,
    reset
  }
})
