import { createScheduleContext, type ScheduleServiceDeps } from './schedule-context'
import { createScheduleDeviceSide } from './schedule-device-side'
import { createScheduleEditing } from './schedule-editing'
import { createScheduleOutcomes } from './schedule-outcomes'
import { createScheduleReports } from './schedule-reports'

export { MAX_RANGE_DAYS, type ScheduleServiceDeps } from './schedule-context'
export type { DueMissedAlarm } from './schedule-outcomes'

export type ScheduleService = ReturnType<typeof createScheduleService>

/**
 * Medication schedules (versioned per device), dose outcomes and adherence, as one service
 * composed of its parts: editing (schedule-editing.ts), outcomes (schedule-outcomes.ts),
 * adherence reports (schedule-reports.ts) and the dispensers' side (schedule-device-side.ts),
 * sharing the clock, zone history and views of schedule-context.ts.
 */
export function createScheduleService(deps: ScheduleServiceDeps) {
  const ctx = createScheduleContext(deps)
  const outcomes = createScheduleOutcomes(ctx)
  return {
    /** The clock in use (tests inject one). */
    now: (): number => ctx.clock(),
    /** A removed device's schedule went with it (ON DELETE CASCADE): its heartbeats say so. */
    deviceRemoved: (deviceId: string): void => ctx.forgetVersion(deviceId),
    ...createScheduleDeviceSide(ctx),
    ...createScheduleEditing(ctx),
    ...outcomes.api,
    ...createScheduleReports(ctx, outcomes)
  }
}
