/**
 * Spanish strings of the server upkeep in Settings (family settings, Telegram, device key,
 * backups, log) and of blocking a device (merged into es.ts).
 */
const systemEs = {
  family: {
    title: 'Familia y avisos',
    intro: 'Zona horaria, idioma de los mensajes y cuándo avisar.',
    timeZone: 'Zona horaria',
    timeZoneHint: 'Los horarios y los mensajes usan esta hora.',
    language: 'Idioma de los mensajes de Telegram',
    missedAfter: 'Margen para tomar la dosis (minutos)',
    missedAfterHint:
      'Una sola regla para todo: la dosis tomada dentro de su margen cuenta «a tiempo» y nunca avisa; si al acabar el margen no se ha tomado, cuenta como olvidada y llega el aviso «no se tomó». Si se toma después, el aviso se cierra solo («tomada a las 08:35»). Cada alarma del horario tiene su propio margen (60 min por defecto); este vale para las alarmas que no están en ningún horario. Entre 1 y 1440.',
    quietHours: 'Horas de silencio',
    quietHoursOn: 'Enviar los avisos sin sonido en un horario',
    quietHoursHint: 'En ese horario los avisos llegan igual, pero sin sonar.',
    quietStart: 'Desde',
    quietEnd: 'Hasta',
    mdns: 'Anunciar el servidor en la red local (mDNS)',
    mdnsHint: 'Así los pastilleros encuentran el servidor por su nombre, sin saber su IP.',
    mdnsName: 'Se anuncia como «{name}».',
    mdnsOff: 'Ahora no se anuncia en la red.',
    backupKeep: 'Copias diarias que se guardan',
    backupKeepHint: 'Entre 1 y 365.',
    retention: 'Borrar eventos de más de (días)',
    retentionHint: '0 guarda todo el historial.',
    wholeNumber: '{field}: escribe un número entero.',
    nothingToSave: 'No hay cambios que guardar',
    save: 'Guardar ajustes de familia'
  },
  telegram: {
    title: 'Telegram',
    intro: 'Los avisos llegan al teléfono por un bot de Telegram de la familia.',
    state: 'Estado',
    states: {
      disabled: 'Desactivado',
      starting: 'Conectando…',
      ok: 'Funcionando',
      conflict: 'En conflicto',
      error: 'Con error'
    },
    disabledHelp:
      'Para activarlo, crea un bot con {botfather} en Telegram y pega aquí el token que te da.',
    conflictHelp:
      'Otro programa está usando este mismo bot (otro Pastillero, un script o una copia antigua). Telegram solo deja que uno lo escuche: detén el otro programa o crea un bot nuevo para este servidor. Mientras tanto los avisos se siguen enviando, pero no funcionan ni la vinculación con /start ni los botones del bot.',
    errorHelp: 'Telegram respondió con un error:',
    serverMessage: 'Detalle',
    bot: 'Bot',
    token: 'Token del bot',
    tokenHint: 'Te lo da BotFather al crear el bot; se parece a 123456:ABC-DEF…',
    tokenSet: 'Hay un token guardado. Escribe otro para cambiarlo.',
    tokenFromEnv: 'El token lo fija TELEGRAM_BOT_TOKEN en el entorno del servidor; cámbialo allí.',
    saveToken: 'Guardar token',
    tokenSaved: 'Token guardado; el bot se está conectando',
    tokenFailed: 'No se pudo guardar el token',
    removeToken: 'Quitar token',
    removeTokenTitle: '¿Quitar el token del bot?',
    removeTokenMessage: 'Los avisos dejarán de llegar por Telegram hasta que pongas otro.',
    tokenRemoved: 'Token quitado: Telegram desactivado',
    linkTitle: 'Vincular un teléfono',
    linkSteps:
      'Abre Telegram en el teléfono que debe recibir los avisos y envía {command} al bot {bot}.',
    linkStepsNoBot:
      'Cuando el bot esté funcionando, envía {command} al bot desde el teléfono que debe recibir los avisos.',
    linkCode: 'Código de vinculación',
    newCode: 'Nuevo código',
    newCodeDone: 'Código nuevo: el anterior ya no sirve',
    newCodeFailed: 'No se pudo crear un código nuevo',
    recipients: 'Destinatarios',
    noRecipients: 'Nadie recibe los avisos todavía.',
    linked: 'vinculado',
    fromEnv: 'fijado por TELEGRAM_CHAT_ID',
    remove: 'Quitar',
    removeLabel: 'Quitar a {name}',
    removeTitle: '¿Quitar a {name}?',
    removeMessage: 'Dejará de recibir los avisos. Puede volver a vincularse con el código.',
    removeConfirm: 'Quitar',
    removed: '{name} ya no recibe avisos',
    removeFailed: 'No se pudo quitar el destinatario',
    mutedUntil: 'Avisos silenciados con /silencio hasta {time}.',
    test: 'Enviar mensaje de prueba',
    testing: 'Enviando…',
    testOk: 'Mensaje de prueba enviado',
    testSomeFailed: 'El mensaje de prueba no llegó a todos',
    testFailed: 'No se pudo enviar el mensaje de prueba',
    testResults: 'Resultado de la prueba',
    testSent: 'Enviado',
    testError: 'Falló: {error}',
    loadFailed: 'No se pudo cargar el estado de Telegram'
  },
  deviceKey: {
    title: 'Cambiar la clave de los pastilleros',
    intro:
      'Si la clave de API se ha filtrado, crea otra. La anterior sigue valiendo unas horas, para que puedas poner la nueva en cada pastillero.',
    grace: 'La clave anterior sigue valiendo (horas)',
    graceHint: 'Entre 0 y 720. Con 0 deja de valer en el acto.',
    rotate: 'Cambiar la clave',
    rotateTitle: '¿Cambiar la clave de los pastilleros?',
    rotateMessage:
      'Se creará una clave nueva que tendrás que poner en el firmware de cada pastillero. La anterior deja de valer {when}.',
    now: 'en el acto',
    inHours: 'dentro de {hours} h',
    rotateConfirm: 'Cambiar la clave',
    rotated: 'Clave cambiada',
    rotateFailed: 'No se pudo cambiar la clave',
    newKey: 'Clave nueva',
    previousUntil: 'La clave anterior sigue valiendo hasta el {time}.',
    fromEnv:
      'La clave la fija API_SECRET_KEY en el entorno del servidor, así que no se puede cambiar desde aquí; cámbiala allí.'
  },
  backups: {
    title: 'Copias de seguridad',
    intro:
      'El servidor hace una copia al día y guarda las últimas. Restaurar una reemplaza todos los datos actuales.',
    empty: 'Todavía no hay copias.',
    kinds: {
      auto: 'Automática',
      manual: 'Manual'
    },
    now: 'Hacer copia ahora',
    making: 'Copiando…',
    made: 'Copia creada',
    failed: 'No se pudo hacer la copia',
    restore: 'Restaurar',
    restoreLabel: 'Restaurar la copia del {date}',
    restoreTitle: '¿Restaurar la copia del {date}?',
    restoreMessage:
      'Todos los datos actuales se reemplazarán por los de la copia y el servidor se reiniciará.',
    restoreConfirm: 'Restaurar y reiniciar',
    restoreFailed: 'No se pudo restaurar la copia',
    restarting:
      'El servidor se está reiniciando con los nuevos datos. La página se recargará sola en unos segundos.',
    exportTitle: 'Exportar e importar',
    exportHint:
      'Un solo archivo con todo (datos, firmware y ajustes), para guardarlo o llevarlo a otro equipo.',
    export: 'Descargar exportación',
    import: 'Importar un archivo…',
    importTitle: '¿Importar «{name}»?',
    importMessage:
      'Todos los datos actuales se reemplazarán por los del archivo y el servidor se reiniciará.',
    importConfirm: 'Importar y reiniciar',
    importing: 'Importando… {percent} %',
    importFailed: 'No se pudo importar el archivo',
    loadFailed: 'No se pudieron cargar las copias'
  },
  logs: {
    title: 'Registro reciente',
    hint: 'Las últimas líneas del registro del servidor, por si algo falla.',
    refresh: 'Actualizar',
    empty: 'El registro está vacío.',
    loadFailed: 'No se pudo leer el registro',
    time: 'Hora',
    level: 'Nivel',
    message: 'Mensaje'
  },
  blocking: {
    title: 'Bloqueo',
    toggle: 'Bloquear dispositivo',
    hint: 'Un dispositivo bloqueado recibe un error y nada de lo que envía se guarda. Sirve para cortar un aparato que no reconoces.',
    badge: 'Bloqueado',
    banner: 'Este dispositivo está bloqueado: sus latidos y eventos se rechazan.',
    blockTitle: '¿Bloquear «{name}»?',
    blockMessage: 'Sus latidos y eventos se rechazarán y no se guardarán hasta que lo desbloquees.',
    blockConfirm: 'Bloquear',
    unblockTitle: '¿Desbloquear «{name}»?',
    unblockMessage: 'Se volverá a aceptar lo que envíe.',
    unblockConfirm: 'Desbloquear',
    blocked: '«{name}» bloqueado',
    unblocked: '«{name}» desbloqueado',
    failed: 'No se pudo cambiar el bloqueo'
  }
}

export default systemEs
