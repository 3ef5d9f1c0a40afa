import type { DoseSource, DoseStatus } from '../../../shared/schedule-schemas'
import { DEFAULT_WINDOW_MIN, normalizeLabel } from '../../../shared/alarm-rules'
import type { ScheduledDose } from './doses'

/**
 * Dose outcomes: which scheduled doses were taken on time, late, missed, or cannot be known.
 * Pure: the same doses and events always give the same answer, so outcomes are computed on read
 * and an event uploaded late by a device that was offline corrects history by simply being there.
 */

export type DoseEventType = 'alarm_triggered' | 'alarm_ack' | 'dose_taken'

export interface DoseEvent {
  id: number
  type: DoseEventType
  /** payload.alarm_label as sent, if any. */
  label: string | null
  /** occurred_at: the device's own clock when plausible, else when it reached us. */
  at: number
}

export interface Outcome {
  source: DoseSource
  schedule_alarm_id: number | null
  schedule_version: number | null
  label: string | null
  at: number
  window_ms: number
  compartment: number | null
  pill_count: number | null
  status: DoseStatus
  alarm_at: number | null
  /** The first alarm_triggered event of this dose: missed-dose alerts are keyed by it. */
  alarm_event_id: number | null
  rings: number
  ack_at: number | null
  taken_at: number | null
  event_ids: number[]
}

export interface OutcomeInput {
  /** Sorted by time; should reach a day past both ends of the range asked about. */
  doses: readonly ScheduledDose[]
  /** Sorted by time, then id. */
  events: readonly DoseEvent[]
  /** When the device was heard from: presence intervals, and single instants as [t, t]. */
  sightings: ReadonlyArray<readonly [number, number]>
  /** A device is taken as reachable this long after it was last heard from. */
  offlineAfterMs: number
  /** [from, until) spans in which a schedule with alarms was in force. */
  scheduledSpans: ReadonlyArray<readonly [number, number]>
  now: number
  /**
   * The on-time window of alarms that fit no scheduled dose (the family's setting
   * missed_dose_after_s); DEFAULT_WINDOW_MIN when not given.
   */
  defaultWindowMs?: number
}

/** After this long, a dose_taken no longer counts for a dose (it is a later dose, or noise). */
export const LATE_LIMIT_MS = 12 * 3_600_000
const DEFAULT_WINDOW_MS = DEFAULT_WINDOW_MIN * 60_000

/** Labels are compared case-, space- and accent-blind (src/shared/alarm-rules.ts). */
export { normalizeLabel }

interface DoseState {
  dose: ScheduledDose
  key: string
  /** Events in [rangeStart, rangeEnd) may belong to this dose. */
  rangeStart: number
  rangeEnd: number
  alarm_at: number | null
  alarm_event_id: number | null
  rings: number
  ack_at: number | null
  taken_at: number | null
  event_ids: number[]
}

interface Group {
  key: string
  label: string | null
  at: number
  alarm_at: number | null
  alarm_event_id: number | null
  rings: number
  ack_at: number | null
  taken_at: number | null
  event_ids: number[]
}

/**
 * Matches events to scheduled doses and classifies every dose whose time has come.
 *
 * - An event belongs to a dose of the same label (after normalizeLabel) whose range holds its
 *   time: from the on-time window before the dose (devices without NTP drift) up to 12 h after,
 *   cut halfway to the neighbouring doses of that label. An event without a label, or with a
 *   label no scheduled alarm has (firmware with its own names), matches by time alone.
 * - taken within the window (early included) → on_time; taken later → late; the window still
 *   open → pending; otherwise missed if the alarm rang or the device was reachable, and unknown
 *   if we heard nothing from the device at all (it may have rung and been taken offline).
 * - Events that fit no scheduled dose form doses of their own, one per alarm (re-rings within
 *   the window are the same dose): source "alarm" where no schedule was in force, else
 *   "unscheduled".
 */
