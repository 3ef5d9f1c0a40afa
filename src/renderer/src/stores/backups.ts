import { defineStore } from 'pinia'
import { ref } from 'vue'
import { systemApi, type BackupInfo, type RestartResponse } from '../api/system'
import type { UploadOptions } from '../api/upload'
import { useLoadState } from './load-state'

/**
 * Backups on the server (daily automatic ones plus "back up now"), restore, and importing an
 * exported archive. Restore and import answer 202 and the server restarts: `restarting` is then
 * set and the page waits for the server to come back (see lib/restart.ts).
 */
export const useBackupsStore = defineStore('backups', () => {
  const list = ref<BackupInfo[]>([])
  const { loaded, loading, loadError, track, reset: resetLoad } = useLoadState()
  /** The server's message once a restore or import was accepted. */
  const restarting = ref<string | null>(null)

  // Each load supersedes the one before: the list shown is the latest answer.
  function load(): Promise<void> {
    return track(
      () => systemApi.backups(),
      ({ backups }) => (list.value = backups),
      { supersede: true }
    )
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
    resetLoad()
    list.value = []
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
