import { watch, type Ref } from 'vue'
import { useRoute, useRouter } from 'vue-router'
import { useDevicesStore } from '../stores/devices'

/**
 * With no device in the URL, a one-device view opens the first one (most homes have one or two).
 * `replace`, so Back does not return to the empty choice.
 */
export function useFirstDevice(routeName: 'adherence' | 'schedules', selected: Ref<string>): void {
  const route = useRoute()
  const router = useRouter()
  const devices = useDevicesStore()
  watch(
    () => [selected.value, devices.list.length] as const,
    ([id, count]) => {
      if (!id && count > 0 && route.name === routeName)
        void router.replace({ name: routeName, query: { device: devices.list[0]!.device_id } })
    },
    { immediate: true }
  )
}
