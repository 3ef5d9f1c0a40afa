import { useI18n } from 'vue-i18n'
import type { DeviceView } from '../api/types'
import { useConfirmStore } from '../stores/confirm'
import { displayName, useDevicesStore } from '../stores/devices'
import { useToastsStore } from '../stores/toasts'

/** Ask, then queue a reboot; any API error becomes a toast with the server's message. */
export function useRebootAction() {
  const { t } = useI18n()
  const confirmStore = useConfirmStore()
  const devices = useDevicesStore()
  const toasts = useToastsStore()

  return async function requestReboot(device: DeviceView): Promise<void> {
    const name = displayName(device)
    const ok = await confirmStore.confirm({
      title: t('devices.rebootTitle', { name }),
      message: t('devices.rebootMessage'),
      confirmLabel: t('devices.rebootConfirm')
    })
    if (!ok) return
    try {
      await devices.reboot(device.device_id)
      toasts.info(t('devices.rebootRequested', { name }))
    } catch (err) {
      toasts.error(t('devices.rebootFailed'), err)
    }
  }
}
