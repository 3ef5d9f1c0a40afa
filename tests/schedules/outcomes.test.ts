import { describe, expect, it } from 'vitest'
import type { ScheduledDose } from '../../src/main/core/schedules/doses'
import {
  computeOutcomes,
  normalizeLabel,
  type DoseEvent,
  type DoseEventType,
  type OutcomeInput
} from '../../src/main/core/schedules/outcomes'

const at = (s: string) => Date.parse(s)
const H = 3_600_000
const MIN = 60_000

function dose(time: string, label = 'Medicamento mañana', id = 1, windowMin = 60): ScheduledDose {
  return {
    schedule_alarm_id: id,
    schedule_version: 1,
    label,
    at: at(time),
    window_ms: windowMin * MIN,
    compartment: null,
    pill_count: null
  }
}

let nextId = 1
function ev(
  type: DoseEventType,
  time: string,
  label: string | null = 'Medicamento mañana'
): DoseEvent {
  return { id: nextId++, type, label, at: at(time) }
}

function run(input: Partial<OutcomeInput> & Pick<OutcomeInput, 'now'>) {
  return computeOutcomes({
    doses: [],
    sightings: [],
    offlineAfterMs: 120_000,
    scheduledSpans: [[0, Infinity]],
    ...input,
    events: [...(input.events ?? [])].sort((a, b) => a.at - b.at || a.id - b.id)
  })
}

const NINE = '2025-05-10T09:00:00Z'
const online = (from: string, to: string): [number, number] => [at(from), at(to)]

