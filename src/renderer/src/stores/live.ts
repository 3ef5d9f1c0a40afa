import { defineStore } from 'pinia'
import { ref } from 'vue'
import { notifyUnauthorized } from '../api/client'
import { LiveStream, type EventSourceLike, type StreamState } from '../api/live-stream'
import type { StreamMessage } from '../api/types'
import { useAdherenceStore } from './adherence'
import { useAdoptionStore } from './adoption'
import { useAlertsStore } from './alerts'
import { useDevicesStore } from './devices'
import { useHistoryStore, useTimelineStore } from './event-feed'
import { useFirmwareStore } from './firmware'
import { useSessionStore } from './session'
import { useTelegramStore } from './telegram'
import { useTodayStore } from './today'

/**
 * Keeps the dashboard live: one EventSource on /api/admin/stream feeding the stores, and a refetch
 * on every (re)connection so nothing missed while disconnected stays missing.
 */
export const useLiveStore = defineStore('live', () => {
  const state = ref<StreamState>('idle')
  let stream: LiveStream | undefined

  function dispatch(message: StreamMessage): void {
    useDevicesStore().apply(message)
    useAlertsStore().apply(message)
    useTodayStore().apply(message)
    if (message.name === 'firmware.updated') useFirmwareStore().refreshIfLoaded()
    if (message.name === 'telegram.updated') useTelegramStore().refreshIfLoaded()
    if (message.name === 'adoption.updated') useAdoptionStore().onUpdated()
    const history = useHistoryStore()
    const timeline = useTimelineStore()
    if (message.name === 'event.created') {
      history.applyCreated(message.data)
      timeline.applyCreated(message.data)
      useAdherenceStore().applyEvent(message.data)
    } else if (message.name === 'device.removed') {
      history.removeDevice(message.data.device_id)
      timeline.removeDevice(message.data.device_id)
    }
  }

  function start(createEventSource?: (url: string) => EventSourceLike): void {
    if (stream) return
    stream = new LiveStream({
      createEventSource,
      onMessage: dispatch,
      onStateChange: (s) => (state.value = s),
      onOpen: (reconnected) => {
        // Subscribe first, then snapshot: the devices store queues messages during the fetch.
        void useDevicesStore().fetchAll()
        // The open-alert counts (navigation badge) on every open; the list when it is shown.
        void useAlertsStore().refresh()
        if (reconnected) {
          useFirmwareStore().refreshIfLoaded()
          useTelegramStore().refreshIfLoaded()
          useAdoptionStore().onUpdated()
          void useHistoryStore().refreshHead()
          void useTimelineStore().refreshHead()
          useAdherenceStore().resync()
          useTodayStore().resync()
        }
      },
      shouldReconnect: async () => {
        const signedIn = await useSessionStore().check()
        if (!signedIn) notifyUnauthorized()
        return signedIn
      }
    })
    stream.start()
    // Also fetch at once, so the page fills even if the stream is slow to open; the fetch on
    // open then closes the gap between this snapshot and the subscription.
    void useDevicesStore().fetchAll()
  }

  function stop(): void {
    stream?.stop()
    stream = undefined
    state.value = 'idle'
  }

  return { state, start, stop, dispatch }
})
