import type alertsEs from './alerts.es'

/** English strings of the Alerts view and the alert badges (merged into en.ts). */
const alertsEn: typeof alertsEs = {
  alerts: {
    title: 'Alerts',
    intro:
      'Warnings the server sends over Telegram: missed doses, offline dispensers, failed updates. Mark them seen once someone has taken care of them.',
    filters: 'Filters',
    show: 'Show',
    open: 'Unseen',
    all: 'All',
    device: 'Device',
    allDevices: 'All devices',
    empty: 'No alerts.',
    emptyOpen: 'No unseen alerts.',
    loadFailed: 'Could not load the alerts',
    loadMore: 'Load more',
    loadingMore: 'Loading…',
    end: 'No more alerts.',
    kinds: {
      missed_dose: 'Missed dose',
      dose_taken_late: 'Dose taken late',
      device_offline: 'Offline',
      device_online: 'Back online',
      ota_failed: 'Update failed',
      reboot_loop: 'Repeated reboots',
      schedule_missed: 'Alarm did not ring'
    },
    ack: 'Seen',
    ackLabel: 'Mark as seen: {text}',
    acking: 'Marking…',
    ackFailed: 'Could not mark the alert as seen',
    seenBy: 'Seen by {who}',
    unseen: 'Unseen',
    deliveries: 'Telegram deliveries',
    noDeliveries: 'Not sent over Telegram (no linked recipients).',
    recipient: 'Recipient',
    status: {
      pending: 'Pending',
      sent: 'Sent',
      failed: 'Failed'
    },
    attempts: '{count} attempt | {count} attempts',
    oneAttempt: '1 attempt',
    silent: 'silent (quiet hours)',
    lastError: 'Last error',
    badge: 'no unseen alerts | {count} unseen alert | {count} unseen alerts',
    deviceBadge: '{count} unseen alert | {count} unseen alerts'
  }
}

export default alertsEn
