import { ref, watch, type Ref } from 'vue'
import { adminApi } from '../api/admin'

/**
 * The alarm labels a dispenser has sent (alarm_label of its recent alarm and dose events), for a
 * label picker: the schedule's labels must match the device's to count doses, so typing them
 * blind invites mistakes. Newest first, distinct, from the last 500 events of those types.
 */
export function useDeviceLabels(deviceId: Ref<string>): Ref<string[]> {
  const labels = ref<string[]>([])
  watch(
    deviceId,
    async (id) => {
      labels.value = []
      if (!id) return
      try {
        const seen = new Set<string>()
        for (const type of ['alarm_triggered', 'dose_taken'] as const) {
          const page = await adminApi.listEvents({ device_id: id, type, limit: 250 })
          for (const e of page.events) {
            const label = e.payload?.alarm_label
            if (typeof label === 'string' && label.trim()) seen.add(label.trim())
          }
        }
        if (deviceId.value === id) labels.value = [...seen]
      } catch {
        // No list: the field still takes any label.
      }
    },
    { immediate: true }
  )
  return labels
}