export function computeOutcomes(input: OutcomeInput): Outcome[] {
  const { doses, events, now } = input
  const states = doseStates(doses)
  const byTime = states // sorted by dose time, as doses are
  const knownLabels = new Set(states.map((s) => s.key))
  const leftovers: DoseEvent[] = []

  for (const event of events) {
    const key = event.label == null ? null : normalizeLabel(event.label)
    const byLabel = key !== null && knownLabels.has(key)
    const candidates: DoseState[] = []
    // Only doses within LATE_LIMIT before and a window (≤ 12 h) after can hold the event.
    for (let i = lowerBound(byTime, event.at - LATE_LIMIT_MS); i < byTime.length; i++) {
      const s = byTime[i]!
      if (s.dose.at > event.at + LATE_LIMIT_MS) break
      if (event.at < s.rangeStart || event.at >= s.rangeEnd) continue
      if (byLabel && s.key !== key) continue
      candidates.push(s)
    }
    const chosen = choose(event, candidates)
    if (!chosen) {
      leftovers.push(event)
      continue
    }
    chosen.event_ids.push(event.id)
    if (event.type === 'alarm_triggered') {
      chosen.rings++
      chosen.alarm_at ??= event.at
      chosen.alarm_event_id ??= event.id
    } else if (event.type === 'alarm_ack') {
      chosen.ack_at ??= event.at
    } else {
      chosen.taken_at = event.at
    }
  }

  const seen = sightingIndex(input.sightings)
  const outcomes: Outcome[] = []
  for (const s of states) {
    const d = s.dose
    if (d.at > now) continue
    let status: DoseStatus
    if (s.taken_at !== null) status = s.taken_at - d.at <= d.window_ms ? 'on_time' : 'late'
    else if (now < d.at + d.window_ms) status = 'pending'
    else if (s.rings > 0 || s.ack_at !== null) status = 'missed'
    else if (seen(d.at - input.offlineAfterMs, d.at + d.window_ms)) status = 'missed'
    else status = 'unknown'
    outcomes.push({
      source: 'schedule',
      schedule_alarm_id: d.schedule_alarm_id,
      schedule_version: d.schedule_version,
      label: d.label,
      at: d.at,
      window_ms: d.window_ms,
      compartment: d.compartment,
      pill_count: d.pill_count,
      status,
      alarm_at: s.alarm_at,
      alarm_event_id: s.alarm_event_id,
      rings: s.rings,
      ack_at: s.ack_at,
      taken_at: s.taken_at,
      event_ids: s.event_ids
    })
  }

  const windowMs = input.defaultWindowMs ?? DEFAULT_WINDOW_MS
  for (const g of groupLeftovers(leftovers, windowMs)) {
    if (g.at > now) continue
    let status: DoseStatus
    if (g.taken_at !== null) status = g.taken_at - g.at <= windowMs ? 'on_time' : 'late'
    else if (now < g.at + windowMs) status = 'pending'
    else status = 'missed'
    const scheduled = input.scheduledSpans.some(([from, until]) => g.at >= from && g.at < until)
    outcomes.push({
      source: scheduled ? 'unscheduled' : 'alarm',
      schedule_alarm_id: null,
      schedule_version: null,
      label: g.label,
      at: g.at,
      window_ms: windowMs,
      compartment: null,
      pill_count: null,
      status,
      alarm_at: g.alarm_at,
      alarm_event_id: g.alarm_event_id,
      rings: g.rings,
      ack_at: g.ack_at,
      taken_at: g.taken_at,
      event_ids: g.event_ids
    })
  }
  return outcomes.sort(
    (a, b) => a.at - b.at || (a.schedule_alarm_id ?? Infinity) - (b.schedule_alarm_id ?? Infinity)
  )
}

function doseStates(doses: readonly ScheduledDose[]): DoseState[] {
  const states: DoseState[] = doses.map((dose) => ({
    dose,
    key: normalizeLabel(dose.label),
    rangeStart: dose.at - dose.window_ms,
    rangeEnd: dose.at + LATE_LIMIT_MS,
    alarm_at: null,
    alarm_event_id: null,
    rings: 0,
    ack_at: null,
    taken_at: null,
    event_ids: []
  }))
  // Neighbours of the same label split the time between them, so an event is never claimed by
  // two doses and a dose taken very late is not mistaken for an early next one.
  const lastOfLabel = new Map<string, DoseState>()
  for (const s of states) {
    const prev = lastOfLabel.get(s.key)
    if (prev) {
      const gap = s.dose.at - prev.dose.at
      s.rangeStart = s.dose.at - Math.min(s.dose.window_ms, gap / 2)
      prev.rangeEnd = Math.min(prev.rangeEnd, s.rangeStart)
    }
    lastOfLabel.set(s.key, s)
  }
  return states
}

