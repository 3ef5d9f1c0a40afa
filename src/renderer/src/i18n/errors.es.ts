/**
 * Server error codes in words (Spanish). The server keeps its English message for API clients;
 * the dashboard shows these instead (lib/error-text.ts). A code missing here shows
 * errors.unknownCode with the code, never the English message.
 */
export default {
  errors: {
    'network-error': 'No se pudo contactar con el servidor. Comprueba que sigue en marcha.',
    'bad-response': 'El servidor respondió algo inesperado.',
    'wrong-password': 'El nombre o la contraseña no son correctos.',
    'wrong-password--current_password': 'La contraseña actual no es correcta.',
    'too-many-attempts': 'Demasiados intentos fallidos. Espera un poco y vuelve a probar.',
    'not-signed-in': 'Tu sesión terminó. Vuelve a iniciar sesión.',
    'validation-failed': 'Algún dato no es válido. Revisa el formulario.',
    'device-not-found': 'Ese dispensador ya no existe.',
    'password-from-environment':
      'La contraseña está fijada por el entorno del servidor (ADMIN_PASSWORD) y no se puede cambiar aquí.',
    'key-from-environment':
      'La clave de los dispensadores está fijada por el entorno del servidor y no se puede cambiar aquí.',
    'token-from-environment':
      'El token del bot está fijado por el entorno del servidor y no se puede cambiar aquí.',
    'admin-only': 'Solo una cuenta de administración puede hacer esto.',
    'account-exists': 'Ya hay una cuenta con ese nombre.',
    'account-not-found': 'Esa cuenta ya no existe.',
    'last-admin': 'Tiene que quedar al menos una cuenta de administración.',
    'cannot-remove-self': 'No puedes eliminar tu propia cuenta.',
    'alert-not-found': 'Ese aviso ya no existe.',
    'backup-not-found': 'Esa copia de seguridad ya no existe.',
    'corrupt-backup': 'La copia de seguridad está dañada.',
    'not-a-backup': 'Este archivo no es una base de datos de Pastillero.',
    'not-an-archive': 'Este archivo no es una exportación de Pastillero (.tar.gz).',
    'archive-too-large': 'El archivo es demasiado grande para importarlo.',
    'backup-from-newer-version':
      'Esta copia es de una versión más nueva de Pastillero. Actualiza el programa antes de importarla.',
    'firmware-not-found': 'Ese firmware ya no existe.',
    'invalid-firmware':
      'Este archivo no es una imagen de firmware de ESP32 válida (¿es el .bin de la aplicación?).',
    'invalid-version': 'La versión no es válida. Usa el formato 1.2.3.',
    'version-exists': 'La versión {version} ya está subida.',
    'firmware-too-large': 'El archivo es demasiado grande para ser un firmware.',
    'chip-mismatch': 'Este firmware es para otro modelo de chip que el de ese dispensador.',
    'multipart-required': 'El archivo no se envió como formulario.',
    'malformed-multipart': 'La subida llegó dañada. Vuelve a intentarlo.',
    'telegram-not-configured': 'Primero guarda el token del bot de Telegram.',
    'no-recipients': 'Todavía no hay nadie que reciba los avisos de Telegram.',
    'recipient-not-found': 'Ese destinatario ya no existe.',
    'schedule-version-conflict':
      'Alguien cambió este horario mientras lo editabas. Recarga y vuelve a editarlo.',
    'unknown-alarm': 'Esa alarma ya no está en el horario. Recarga y vuelve a editarlo.',
    'duplicate-alarm': 'Dos alarmas tienen la misma etiqueta y hora el mismo día.',
    'range-too-large': 'El periodo pedido es demasiado largo.',
    'invalid-cursor': 'La lista cambió. Vuelve a cargarla.',
    'rate-limited': 'Demasiadas peticiones. Vuelve a intentarlo en {seconds} s.',
    'device-not-pending': 'Ese dispensador ya no está esperando a ser aceptado.',
    'device-not-adopted': 'Ese dispensador todavía no está aceptado.',
    'device-blocked': 'Ese dispensador está bloqueado.',
    'cross-origin': 'Se rechazó una petición desde otra página.',
    'unknown-host': 'El servidor no reconoce la dirección usada para abrir el panel.',
    'payload-too-large': 'Lo enviado es demasiado grande.',
    'not-found': 'El servidor no conoce esta función. ¿Está actualizado?',
    'internal-error': 'Error interno del servidor. Mira el registro reciente en Ajustes.',
    unknown: 'Error inesperado.',
    unknownCode: 'Error inesperado del servidor (código: {code}).'
  }
}
