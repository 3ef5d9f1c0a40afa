import {
  addDays,
  localDateOf,
  localTimeOf,
  localToUtc,
  parseClockTime,
  weekdayOf
} from '../../../shared/time-zone'

/** One alarm of one schedule version, as the dose planner needs it. */
export interface AlarmDef {
  alarm_id: number
  label: string
  time: string
  days_mask: number
  window_min: number
  compartment: number | null
  pill_count: number | null
}

/** A schedule version and the instants it was in force: [from, until). */
export interface VersionSpan {
  version: number
  from: number
  until: number | null
  alarms: AlarmDef[]
}

/** The family's time zone and when it was in force: [from, until). */
export interface ZoneSpan {
  zone: string
  from: number
  until: number | null
}

export interface ScheduledDose {
  schedule_alarm_id: number
  schedule_version: number
  label: string
  at: number
  window_ms: number
  compartment: number | null
  pill_count: number | null
}

/**
 * Every scheduled dose with `from <= at < to`. Each dose is expanded in the zone in force at its
 * own instant and under the version in force at that instant, so editing a schedule or moving
 * the family's zone never rewrites the doses before the change, and a 09:00 dose stays 09:00 on
 * the wall clock across DST changes.
 */
export function expandDoses(
  versions: readonly VersionSpan[],
  zones: readonly ZoneSpan[],
  from: number,
  to: number
): ScheduledDose[] {
  const doses: ScheduledDose[] = []
  for (const v of versions) {
    if (!v.alarms.length) continue
    for (const z of zones) {
      const start = Math.max(from, v.from, z.from)
      const end = Math.min(to, v.until ?? Infinity, z.until ?? Infinity)
      if (start >= end) continue
      // A day of margin either side: a zone's local date can be a day off the UTC one.
      const last = addDays(localDateOf(z.zone, end), 1)
      for (let date = addDays(localDateOf(z.zone, start), -1); date <= last;) {
        const bit = 1 << weekdayOf(date)
        for (const alarm of v.alarms) {
          if (!(alarm.days_mask & bit)) continue
          const at = localToUtc(z.zone, date, parseClockTime(alarm.time))
          if (at < start || at >= end) continue
          doses.push({
            schedule_alarm_id: alarm.alarm_id,
            schedule_version: v.version,
            label: alarm.label,
            at,
            window_ms: alarm.window_min * 60_000,
            compartment: alarm.compartment,
            pill_count: alarm.pill_count
          })
        }
        date = addDays(date, 1)
      }
    }
  }
  return doses.sort((a, b) => a.at - b.at || a.schedule_alarm_id - b.schedule_alarm_id)
}

/** The instants when a schedule with at least one alarm was in force. */
export function scheduledSpans(versions: readonly VersionSpan[]): Array<[number, number]> {
  return versions
    .filter((v) => v.alarms.length > 0)
    .map((v): [number, number] => [v.from, v.until ?? Infinity])
}

export function zoneAt(zones: readonly ZoneSpan[], ms: number): string {
  for (let i = zones.length - 1; i >= 0; i--) if (zones[i]!.from <= ms) return zones[i]!.zone
  return zones[0]?.zone ?? 'UTC'
}

/** The next instant at or after `from` when an alarm rings, in the given zone (within 8 days). */
export function nextOccurrence(alarm: AlarmDef, zone: string, from: number): number | null {
  const minute = parseClockTime(alarm.time)
  let date = addDays(localDateOf(zone, from), -1)
  for (let i = 0; i < 9; i++, date = addDays(date, 1)) {
    if (!(alarm.days_mask & (1 << weekdayOf(date)))) continue
    const at = localToUtc(zone, date, minute)
    if (at >= from) return at
  }
  return null
}

export interface Localized {
  local_date: string
  local_time: string
}

export function localize(zone: string, ms: number): Localized {
  return { local_date: localDateOf(zone, ms), local_time: localTimeOf(zone, ms) }
}
