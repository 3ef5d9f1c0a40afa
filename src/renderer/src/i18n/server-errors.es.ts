/**
 * Server error codes in Spanish (merged into es.ts). The dashboard shows these instead of the
 * server's English `message`, which stays for API users. A code missing here falls back to a
 * sentence by HTTP status, never to English.
 */
const serverErrorsEs = {
  serverErrors: {
    'account-not-found': 'Esa cuenta ya no existe.',
    'alert-not-found': 'Esa alerta ya no existe.',
    'archive-too-large': 'El archivo es demasiado grande para importarlo.',
    'backup-from-newer-version': 'La copia es de una versión más nueva de Pastillero.',
    'backup-not-found': 'Esa copia de seguridad ya no existe.',
    'chip-mismatch': 'Ese firmware es para otro tipo de chip que el del dispensador.',
    'corrupt-backup': 'La copia de seguridad está dañada.',
    'cross-origin': 'Petición rechazada: viene de otra página.',
    'device-blocked': 'Ese dispensador está bloqueado.',
    'duplicate-alarm': 'Hay dos alarmas con el mismo nombre y hora el mismo día.',
    'firmware-not-found': 'Ese firmware ya no existe.',
    'firmware-too-large': 'El firmware es demasiado grande.',
    'insufficient-space': 'No hay espacio suficiente en el disco del servidor.',
    'invalid-cursor': 'La página pedida ya no es válida; recarga.',
    'invalid-firmware': 'El archivo no es un firmware válido para ESP32.',
    'invalid-version': 'La versión no es válida (usa el formato 1.2.3).',
    'key-from-environment':
      'La clave de los dispensadores está fijada por el entorno del servidor.',
    'malformed-multipart': 'El archivo no llegó completo; inténtalo de nuevo.',
    'multipart-required': 'Falta el archivo.',
    'no-recipients': 'Todavía no hay ningún chat de Telegram vinculado.',
    'not-a-backup': 'Ese archivo no es una copia de Pastillero.',
    'not-an-archive': 'Ese archivo no es una exportación de Pastillero.',
    'not-found': 'No encontrado.',
    'range-too-large': 'El periodo pedido es demasiado largo.',
    'rate-limited': 'Demasiadas peticiones; espera un momento.',
    'recipient-not-found': 'Ese chat ya no está vinculado.',
    'schedule-version-conflict': 'Otra persona cambió el horario mientras lo editabas.',
    'telegram-not-configured': 'Primero guarda el token del bot de Telegram.',
    'token-from-environment': 'El token de Telegram está fijado por el entorno del servidor.',
    'unknown-alarm': 'Esa alarma ya no está en el horario; recarga.',
    'version-exists': 'Esa versión de firmware ya está subida.',
    'http-4xx': 'El servidor no aceptó la petición.',
    'http-5xx': 'El servidor tuvo un problema. Inténtalo de nuevo.',
    fieldNames: {
      name: 'nombre',
      version: 'versión',
      notes: 'notas',
      password: 'contraseña',
      file: 'archivo',
      time_zone: 'zona horaria',
      missed_dose_after_s: 'margen para tomar la dosis',
      offline_after_s: 'aviso de sin conexión',
      port: 'puerto',
      host: 'dirección'
    },
    field: '{message} (campo: {field})'
  }
}

export default serverErrorsEs
