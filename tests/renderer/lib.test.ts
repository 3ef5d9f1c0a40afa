// @vitest-environment jsdom
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import { ApiError } from '../../src/renderer/src/api/client'
import { setLocale } from '../../src/renderer/src/i18n'
import { csvCell, csvDialect, eventsToCsv } from '../../src/renderer/src/lib/csv'
import {
  heartbeatCurl,
  heartbeatRequest,
  serverBaseUrl
} from '../../src/renderer/src/lib/setup-snippets'
import { formatRelative, localDayStartIso, setDisplayZone } from '../../src/renderer/src/lib/time'
import { errorDetail, errorSummary, useToastsStore } from '../../src/renderer/src/stores/toasts'
import { event } from './fakes'

beforeEach(() => setActivePinia(createPinia()))
afterEach(() => {
  vi.useRealTimers()
  setLocale('es')
})

describe('CSV', () => {
  test('quotes commas, quotes, line breaks and edge spaces (RFC 4180)', () => {
    expect(csvCell('plain')).toBe('plain')
    expect(csvCell('a,b')).toBe('"a,b"')
    expect(csvCell('say "hi"')).toBe('"say ""hi"""')
    expect(csvCell('two\nlines')).toBe('"two\nlines"')
    expect(csvCell(' padded ')).toBe('" padded "')
    expect(csvCell(null)).toBe('')
  })

  test('neutralises text a spreadsheet would run as a formula', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`)
    expect(csvCell('+1')).toBe("'+1")
    expect(csvCell('@cmd')).toBe("'@cmd")
    expect(csvCell('2026-01-01T00:00:00.000Z')).toBe('2026-01-01T00:00:00.000Z')
  })

  test('one row per event, with BOM, header and CRLF; times on the family clock', () => {
    setDisplayZone('Europe/Madrid')
    const events = [
      event(1, '2026-01-10T10:00:00.000Z', {
        device_id: 'AA:BB',
        payload: { alarm_label: 'Medicamento "mañana", 8:00', slot: 2 },
        event_id: 'e-1',
        received_at: '2026-01-10T10:00:01.000Z'
      }),
      event(2, '2026-01-10T09:00:00.000Z', { device_id: 'CC', type: 'reboot', payload: null })
    ]
    const name = (id: string) => (id === 'AA:BB' ? 'Cocina' : null)
    const csv = eventsToCsv(events, name)
    expect(csv.split('\r\n')).toEqual([
      '\uFEFFoccurred_at,received_at,device_id,device_name,type,alarm_label,payload,event_id',
      '2026-01-10T11:00:00+01:00,2026-01-10T11:00:01+01:00,AA:BB,Cocina,dose_taken,' +
        '"Medicamento ""mañana"", 8:00","{""alarm_label"":""Medicamento \\""mañana\\"", 8:00"",""slot"":2}",e-1',
      '2026-01-10T10:00:00+01:00,2026-01-10T10:00:00+01:00,CC,,reboot,,,',
      ''
    ])
    // Spanish: Spanish headers and `;`, so Excel in Spanish opens it in columns.
    const es = eventsToCsv(events, name, csvDialect('es'))
    expect(es.split('\r\n').slice(0, 3)).toEqual([
      '\uFEFFFecha y hora;Recibido;Id. del dispositivo;Dispositivo;Tipo;Alarma;Datos;Id. del evento',
      '2026-01-10T11:00:00+01:00;2026-01-10T11:00:01+01:00;AA:BB;Cocina;dose_taken;' +
        '"Medicamento ""mañana"", 8:00";"{""alarm_label"":""Medicamento \\""mañana\\"", 8:00"",""slot"":2}";e-1',
      '2026-01-10T10:00:00+01:00;2026-01-10T10:00:00+01:00;CC;;reboot;;;'
    ])
    setDisplayZone(undefined)
  })
})

describe('time', () => {
  test('relative times in both languages, clamped at now', () => {
    const now = Date.parse('2026-01-10T12:00:00Z')
    expect(formatRelative('2026-01-10T11:59:48Z', now, 'es')).toBe('hace 12 s')
    expect(formatRelative('2026-01-10T11:57:00Z', now, 'es')).toBe('hace 3 min')
    expect(formatRelative('2026-01-10T09:00:00Z', now, 'es')).toBe('hace 3 h')
    expect(formatRelative('2026-01-08T12:00:00Z', now, 'es')).toBe('anteayer')
    expect(formatRelative('2026-01-10T11:59:48Z', now, 'en')).toBe('12 sec. ago')
    expect(formatRelative('2026-01-10T12:00:03Z', now, 'es')).toBe('ahora')
    expect(formatRelative('2026-01-10T11:59:48Z', now, 'es', true)).toBe('este minuto')
    expect(formatRelative('2026-01-10T11:57:00Z', now, 'es', true)).toBe('hace 3 min')
  })

  test('local day start for date inputs', () => {
    expect(localDayStartIso('2026-13-01')).toBeUndefined()
    expect(localDayStartIso('2026-02-30')).toBeUndefined()
    expect(localDayStartIso('yesterday')).toBeUndefined()
    const start = localDayStartIso('2026-01-10')!
    expect(new Date(start).getDate()).toBe(10)
    expect(new Date(start).getHours()).toBe(0)
  })
})

describe('setup snippets', () => {
  test('the heartbeat request is the seed one, with this server and key', () => {
    const text = heartbeatRequest('192.168.1.20', 8000, 'secret-key')
    expect(text.split('\n').slice(0, 4)).toEqual([
      'POST /api/devices/heartbeat HTTP/1.1',
      'Host: 192.168.1.20:8000',
      'X-API-Key: secret-key',
      'Content-Type: application/json'
    ])
    expect(JSON.parse(text.split('\n\n')[1]!)).toMatchObject({ device_id: 'AA:BB:CC:DD:EE:FF' })
    expect(serverBaseUrl('fe80::1', 80)).toBe('http://[fe80::1]:80')
    expect(heartbeatCurl('h', 1, "it's")).toContain(`-H 'X-API-Key: it'\\''s'`)
  })
})

