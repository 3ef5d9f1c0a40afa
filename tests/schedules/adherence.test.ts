import { describe, expect, it } from 'vitest'
import {
  byAlarm,
  calendarDays,
  isoWeek,
  month,
  periodsEnding,
  statsOf
} from '../../src/main/core/schedules/adherence'
import type { DoseOutcome, DoseStatus } from '../../src/shared/schedule-schemas'

function outcome(date: string, status: DoseStatus, extra: Partial<DoseOutcome> = {}): DoseOutcome {
  return {
    device_id: 'd1',
    source: 'schedule',
    schedule_alarm_id: 1,
    schedule_version: 1,
    alarm_label: 'Mañana',
    scheduled_at: `${date}T07:00:00.000Z`,
    local_date: date,
    local_time: '09:00',
    window_min: 60,
    compartment: null,
    pill_count: null,
    status,
    alarm_at: null,
    rings: 0,
    ack_at: null,
    taken_at: null,
    delay_s: null,
    event_ids: [],
    ...extra
  }
}

describe('adherence', () => {
  it('taken % and on-time % are over the doses we know about; unknown and pending are apart', () => {
    const stats = statsOf([
      outcome('2025-05-01', 'on_time'),
      outcome('2025-05-02', 'on_time'),
      outcome('2025-05-03', 'on_time'),
      outcome('2025-05-04', 'late'),
      outcome('2025-05-05', 'missed'),
      outcome('2025-05-06', 'unknown'),
      outcome('2025-05-07', 'pending'),
      outcome('2025-05-07', 'on_time', { source: 'unscheduled' })
    ])
    expect(stats).toEqual({
      doses: 7,
      on_time: 3,
      late: 1,
      missed: 1,
      unknown: 1,
      pending: 1,
      taken: 4,
      known: 5,
      taken_pct: 80,
      on_time_pct: 60,
      meets_target: true // 80 % is the line, inclusive
    })
    expect(statsOf([outcome('2025-05-01', 'unknown')])).toMatchObject({
      taken_pct: null,
      meets_target: null
    })
    expect(
      statsOf([outcome('2025-05-01', 'on_time'), outcome('2025-05-02', 'missed')]).meets_target
    ).toBe(false)
  })

  it('per alarm: by stable alarm id, alarm-only doses by label', () => {
    const alarms = byAlarm([
      outcome('2025-05-01', 'on_time'),
      outcome('2025-05-01', 'missed', {
        schedule_alarm_id: 2,
        alarm_label: 'Noche',
        local_time: '21:00'
      }),
      outcome('2025-05-02', 'late', { schedule_alarm_id: 1, alarm_label: 'Mañana (nuevo)' }),
      outcome('2025-04-01', 'on_time', {
        source: 'alarm',
        schedule_alarm_id: null,
        alarm_label: 'X'
      })
    ])
    expect(alarms.map((a) => [a.key, a.alarm_label, a.time, a.stats.taken])).toEqual([
      ['alarm:1', 'Mañana (nuevo)', '09:00', 2],
      ['alarm:2', 'Noche', '21:00', 0],
      ['label:X', 'X', null, 1]
    ])
  })

  it('ISO weeks start on Monday and belong to the year of their Thursday', () => {
    expect(isoWeek('2025-03-30')).toEqual({
      period: '2025-W13',
      from: '2025-03-24',
      to: '2025-03-30'
    })
    expect(isoWeek('2024-12-30').period).toBe('2025-W01')
    expect(isoWeek('2021-01-03').period).toBe('2020-W53')
    expect(month('2024-02-10')).toEqual({ period: '2024-02', from: '2024-02-01', to: '2024-02-29' })
    expect(periodsEnding('week', '2025-03-05', 3).map((p) => p.period)).toEqual([
      '2025-W08',
      '2025-W09',
      '2025-W10'
    ])
    expect(periodsEnding('month', '2025-01-15', 2).map((p) => p.period)).toEqual([
      '2024-12',
      '2025-01'
    ])
  })

  it('calendar days: all taken, some missed, unknown, pending, no doses, future', () => {
    const days = calendarDays(
      [
        outcome('2025-05-01', 'on_time'),
        outcome('2025-05-01', 'late'),
        outcome('2025-05-02', 'on_time'),
        outcome('2025-05-02', 'missed'),
        outcome('2025-05-03', 'unknown'),
        outcome('2025-05-03', 'on_time'),
        outcome('2025-05-05', 'on_time')
      ],
      ['2025-05-01', '2025-05-02', '2025-05-03', '2025-05-04', '2025-05-05', '2025-05-06'],
      '2025-05-05',
      1
    )
    expect(days.map((d) => d.status)).toEqual([
      'all_taken',
      'some_missed',
      'unknown',
      'no_doses',
      'pending', // today, with a dose still to come
      'future'
    ])
  })
})
