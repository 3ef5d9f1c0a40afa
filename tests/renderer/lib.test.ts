// @vitest-environment jsdom
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import { ApiError } from '../../src/renderer/src/api/client'
import { setLocale } from '../../src/renderer/src/i18n'
import { csvCell, toCsv } from '../../src/shared/csv'
import { eventsToCsv } from '../../src/renderer/src/lib/csv'
import { payloadSummary } from '../../src/renderer/src/lib/event-text'
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
    setDisplayZone(undefined)
  })

  test('Spanish files: Spanish headers and words, ";" separators, BOM', () => {
    const csv = eventsToCsv(
      [
        event(3, '2026-01-10T11:00:00.000Z', {
          device_id: 'AA',
          type: 'reboot',
          payload: { reason: 'remote', boot_count: 1 },
          event_id: 'e-3'
        })
      ],
      () => 'Cocina; planta baja',
      'es'
    )
    expect(csv.split('\r\n')).toEqual([
      '\uFEFFFecha y hora;Recibido;ID del dispensador;Dispensador;Evento;Etiqueta;Detalle;ID del evento',
      '2026-01-10T11:00:00+00:00;2026-01-10T11:00:00+00:00;AA;"Cocina; planta baja";Reinicio;;' +
        'Reinicio pedido desde el panel · arranque n.º 1;e-3',
      ''
    ])
    // The separator quotes only what contains it: a comma is plain text in a Spanish file.
    expect(toCsv('es', ['a'], [['x, y'], [2]])).toBe('\uFEFFa\r\nx, y\r\n2\r\n')
    expect(toCsv('en', ['a'], [['x, y']])).toBe('\uFEFFa\r\n"x, y"\r\n')
  })
})

describe('device fields in words', () => {
  test('reasons, counters, OTA errors; unknown device text is quoted as the device wrote it', () => {
    const reboot = event(1, '2026-01-10T10:00:00.000Z', {
      type: 'reboot',
      payload: { reason: 'remote', boot_count: 1 }
    })
    expect(payloadSummary(reboot)).toBe('Reinicio pedido desde el panel · arranque n.º 1')
    const fail = event(2, '2026-01-10T10:00:00.000Z', {
      type: 'ota_fail',
      payload: { version: '1.2.0', error: 'md5 mismatch' }
    })
    expect(payloadSummary(fail)).toBe('versión 1.2.0 · El archivo llegó dañado (MD5 no coincide)')
    const odd = event(3, '2026-01-10T10:00:00.000Z', {
      type: 'ota_fail',
      payload: { error: 'flux capacitor' }
    })
    expect(payloadSummary(odd)).toBe('detalle del dispensador: «flux capacitor»')
    setLocale('en')
    expect(payloadSummary(reboot)).toBe('Restart asked for from the dashboard · boot no. 1')
    expect(payloadSummary(fail)).toBe(
      'version 1.2.0 · The file arrived damaged (MD5 does not match)'
    )
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
  test("an API error reads in the chosen language, never in the server's English", () => {
    const err = new ApiError(422, 'validation-failed', 'name: must be at most 100 characters')
    expect(errorDetail(err)).toBe('Algún dato no es válido. Revisa el formulario.')
    expect(errorSummary(err)).toBe(errorDetail(err))
    const named = new ApiError(422, 'validation-failed', 'name: too long', 'name')
    expect(errorDetail(named)).toBe(
      'Algún dato no es válido. Revisa el formulario. (campo: nombre)'
    )
    // The same code, a sentence of its own for one field.
    expect(errorDetail(new ApiError(401, 'wrong-password', 'x', 'current_password'))).toBe(
      'La contraseña actual no es correcta.'
    )
    expect(
      errorDetail(new ApiError(409, 'version-exists', 'version 1.1.0 is already uploaded'))
    ).toBe('La versión 1.1.0 ya está subida.')
    // A code this dashboard does not know: a generic sentence and the code, not the English text.
    expect(errorDetail(new ApiError(418, 'teapot', 'I am a teapot'))).toBe(
      'Error inesperado del servidor (código: teapot).'
    )
    expect(errorDetail(new ApiError(0, 'network-error', 'x'))).toBe(
      'No se pudo contactar con el servidor. Comprueba que sigue en marcha.'
    )
    setLocale('en')
    expect(errorSummary(err)).toBe('Some value is not valid. Check the form.')
    expect(errorDetail(new ApiError(400, 'telegram-not-configured', 'set a bot token first'))).toBe(
      'Save the Telegram bot token first.'
    )
    expect(errorDetail(new ApiError(418, 'teapot', 'x'))).toBe(
      'Unexpected server error (code: teapot).'
    )
    expect(document.documentElement.lang).toBe('en')
    expect(localStorage.getItem('pastillero.locale')).toBe('en')
    setLocale('es')
  })

  test('toasts stack, keep the last three, merge repeats, and expire', () => {
    vi.useFakeTimers()
    const toasts = useToastsStore()
    for (let i = 0; i < 7; i++) toasts.info(`n${i}`)
    expect(toasts.toasts.map((t) => t.title)).toEqual(['n4', 'n5', 'n6'])
    const again = toasts.info('n5')
    expect(toasts.toasts.map((t) => t.title)).toEqual(['n4', 'n5', 'n6'])
    expect(again).toBe(toasts.toasts[1]!.id)
    toasts.error('Falló', new ApiError(500, 'internal-error', 'internal error'))
    expect(toasts.toasts.at(-1)).toMatchObject({
      kind: 'error',
      detail: 'Error interno del servidor. Mira el registro reciente en Ajustes.'
    })
    vi.advanceTimersByTime(6000)
    expect(toasts.toasts.map((t) => t.kind)).toEqual(['error'])
    vi.advanceTimersByTime(4000)
    expect(toasts.toasts).toEqual([])
  })
})
