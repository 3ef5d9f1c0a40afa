/** Schedules: the device's own labels, and whether it has the schedule shown. */
export default {
  scheduleSync: {
    applied: 'The dispenser has the new schedule',
    pending: 'Pending: the dispenser does not have this schedule yet',
    labelsSent: 'Labels this dispenser has sent: {labels}'
  }
}