function choose(event: DoseEvent, candidates: DoseState[]): DoseState | undefined {
  const distance = (s: DoseState) => Math.abs(event.at - s.dose.at)
  const rangBefore = (s: DoseState) => (s.alarm_at !== null && s.alarm_at <= event.at ? 0 : 1)
  const started = (s: DoseState) => (s.dose.at <= event.at ? 0 : 1)
  let ranked: DoseState[]
  if (event.type === 'alarm_triggered') {
    // The nearest dose: a re-ring lands on the dose already ringing, as it is nearest.
    ranked = candidates.sort((a, b) => distance(a) - distance(b))
  } else if (event.type === 'alarm_ack') {
    const open = (s: DoseState) => (s.ack_at === null && s.taken_at === null ? 0 : 1)
    ranked = candidates.sort(
      (a, b) =>
        open(a) - open(b) ||
        rangBefore(a) - rangBefore(b) ||
        started(a) - started(b) ||
        distance(a) - distance(b)
    )
  } else {
    ranked = candidates
      .filter((s) => s.taken_at === null)
      .sort(
        (a, b) =>
          rangBefore(a) - rangBefore(b) || started(a) - started(b) || distance(a) - distance(b)
      )
  }
  return ranked[0]
}

/** Doses made from alarms alone: a ring opens one, its re-rings, ack and dose_taken join it. */
function groupLeftovers(events: readonly DoseEvent[], windowMs: number): Group[] {
  const groups: Group[] = []
  const latest = (key: string | null, fits: (g: Group) => boolean) => {
    for (let i = groups.length - 1; i >= 0; i--) {
      const g = groups[i]!
      if ((key === null || g.key === key) && fits(g)) return g
    }
    return undefined
  }
  for (const e of events) {
    const key = e.label == null ? null : normalizeLabel(e.label)
    let g: Group | undefined
    if (e.type === 'alarm_triggered') {
      g = latest(key ?? '', (x) => x.taken_at === null && e.at - x.at < windowMs)
    } else if (e.type === 'alarm_ack') {
      g = latest(
        key,
        (x) => x.ack_at === null && x.taken_at === null && e.at - x.at < LATE_LIMIT_MS
      )
    } else {
      g = latest(key, (x) => x.taken_at === null && e.at - x.at < LATE_LIMIT_MS)
    }
    if (!g) {
      g = {
        key: key ?? '',
        label: e.label,
        at: e.at,
        alarm_at: null,
        alarm_event_id: null,
        rings: 0,
        ack_at: null,
        taken_at: null,
        event_ids: []
      }
      groups.push(g)
    }
    g.event_ids.push(e.id)
    if (e.type === 'alarm_triggered') {
      g.rings++
      g.alarm_at ??= e.at
      g.alarm_event_id ??= e.id
    } else if (e.type === 'alarm_ack') g.ack_at ??= e.at
    else g.taken_at = e.at
  }
  return groups
}

/** "Was the device heard from at any moment of [lo, hi]?" in O(log n). */
function sightingIndex(
  sightings: ReadonlyArray<readonly [number, number]>
): (lo: number, hi: number) => boolean {
  const sorted = [...sightings].sort((a, b) => a[0] - b[0])
  const maxEnd: number[] = []
  let max = -Infinity
  for (const [, end] of sorted) maxEnd.push((max = Math.max(max, end)))
  return (lo, hi) => {
    // Last interval starting at or before hi; any of those ending at or after lo overlaps.
    let a = 0
    let b = sorted.length
    while (a < b) {
      const mid = (a + b) >> 1
      if (sorted[mid]![0] <= hi) a = mid + 1
      else b = mid
    }
    return a > 0 && maxEnd[a - 1]! >= lo
  }
}

function lowerBound(states: readonly DoseState[], at: number): number {
  let a = 0
  let b = states.length
  while (a < b) {
    const mid = (a + b) >> 1
    if (states[mid]!.dose.at < at) a = mid + 1
    else b = mid
  }
  return a
}
