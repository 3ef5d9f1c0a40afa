/**
 * Server error codes in Spanish (merged into es.ts). The dashboard shows these instead of the
 * server's English `message`, which stays for API users. Keys `code--field` give a sentence for
 * one field; a code missing here shows `unknownCode` with the code, never the English message.
 */
const serverErrorsEs = {
  serverErrors: {
    'account-exists': 'Ya hay una cuenta con ese nombre.',
    'account-not-found': 'Esa cuenta ya no existe.',
    'admin-only': 'Solo una cuenta de administración puede hacer esto.',
    'alert-not-found': 'Ese aviso ya no existe.',
    'archive-too-large': 'El archivo es demasiado grande para importarlo.',
    'backup-from-newer-version':
      'Esta copia es de una versión más nueva de Pastillero. Actualiza el programa antes de importarla.',
    'backup-not-found': 'Esa copia de seguridad ya no existe.',
    'bad-response': 'El servidor respondió algo inesperado.',
    'cannot-remove-self': 'No puedes eliminar tu propia cuenta.',
    'chip-mismatch': 'Este firmware es para otro modelo de chip que el de ese dispensador.',
    'corrupt-backup': 'La copia de seguridad está dañada.',
    'cross-origin': 'Se rechazó una petición desde otra página.',
    'device-blocked': 'Ese dispensador está bloqueado.',
    'device-not-adopted': 'Ese dispensador todavía no está aceptado.',
    'device-not-found': 'Ese dispensador ya no existe.',
    'device-not-pending': 'Ese dispensador ya no está esperando a ser aceptado.',
    'duplicate-alarm': 'Dos alarmas tienen la misma etiqueta y hora el mismo día.',
    'firmware-not-found': 'Ese firmware ya no existe.',
    'firmware-too-large': 'El archivo es demasiado grande para ser un firmware.',
    'insufficient-space': 'No hay espacio suficiente en el disco del servidor.',
    'internal-error': 'Error interno del servidor. Mira el registro reciente en Ajustes.',
    'invalid-cursor': 'La lista cambió. Vuelve a cargarla.',
    'invalid-firmware':
      'Este archivo no es una imagen de firmware de ESP32 válida (¿es el .bin de la aplicación?).',
    'invalid-version': 'La versión no es válida. Usa el formato 1.2.3.',
    'key-from-environment':
      'La clave de los dispensadores está fijada por el entorno del servidor y no se puede cambiar aquí.',
    'last-admin': 'Tiene que quedar al menos una cuenta de administración.',
    'malformed-multipart': 'La subida llegó dañada. Vuelve a intentarlo.',
    'multipart-required': 'El archivo no se envió como formulario.',
    'network-error': 'No se pudo contactar con el servidor. Comprueba que sigue en marcha.',
    'no-recipients': 'Todavía no hay nadie que reciba los avisos de Telegram.',
    'not-a-backup': 'Este archivo no es una base de datos de Pastillero.',
    'not-an-archive': 'Este archivo no es una exportación de Pastillero (.tar.gz).',
    'not-found': 'El servidor no conoce esta función. ¿Está actualizado?',
    'not-signed-in': 'Tu sesión terminó. Vuelve a iniciar sesión.',
    'password-from-environment':
      'La contraseña está fijada por el entorno del servidor (ADMIN_PASSWORD) y no se puede cambiar aquí.',
    'payload-too-large': 'Lo enviado es demasiado grande.',
    'range-too-large': 'El periodo pedido es demasiado largo.',
    'rate-limited': 'Demasiadas peticiones. Vuelve a intentarlo en {seconds} s.',
    'recipient-not-found': 'Ese destinatario ya no existe.',
    'schedule-version-conflict':
      'Alguien cambió este horario mientras lo editabas. Recarga y vuelve a editarlo.',
    'telegram-not-configured': 'Primero guarda el token del bot de Telegram.',
    'token-from-environment':
      'El token del bot está fijado por el entorno del servidor y no se puede cambiar aquí.',
    'too-many-attempts': 'Demasiados intentos fallidos. Espera un poco y vuelve a probar.',
    'unknown-alarm': 'Esa alarma ya no está en el horario. Recarga y vuelve a editarlo.',
    'unknown-host': 'El servidor no reconoce la dirección usada para abrir el panel.',
    'validation-failed': 'Algún dato no es válido. Revisa el formulario.',
    'version-exists': 'La versión {version} ya está subida.',
    'wrong-password': 'El nombre o la contraseña no son correctos.',
    'wrong-password--current_password': 'La contraseña actual no es correcta.',
    unknown: 'Error inesperado.',
    unknownCode: 'Error inesperado del servidor (código: {code}).',
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
