/** Device event fields in words (lib/event-text.ts): reasons, OTA errors, counters. */
export default {
  eventWords: {
    reasons: {
      remote: 'Reinicio pedido desde el panel',
      poweron: 'Encendido',
      power_on: 'Encendido',
      software: 'Reinicio por software',
      panic: 'Reinicio por un fallo del programa',
      watchdog: 'Reinicio por bloqueo (vigilante)',
      brownout: 'Reinicio por bajada de tensión',
      deepsleep: 'Despertar de reposo profundo',
      external: 'Reinicio con el botón',
      ota: 'Reinicio con el firmware nuevo',
      rollback: 'Vuelta al firmware anterior',
      unknown: 'Reinicio por causa desconocida'
    },
    statuses: {
      online: 'en línea'
    },
    errors: {
      retry_requested: 'Reintento pedido desde el panel',
      md5_mismatch: 'El archivo llegó dañado (MD5 no coincide)',
      'bad_x-md5_header': 'El servidor no envió un MD5 válido',
      bad_magic_byte: 'No es una imagen de ESP32',
      image_does_not_fit: 'No cabe en la memoria del dispensador',
      size_mismatch: 'La descarga no tiene el tamaño esperado',
      incomplete_image: 'La descarga se cortó',
      no_ota_partition: 'El dispensador no tiene partición de actualización',
      rolled_back: 'El firmware nuevo falló y volvió al anterior',
      flash_write_failed: 'No se pudo escribir en la memoria',
      download_failed: 'La descarga falló',
      http: 'El servidor respondió con el código {status}'
    },
    fields: {
      boot_count: 'arranque n.º {value}',
      version: 'versión {value}',
      raw: 'detalle del dispensador: «{text}»',
      other: '{name}: {value}',
      names: {
        error: 'error',
        status: 'estado'
      }
    }
  }
}
