/** Alert sentences built in the dashboard's language (lib/alert-text.ts). */
export default {
  alertText: {
    theDose: 'the dose',
    unscheduled: 'unscheduled ',
    takenAt: '✅ Taken at {time}',
    rangAt: '🔔 It did ring, at {time}',
    missed_dose: '{device}: {label} was not taken ({unscheduled}alarm {alarm})',
    dose_taken_late: '{device}: {label} taken at {taken} (alarm {alarm})',
    device_offline: '{device}: offline since {since}',
    device_online: '{device}: back online',
    ota_failed: '{device}: update to {version} failed{error}',
    reboot_loop: '{device}: restarted {count} times in 10 minutes',
    schedule_missed: '{device}: the {alarm} {label} alarm did not ring'
  }
}
