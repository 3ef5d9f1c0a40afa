import type { Migration } from './types'
import { initial } from './0001-initial'
import { firmware } from './0002-firmware'
import { alerts } from './0003-alerts'
import { schedules } from './0004-schedules'
import { deviceBlocking } from './0005-device-blocking'
import { historyIndex } from './0006-history-index'
import { deviceTelemetry } from './0007-device-telemetry'
import { deviceCredentials } from './0008-device-credentials'
import { accounts } from './0009-accounts'
import { familyView } from './0010-family-view'

/**
 * Every migration, in order. Imported statically (not read from disk) so the bundle and the
 * packaged app always carry them. To add one, see ./README.md.
 */
export const migrations: readonly Migration[] = [
  initial,
  firmware,
  alerts,
  schedules,
  deviceBlocking,
  historyIndex,
  deviceTelemetry,
  deviceCredentials,
  accounts,
  familyView
]
