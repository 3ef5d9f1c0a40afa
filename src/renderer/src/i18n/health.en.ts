import type healthEs from './health.es'

/** English strings of a device's health (merged into en.ts). */
const healthEn: typeof healthEs = {
  health: {
    title: 'Device health',
    none: 'This firmware does not report its health (chip, signal, memory).',
    chip: 'Chip',
    schedule: 'Schedule applied',
    scheduleVersion: 'version {version}',
    scheduleNone: 'none yet',
    signal: 'Wi-Fi signal',
    signalValue: '{quality} ({dbm})',
    quality: {
      excellent: 'excellent',
      good: 'good',
      fair: 'fair',
      weak: 'weak',
      none: 'no signal'
    },
    memory: 'Free memory',
    uptime: 'Up for',
    resetReason: 'Last start',
    reasons: {
      poweron: 'when plugged in',
      software: 'restart requested',
      panic: 'after a program crash',
      watchdog: 'after it hung (watchdog)',
      brownout: 'after a power dip',
      deepsleep: 'waking from sleep',
      external: 'with the reset button',
      ota: 'after installing an update',
      rollback: 'went back to the previous version',
      other: 'reason “{reason}”'
    }
  }
}

export default healthEn