describe('dose outcomes', () => {
  it('taken within the window is on time; the alarm, ack and events are reported', () => {
    const events = [
      ev('alarm_triggered', '2025-05-10T09:00:05Z'),
      ev('alarm_ack', '2025-05-10T09:03:00Z'),
      ev('dose_taken', '2025-05-10T09:04:00Z')
    ]
    const [o] = run({ doses: [dose(NINE)], events, now: at('2025-05-10T12:00:00Z') })
    expect(o).toMatchObject({
      source: 'schedule',
      status: 'on_time',
      alarm_at: at('2025-05-10T09:00:05Z'),
      ack_at: at('2025-05-10T09:03:00Z'),
      taken_at: at('2025-05-10T09:04:00Z'),
      rings: 1,
      event_ids: events.map((e) => e.id)
    })
  })

  it('taken after the window is late (up to 12 h later)', () => {
    const events = [ev('alarm_triggered', NINE), ev('dose_taken', '2025-05-10T11:30:00Z')]
    const [o] = run({ doses: [dose(NINE)], events, now: at('2025-05-10T23:00:00Z') })
    expect(o!.status).toBe('late')
  })

  it('the window is per alarm: 30 minutes makes a 45-minute delay late', () => {
    const events = [ev('dose_taken', '2025-05-10T09:45:00Z')]
    const [o] = run({
      doses: [dose(NINE, undefined, 1, 30)],
      events,
      now: at('2025-05-11T00:00:00Z')
    })
    expect(o!.status).toBe('late')
  })

  it('taken a little early (within the window before) is on time', () => {
    const [o] = run({
      doses: [dose(NINE)],
      events: [ev('dose_taken', '2025-05-10T08:20:00Z')],
      now: at('2025-05-10T12:00:00Z')
    })
    expect(o!.status).toBe('on_time')
  })

  it('the alarm rang but no dose was taken: missed', () => {
    const [o] = run({
      doses: [dose(NINE)],
      events: [ev('alarm_triggered', NINE), ev('alarm_triggered', '2025-05-10T09:05:00Z')],
      now: at('2025-05-10T12:00:00Z')
    })
    expect(o).toMatchObject({ status: 'missed', rings: 2, alarm_at: at(NINE) })
  })

  it('no events at all while the device was reachable: missed (the alarm never rang)', () => {
    const [o] = run({
      doses: [dose(NINE)],
      sightings: [online('2025-05-10T08:00:00Z', '2025-05-10T11:00:00Z')],
      now: at('2025-05-10T12:00:00Z')
    })
    expect(o).toMatchObject({ status: 'missed', rings: 0, alarm_at: null })
  })

  it('no events and nothing heard from the device around the dose: unknown', () => {
    const [o] = run({
      doses: [dose(NINE)],
      // Heard from until 08:00 (offline after 2 min) and again from 12:00.
      sightings: [
        online('2025-05-10T07:00:00Z', '2025-05-10T08:00:00Z'),
        online('2025-05-10T12:00:00Z', '2025-05-10T12:30:00Z')
      ],
      now: at('2025-05-10T13:00:00Z')
    })
    expect(o!.status).toBe('unknown')
  })

  it('the window still open is pending; a dose in the future is not an outcome yet', () => {
    const outcomes = run({
      doses: [dose(NINE), dose('2025-05-10T21:00:00Z', 'Medicamento noche', 2)],
      now: at('2025-05-10T09:30:00Z')
    })
    expect(outcomes.map((o) => o.status)).toEqual(['pending'])
  })

  it('late-arriving events correct history: unknown becomes on time once the buffer is uploaded', () => {
    const doses = [dose(NINE)]
    const now = at('2025-05-10T15:00:00Z')
    expect(run({ doses, now })[0]!.status).toBe('unknown')
    // The device comes back and uploads what it buffered, with its own timestamps.
    const events = [ev('alarm_triggered', NINE), ev('dose_taken', '2025-05-10T09:10:00Z')]
    expect(run({ doses, events, now })[0]!.status).toBe('on_time')
    // And a dose_taken uploaded even later turns a missed dose into a late one.
    const rang = [ev('alarm_triggered', NINE)]
    expect(run({ doses, events: rang, now })[0]!.status).toBe('missed')
    expect(
      run({ doses, events: [...rang, ev('dose_taken', '2025-05-10T13:00:00Z')], now })[0]!.status
    ).toBe('late')
  })

  it('labels match ignoring case, spacing and accents', () => {
    expect(normalizeLabel('  Medicamento   MAÑANA ')).toBe('medicamento manana')
    const [o] = run({
      doses: [dose(NINE)],
      events: [ev('dose_taken', '2025-05-10T09:10:00Z', 'medicamento manana')],
      now: at('2025-05-10T12:00:00Z')
    })
    expect(o!.status).toBe('on_time')
  })

  it('events go to the dose of their label, not to the nearest dose', () => {
    const doses = [
      dose('2025-05-10T09:00:00Z', 'Pastilla A', 1),
      dose('2025-05-10T09:30:00Z', 'Pastilla B', 2)
    ]
    const outcomes = run({
      doses,
      events: [
        ev('alarm_triggered', '2025-05-10T09:00:00Z', 'Pastilla A'),
        ev('alarm_triggered', '2025-05-10T09:30:00Z', 'Pastilla B'),
        ev('dose_taken', '2025-05-10T09:31:00Z', 'Pastilla A')
      ],
      sightings: [online('2025-05-10T08:00:00Z', '2025-05-10T12:00:00Z')],
      now: at('2025-05-10T12:00:00Z')
    })
    expect(outcomes.map((o) => [o.label, o.status])).toEqual([
      ['Pastilla A', 'on_time'],
      ['Pastilla B', 'missed']
    ])
  })

  it('events without a label, or with a label no alarm has, match by time', () => {
    const outcomes = run({
      doses: [dose(NINE), dose('2025-05-10T21:00:00Z', 'Medicamento noche', 2)],
      events: [
        ev('alarm_triggered', '2025-05-10T09:00:00Z', 'ALARM1'),
        ev('dose_taken', '2025-05-10T09:02:00Z', null),
        ev('alarm_triggered', '2025-05-10T21:00:00Z', null),
        ev('dose_taken', '2025-05-10T22:30:00Z', 'ALARM2')
      ],
      now: at('2025-05-11T08:00:00Z')
    })
    expect(outcomes.map((o) => o.status)).toEqual(['on_time', 'late'])
    expect(outcomes.every((o) => o.source === 'schedule')).toBe(true)
  })

  it('a daily dose missed today does not take tomorrow’s dose_taken', () => {
    const doses = [dose('2025-05-10T09:00:00Z'), dose('2025-05-11T09:00:00Z')]
    const outcomes = run({
      doses,
      events: [
        ev('alarm_triggered', '2025-05-10T09:00:00Z'),
        ev('alarm_triggered', '2025-05-11T09:00:00Z'),
        ev('dose_taken', '2025-05-11T09:05:00Z')
      ],
      now: at('2025-05-11T12:00:00Z')
    })
    expect(outcomes.map((o) => o.status)).toEqual(['missed', 'on_time'])
  })

  it('a second dose_taken for the same dose is reported apart, not counted twice', () => {
    const outcomes = run({
      doses: [dose(NINE)],
      events: [ev('dose_taken', '2025-05-10T09:05:00Z'), ev('dose_taken', '2025-05-10T09:06:00Z')],
      now: at('2025-05-10T12:00:00Z')
    })
    expect(outcomes.map((o) => [o.source, o.status])).toEqual([
      ['schedule', 'on_time'],
      ['unscheduled', 'on_time']
    ])
  })

  describe('without a schedule: outcomes from the alarms alone', () => {
    const noSchedule = { scheduledSpans: [] as Array<[number, number]> }

    it('each alarm is a dose; re-rings join it; dose_taken decides', () => {
      const outcomes = run({
        ...noSchedule,
        events: [
          ev('alarm_triggered', '2025-05-10T08:00:00Z', 'Mañana'),
          ev('alarm_triggered', '2025-05-10T08:10:00Z', 'Mañana'),
          ev('alarm_ack', '2025-05-10T08:12:00Z', 'Mañana'),
          ev('dose_taken', '2025-05-10T08:13:00Z', 'Mañana'),
          ev('alarm_triggered', '2025-05-10T14:00:00Z', 'Tarde'),
          ev('dose_taken', '2025-05-10T15:30:00Z', 'Tarde'),
          ev('alarm_triggered', '2025-05-10T20:00:00Z', 'Noche'),
          ev('alarm_triggered', '2025-05-10T23:30:00Z', 'Noche2')
        ],
        now: at('2025-05-10T23:45:00Z')
      })
      expect(outcomes.map((o) => [o.source, o.label, o.status, o.rings])).toEqual([
        ['alarm', 'Mañana', 'on_time', 2],
        ['alarm', 'Tarde', 'late', 1],
        ['alarm', 'Noche', 'missed', 1],
        ['alarm', 'Noche2', 'pending', 1]
      ])
      expect(outcomes[0]!.at).toBe(at('2025-05-10T08:00:00Z'))
    })

    it('an alarm outside the schedule while one is in force is "unscheduled"', () => {
      const outcomes = run({
        doses: [dose(NINE)],
        events: [
          ev('dose_taken', '2025-05-10T09:05:00Z'),
          ev('alarm_triggered', '2025-05-10T15:00:00Z', 'Extra'),
          ev('dose_taken', '2025-05-10T15:01:00Z', 'Extra')
        ],
        now: at('2025-05-10T18:00:00Z')
      })
      expect(outcomes.map((o) => [o.source, o.status])).toEqual([
        ['schedule', 'on_time'],
        ['unscheduled', 'on_time']
      ])
    })
  })

  it('stays fast for a year of three daily doses', () => {
    const doses: ScheduledDose[] = []
    const events: DoseEvent[] = []
    const start = at('2025-01-01T09:00:00Z')
    for (let d = 0; d < 365; d++)
      for (const [i, h] of [0, 5, 12].entries()) {
        const t = start + d * 24 * H + h * H
        doses.push({ ...dose(new Date(t).toISOString(), `Alarm ${i}`, i + 1) })
        events.push({ id: nextId++, type: 'alarm_triggered', label: `Alarm ${i}`, at: t })
        if ((d + i) % 7)
          events.push({ id: nextId++, type: 'dose_taken', label: `Alarm ${i}`, at: t + 5 * MIN })
      }
    const began = performance.now()
    const outcomes = run({ doses, events, now: at('2026-01-02T00:00:00Z') })
    expect(performance.now() - began).toBeLessThan(500)
    expect(outcomes).toHaveLength(365 * 3)
    expect(outcomes.filter((o) => o.status === 'missed').length).toBeGreaterThan(100)
  })
})
