/*
 * The schedule editor's store, with the form model it edits (AlarmDraft, its checks and its
 * conversion to the API's input) kept beside it: one feature, read top to bottom.
 */
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import {
  ALARM_LIMITS,
  CLOCK_TIME_PATTERN,
  hasControlCharacters,
  normalizeLabel
} from '@shared/alarm-rules'
import type { ApiError } from '../api/client'
import {
  DEFAULT_WINDOW,
  scheduleApi,
  WEEKDAYS_MONDAY_FIRST,
  type ScheduleAlarmInput,
  type ScheduleAlarmView,
  type ScheduleResponse,
  type ScheduleView,
  type Weekday
} from '../api/schedules'
import { useLoadState } from './load-state'

/**
 * One alarm as the form holds it. Number fields keep what the person typed (an input of type
 * number gives a number, or '' when empty) and become numbers only when saved.
 */
export interface AlarmDraft {
  /** Local key for lists; never sent. */
  key: number
  /** The alarm's stable id on the server; absent for a new alarm. */
  id?: number
  label: string
  time: string
  days: Weekday[]
  compartment: number | string
  pill_count: number | string
  window_min: number | string
  /** Optional words for the report and "Hoy": the medicine and how much ("1/2 comprimido"). */
  medicine: string
  dose: string
}

/** A form problem: an i18n key under schedules.errors, and its parameters. */
export interface DraftError {
  key: string
  params?: Record<string, string | number>
}

/** Field paths as the server names them: "alarms.2.time". */
export type DraftErrors = Record<string, DraftError>

export const MAX_ALARMS = ALARM_LIMITS.maxAlarms
export const LABEL_MAX = ALARM_LIMITS.labelMax
export const MEDICINE_MAX = ALARM_LIMITS.medicineMax
export const DOSE_MAX = ALARM_LIMITS.doseMax
const TIME = CLOCK_TIME_PATTERN
const { compartment: COMPARTMENT, window: WINDOW, pillCountMax: PILLS_MAX } = ALARM_LIMITS

let nextKey = 1

export function draftFromView(alarm: ScheduleAlarmView): AlarmDraft {
  return {
    key: nextKey++,
    id: alarm.id,
    label: alarm.label,
    time: alarm.time,
    days: WEEKDAYS_MONDAY_FIRST.filter((d) => alarm.days.includes(d)),
    compartment: alarm.compartment ?? '',
    pill_count: alarm.pill_count ?? '',
    window_min: alarm.window_min,
    medicine: alarm.medicine ?? '',
    dose: alarm.dose ?? ''
  }
}

export function newAlarmDraft(): AlarmDraft {
  return {
    key: nextKey++,
    label: '',
    time: '09:00',
    days: [...WEEKDAYS_MONDAY_FIRST],
    compartment: '',
    pill_count: '',
    window_min: DEFAULT_WINDOW,
    medicine: '',
    dose: ''
  }
}

const text = (v: number | string) => String(v ?? '').trim()
/** The number in a field, '' → null, anything unreadable → NaN. */
function numberOf(v: number | string): number | null {
  const s = text(v).replace(',', '.')
  if (s === '') return null
  const n = Number(s)
  return Number.isFinite(n) ? n : Number.NaN
}

/** What the server compares labels by. */
export const labelKey = normalizeLabel

