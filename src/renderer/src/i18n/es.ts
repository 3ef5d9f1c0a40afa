import accountsEs from './accounts.es'
import alertsEs from './alerts.es'
import deviceTrustEs from './device-trust.es'
import firmwareEs from './firmware.es'
import schedulesEs from './schedules.es'
import systemEs from './system.es'
import todayEs from './today.es'
import serverErrorsEs from './server-errors.es'
import healthEs from './health.es'
import eventWordsEs from './event-words.es'
import alertTextEs from './alert-text.es'
import phoneNavEs from './phone-nav.es'
import connectHelpEs from './connect-help.es'
import smallThingsEs from './small-things.es'
import reportMoreEs from './report-more.es'

/**
 * Spanish, the default language. This object is the schema: en.ts must have the same keys.
 * vue-i18n treats { } @ $ | as syntax, so literal text here avoids them.
 */
const es = {
  ...firmwareEs,
  ...alertsEs,
  ...systemEs,
  ...schedulesEs,
  ...todayEs,
  ...serverErrorsEs,
  ...accountsEs,
  ...healthEs,
  ...eventWordsEs,
  ...alertTextEs,
  ...phoneNavEs,
  ...connectHelpEs,
  ...smallThingsEs,
  ...reportMoreEs,
  ...deviceTrustEs,
  app: {
    name: 'Pastillero',
    skipToContent: 'Saltar al contenido',
    signOut: 'Cerrar sesión',
    loading: 'Cargando…',
    retry: 'Reintentar',
    close: 'Cerrar',
    cancel: 'Cancelar',
    copy: 'Copiar',
    copied: 'Copiado',
    copyFailed: 'No se pudo copiar; selecciona el texto y cópialo a mano.',
    notAvailable: '—',
    notifications: 'Notificaciones'
  },
  nav: {
    label: 'Navegación principal',
    today: 'Hoy',
    devices: 'Dispositivos',
    history: 'Historial',
    settings: 'Ajustes',
    firmware: 'Firmware',
    alerts: 'Alertas',
    schedules: 'Horarios',
    adherence: 'Adherencia'
  },
  live: {
    open: 'En vivo',
    connecting: 'Conectando…',
    reconnecting: 'Reconectando…',
    idle: 'Sin conexión en vivo',
    lostDetail:
      'Se perdió la conexión en vivo con el servidor; reintentando. Los datos pueden estar desactualizados.'
  },
  login: {
    title: 'Iniciar sesión',
    intro: 'Introduce la contraseña de administración de este Pastillero.',
    password: 'Contraseña',
    submit: 'Entrar',
    submitting: 'Entrando…',
    failed: 'No se pudo iniciar sesión',
    expired: 'Tu sesión terminó. Vuelve a entrar para continuar.',
    checkFailed: 'No se pudo contactar con el servidor'
  },
  devices: {
    title: 'Dispositivos',
    summary: '{online} de {total} en línea',
    loadFailed: 'No se pudieron cargar los dispositivos',
    online: 'En línea',
    offline: 'Sin conexión',
    lastContact: 'Último contacto',
    ip: 'IP',
    firmware: 'Firmware',
    deviceId: 'Identificador',
    details: 'Detalles',
    reboot: 'Reiniciar',
    rebootTitle: '¿Reiniciar «{name}»?',
    rebootMessage:
      'El pastillero recibirá la orden en su próximo latido (cada 30–60 s) y se reiniciará.',
    rebootConfirm: 'Reiniciar',
    rebootFailed: 'No se pudo pedir el reinicio',
    rebootRequested: 'Reinicio pedido para «{name}»',
    phase: {
      pending: 'Reinicio pendiente: se enviará en el próximo latido',
      delivered: 'Reinicio entregado; esperando a que vuelva',
      backOnline: 'Reiniciado y de nuevo en línea'
    },
    phaseSteps: 'Progreso del reinicio'
  },
  empty: {
    title: 'Todavía no hay ningún pastillero',
    intro:
      'Pon estos datos en el firmware del ESP32. El pastillero aparecerá aquí solo, en cuanto envíe su primer latido; no hace falta recargar.',
    serverAddress: 'Dirección del servidor',
    otherAddresses: 'Otras direcciones de este equipo',
    noAddress:
      'No se encontró ninguna dirección de red local. Usa la IP de este equipo en tu red wifi.',
    apiKey: 'Clave de API (cabecera X-API-Key)',
    heartbeat: 'Latido cada 30–60 segundos',
    heartbeatHint: 'device_id suele ser la MAC del ESP32; name es el nombre que verás aquí.',
    copyRequest: 'Copiar petición',
    tryIt: 'Pruébalo desde un ordenador',
    tryItHint: 'Este comando simula un pastillero: si lo ejecutas, aparecerá en esta página.',
    copyCommand: 'Copiar comando',
    events:
      'Los eventos (alarma, dosis tomada, reinicio, actualización) se envían con POST a /api/events/ con la misma clave.',
    loadFailed: 'No se pudieron cargar los datos de conexión'
  },
  detail: {
    back: 'Volver a dispositivos',
    notFound: 'No existe ningún dispositivo con el identificador «{id}».',
    removed: 'Este dispositivo se ha olvidado.',
    info: 'Información',
    reportedName: 'Nombre que envía el dispositivo',
    firstSeen: 'Visto por primera vez',
    lastSeen: 'Último latido',
    heartbeats: 'Latidos recibidos',
    status: 'Estado informado',
    timeline: 'Actividad',
    timelineEmpty: 'Este dispositivo aún no ha enviado eventos.',
    settings: 'Ajustes del dispositivo',
    rename: 'Nombre',
    renameHint: 'Déjalo vacío para usar el nombre que envía el dispositivo.',
    save: 'Guardar nombre',
    saving: 'Guardando…',
    renamed: 'Nombre guardado',
    renameFailed: 'No se pudo cambiar el nombre',
    forget: 'Olvidar dispositivo',
    forgetHint:
      'Borra el dispositivo y todo su historial. Si vuelve a enviar latidos, aparecerá como nuevo.',
    forgetTitle: '¿Olvidar «{name}»?',
    forgetMessage: 'Se borrarán el dispositivo y todos sus eventos. No se puede deshacer.',
    forgetConfirm: 'Olvidar',
    forgotten: '«{name}» olvidado',
    forgetFailed: 'No se pudo olvidar el dispositivo'
  },
  events: {
    types: {
      alarm_triggered: 'Alarma activada',
      alarm_ack: 'Alarma atendida',
      dose_taken: 'Dosis tomada',
      reboot: 'Reinicio',
      ota_start: 'Actualización iniciada',
      ota_done: 'Actualización completada',
      ota_fail: 'Actualización fallida'
    },
    loadMore: 'Cargar más',
    loadingMore: 'Cargando…',
    end: 'No hay más eventos.',
    loadFailed: 'No se pudieron cargar los eventos',
    deviceTime: 'hora del dispositivo',
    receivedAt: 'recibido'
  },
  history: {
    title: 'Historial',
    filters: 'Filtros',
    device: 'Dispositivo',
    allDevices: 'Todos los dispositivos',
    type: 'Tipo de evento',
    allTypes: 'Todos los tipos',
    from: 'Desde',
    to: 'Hasta',
    clear: 'Quitar filtros',
    badRange: 'La fecha «desde» es posterior a «hasta».',
    showing: 'Mostrando {count} evento | Mostrando {count} eventos',
    moreAvailable: 'hay más',
    empty: 'No hay eventos con estos filtros.',
    when: 'Fecha',
    what: 'Evento',
    detail: 'Detalle',
    export: 'Exportar CSV',
    exporting: 'Exportando… {count} eventos',
    exportCancel: 'Cancelar exportación',
    exported: 'Exportado {count} evento | Exportados {count} eventos',
    exportFailed: 'No se pudo exportar el historial',
    exportCancelled: 'Exportación cancelada'
  },
  settings: {
    title: 'Ajustes',
    connectTitle: 'Conectar un pastillero',
    connectIntro: 'Todo lo que necesita el firmware del ESP32 para hablar con este servidor.',
    addresses: 'Direcciones del servidor',
    port: 'Puerto',
    apiKey: 'Clave de API de los dispositivos',
    show: 'Mostrar',
    hide: 'Ocultar',
    keyHidden: 'Clave oculta',
    version: 'Versión del servidor',
    dataDir: 'Carpeta de datos',
    restartRequired: 'Hay cambios de puerto o dirección que se aplicarán al reiniciar el servidor.',
    loadFailed: 'No se pudieron cargar los ajustes',
    presenceTitle: 'Presencia',
    offlineAfter: 'Marcar sin conexión tras (segundos sin latido)',
    offlineAfterHint: 'Entre 30 y 86400. Los pastilleros laten cada 30–60 s; 180 es un buen valor.',
    overridden: 'Fijado por {source}: este valor manda sobre el guardado aquí.',
    save: 'Guardar',
    saved: 'Ajustes guardados',
    saveFailed: 'No se pudieron guardar los ajustes',
    passwordTitle: 'Contraseña de administración',
    currentPassword: 'Contraseña actual',
    newPassword: 'Contraseña nueva',
    confirmPassword: 'Repite la contraseña nueva',
    passwordHint: 'Al menos 8 caracteres.',
    passwordMismatch: 'Las contraseñas nuevas no coinciden.',
    passwordTooShort: 'La contraseña nueva debe tener al menos 8 caracteres.',
    changePassword: 'Cambiar contraseña',
    passwordChanged: 'Contraseña cambiada',
    passwordFailed: 'No se pudo cambiar la contraseña',
    languageTitle: 'Idioma',
    language: 'Idioma de la interfaz'
  },
  notFound: {
    title: 'Página no encontrada',
    back: 'Ir a dispositivos'
  }
}

export default es
export type MessageSchema = typeof es