describe('toasts and error text', () => {
  test('an API error reads in the dashboard language, never in the server English', () => {
    const err = new ApiError(422, 'validation-failed', 'name: must be at most 100 characters')
    expect(errorDetail(err)).toBe('Algún dato no es válido.')
    expect(errorSummary(err)).toBe('Algún dato no es válido.')
    const named = new ApiError(422, 'validation-failed', 'name: too long', 'name')
    expect(errorDetail(named)).toBe('Algún dato no es válido. (campo: nombre)')
    expect(
      errorDetail(new ApiError(409, 'version-exists', 'version 1.1.0 is already uploaded'))
    ).toBe('Esa versión de firmware ya está subida.')
    // A code the dashboard does not know reads by status, still in Spanish.
    expect(errorDetail(new ApiError(418, 'teapot', 'I am a teapot'))).toBe(
      'El servidor no aceptó la petición.'
    )
    expect(errorDetail(new ApiError(0, 'network-error', 'x'))).toBe(
      'No se pudo contactar con el servidor. Comprueba que sigue en marcha.'
    )
    setLocale('en')
    expect(errorSummary(err)).toBe('Some value is not valid.')
    expect(errorDetail(new ApiError(400, 'telegram-not-configured', 'set a bot token first'))).toBe(
      'Save the Telegram bot token first.'
    )
    expect(document.documentElement.lang).toBe('en')
    expect(localStorage.getItem('pastillero.locale')).toBe('en')
    setLocale('es')
  })

  test('toasts stack, keep the last five, and expire', () => {
    vi.useFakeTimers()
    const toasts = useToastsStore()
    for (let i = 0; i < 7; i++) toasts.info(`n${i}`)
    expect(toasts.toasts.map((t) => t.title)).toEqual(['n2', 'n3', 'n4', 'n5', 'n6'])
    toasts.error('Falló', new ApiError(500, 'internal-error', 'internal error'))
    expect(toasts.toasts.at(-1)).toMatchObject({
      kind: 'error',
      detail: 'El servidor tuvo un problema. Inténtalo de nuevo.'
    })
    vi.advanceTimersByTime(6000)
    expect(toasts.toasts.map((t) => t.kind)).toEqual(['error'])
    vi.advanceTimersByTime(4000)
    expect(toasts.toasts).toEqual([])
  })
})