/** Checks a draft before it is sent, with the server's rules; empty when it can be saved. */
export function validateDraft(alarms: readonly AlarmDraft[]): DraftErrors {
  const errors: DraftErrors = {}
  if (alarms.length > MAX_ALARMS) errors.alarms = { key: 'tooMany', params: { max: MAX_ALARMS } }
  alarms.forEach((a, i) => {
    const at = (field: string) => `alarms.${i}.${field}`
    const label = a.label.trim()
    if (!label) errors[at('label')] = { key: 'labelRequired' }
    else if (label.length > LABEL_MAX)
      errors[at('label')] = { key: 'labelTooLong', params: { max: LABEL_MAX } }
    else if (hasControlCharacters(label)) errors[at('label')] = { key: 'labelControl' }
    if (!TIME.test(a.time)) errors[at('time')] = { key: 'timeInvalid' }
    if (a.days.length === 0) errors[at('days')] = { key: 'daysRequired' }
    const compartment = numberOf(a.compartment)
    if (
      compartment !== null &&
      (!Number.isInteger(compartment) ||
        compartment < COMPARTMENT.min ||
        compartment > COMPARTMENT.max)
    )
      errors[at('compartment')] = { key: 'compartmentRange', params: { ...COMPARTMENT } }
    const pills = numberOf(a.pill_count)
    if (pills !== null && (Number.isNaN(pills) || pills <= 0 || pills > PILLS_MAX))
      errors[at('pill_count')] = { key: 'pillCountRange', params: { max: PILLS_MAX } }
    if (a.medicine.trim().length > MEDICINE_MAX)
      errors[at('medicine')] = { key: 'labelTooLong', params: { max: MEDICINE_MAX } }
    if (a.dose.trim().length > DOSE_MAX)
      errors[at('dose')] = { key: 'labelTooLong', params: { max: DOSE_MAX } }
    const window = numberOf(a.window_min)
    if (
      window !== null &&
      (!Number.isInteger(window) || window < WINDOW.min || window > WINDOW.max)
    )
      errors[at('window_min')] = { key: 'windowRange', params: { ...WINDOW } }
    // Two alarms with one label at one time on a shared day could not be told apart.
    const clash = alarms.findIndex(
      (b, j) =>
        j < i &&
        b.time === a.time &&
        !!label &&
        labelKey(b.label) === labelKey(label) &&
        b.days.some((d) => a.days.includes(d))
    )
    if (clash >= 0 && !errors[at('label')])
      errors[at('label')] = { key: 'duplicate', params: { n: clash + 1 } }
  })
  return errors
}

/** The PUT body for a (valid) draft. */
export function draftToInput(alarms: readonly AlarmDraft[]): ScheduleAlarmInput[] {
  return alarms.map((a) => {
    const input: ScheduleAlarmInput = {
      label: a.label.trim(),
      time: a.time,
      days: WEEKDAYS_MONDAY_FIRST.filter((d) => a.days.includes(d)),
      compartment: numberOf(a.compartment),
      pill_count: numberOf(a.pill_count),
      window_min: numberOf(a.window_min) ?? DEFAULT_WINDOW,
      // Always sent: a save from here must keep (or clear) what was set, never drop it.
      medicine: a.medicine.trim() || null,
      dose: a.dose.trim() || null
    }
    if (a.id !== undefined) input.id = a.id
    return input
  })
}

/** A comparable form of a draft, to tell whether anything was edited. */
function fingerprint(alarms: readonly AlarmDraft[]): string {
  return JSON.stringify(
    alarms.map((a) => [
      a.id ?? null,
      a.label.trim(),
      a.time,
      WEEKDAYS_MONDAY_FIRST.filter((d) => a.days.includes(d)),
      text(a.compartment),
      text(a.pill_count),
      text(a.window_min),
      a.medicine.trim(),
      a.dose.trim()
    ])
  )
}

