import { computed, type ComputedRef } from 'vue'
import { useDevicesStore } from '../stores/devices'

export interface DeviceOption {
  id: string
  label: string
}

/**
 * The devices a select offers: every known one by name, plus the chosen id when it is not (or
 * no longer) known, so the select still shows what the URL asks for.
 */
export function useDeviceOptions(chosen: () => string): ComputedRef<DeviceOption[]> {
  const devices = useDevicesStore()
  return computed(() => {
    const options = devices.list.map((d) => ({
      id: d.device_id,
      label: devices.nameOf(d.device_id) ?? d.device_id
    }))
    const id = chosen()
    if (id && !devices.get(id)) options.push({ id, label: id })
    return options
  })
}