export const useSchedulesStore = defineStore('schedules', () => {
  const deviceId = ref('')
  const schedule = shallowRef<ScheduleView | null>(null)
  const timeZone = shallowRef<ScheduleResponse['time_zone'] | null>(null)
  const versions = shallowRef<ScheduleView[]>([])
  const fetching = useLoadState()
  const { loading, loaded, loadError } = fetching
  const versionsError = ref<ApiError | null>(null)

  const draft = ref<AlarmDraft[]>([])
  const baseline = ref('[]')
  const errors = ref<DraftErrors>({})
  /** The server refused the save (an error to show next to the field it names, if any). */
  const saveError = ref<ApiError | null>(null)
  const saving = ref(false)
  /** Set when a save hit 409: the version someone else saved, and the edits that were replaced. */
  const conflict = ref<{ version: number | null; mine: AlarmDraft[] } | null>(null)

  const dirty = computed(() => fingerprint(draft.value) !== baseline.value)

  function resetDraft(): void {
    draft.value = (schedule.value?.alarms ?? []).map(draftFromView)
    baseline.value = fingerprint(draft.value)
    errors.value = {}
    saveError.value = null
  }

  async function loadVersions(id: string, gen: number): Promise<void> {
    try {
      const res = await scheduleApi.versions(id)
      if (!fetching.isCurrent(gen)) return
      versions.value = res.versions
      versionsError.value = null
    } catch (err) {
      if (fetching.isCurrent(gen)) versionsError.value = err as ApiError
    }
  }

  /** Loads a device's schedule (replacing the form) and its version history. */
  async function load(id: string): Promise<void> {
    if (id !== deviceId.value) {
      schedule.value = null
      versions.value = []
      conflict.value = null
      loaded.value = false
    }
    deviceId.value = id
    loadError.value = null
    if (!id) {
      fetching.invalidate()
      draft.value = []
      baseline.value = '[]'
      loading.value = false
      return
    }
    await fetching.track(
      async () => {
        // The history loads beside the schedule, in the generation this load just started.
        const [res] = await Promise.all([
          scheduleApi.getSchedule(id),
          loadVersions(id, fetching.token())
        ])
        return res
      },
      (res) => {
        schedule.value = res.schedule
        timeZone.value = res.time_zone
        resetDraft()
      },
      { supersede: true }
    )
  }

  function addAlarm(): AlarmDraft {
    const alarm = newAlarmDraft()
    draft.value = [...draft.value, alarm]
    return alarm
  }

  function removeAlarm(key: number): void {
    draft.value = draft.value.filter((a) => a.key !== key)
    // Errors are keyed by position: check again rather than show them on the wrong alarm.
    if (Object.keys(errors.value).length) errors.value = validateDraft(draft.value)
  }

  /** Sets an alarm's days (kept in calendar order, Monday first). */
  function setDays(key: number, days: readonly Weekday[]): void {
    const alarm = draft.value.find((a) => a.key === key)
    if (alarm) alarm.days = WEEKDAYS_MONDAY_FIRST.filter((d) => days.includes(d))
  }

  /**
   * Saves the form as a new version. Resolves 'invalid' when the form has problems (shown in
   * `errors`), 'unchanged' when the server had exactly this already, 'saved' otherwise. Rejects
   * with the ApiError when the server refuses; on 409 (someone saved meanwhile) it reloads the
   * current schedule first and keeps the replaced edits in `conflict`.
   */
  async function save(): Promise<'invalid' | 'unchanged' | 'saved'> {
    const id = deviceId.value
    if (!id || saving.value) return 'invalid'
    errors.value = validateDraft(draft.value)
    saveError.value = null
    if (Object.keys(errors.value).length) return 'invalid'
    saving.value = true
    const gen = fetching.token()
    const mine = draft.value.map((a) => ({ ...a, days: [...a.days] }))
    try {
      const res = await scheduleApi.putSchedule(id, {
        alarms: draftToInput(draft.value),
        expected_version: schedule.value?.version ?? null
      })
      if (!fetching.isCurrent(gen)) return res.changed === false ? 'unchanged' : 'saved'
      schedule.value = res.schedule
      timeZone.value = res.time_zone
      conflict.value = null
      resetDraft()
      await loadVersions(id, gen)
      return res.changed === false ? 'unchanged' : 'saved'
    } catch (err) {
      const apiError = err as ApiError
      if (apiError.status === 409) {
        await load(id)
        conflict.value = { version: schedule.value?.version ?? null, mine }
      } else if (fetching.isCurrent(gen)) {
        saveError.value = apiError
      }
      throw err
    } finally {
      saving.value = false
    }
  }

  /**
   * After a conflict: puts the replaced edits back on top of the newer version, to be saved
   * against it. Alarms the other edit removed lose their id and would be created anew.
   */
  function restoreMine(): void {
    const mine = conflict.value?.mine
    if (!mine) return
    const current = new Set((schedule.value?.alarms ?? []).map((a) => a.id))
    draft.value = mine.map((a) => {
      const copy: AlarmDraft = { ...a, key: nextKey++, days: [...a.days] }
      if (copy.id !== undefined && !current.has(copy.id)) delete copy.id
      return copy
    })
    conflict.value = null
    errors.value = {}
  }

  function dismissConflict(): void {
    conflict.value = null
  }

  /** Error to show for one field: a local check, or the server's message naming that field. */
  function fieldError(path: string): DraftError | ApiError | undefined {
    const local = errors.value[path]
    if (local) return local
    if (saveError.value?.field === path) return saveError.value
    return undefined
  }

  function reset(): void {
    fetching.reset()
    deviceId.value = ''
    schedule.value = null
    timeZone.value = null
    versions.value = []
    versionsError.value = null
    draft.value = []
    baseline.value = '[]'
    errors.value = {}
    saveError.value = null
    saving.value = false
    conflict.value = null
  }

  return {
    deviceId,
    schedule,
    timeZone,
    versions,
    loading,
    loaded,
    loadError,
    versionsError,
    draft,
    errors,
    saveError,
    saving,
    conflict,
    dirty,
    load,
    addAlarm,
    removeAlarm,
    setDays,
    resetDraft,
    save,
    restoreMine,
    dismissConflict,
    fieldError,
    reset
  }
})
