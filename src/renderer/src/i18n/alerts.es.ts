/** Spanish strings of the Alerts view and the alert badges (merged into es.ts). */
const alertsEs = {
  alerts: {
    title: 'Alertas',
    intro:
      'Avisos que el servidor manda por Telegram: dosis no tomadas, pastilleros sin conexión, actualizaciones fallidas. Márcalos como vistos cuando alguien se haya ocupado.',
    filters: 'Filtros',
    show: 'Mostrar',
    open: 'Sin ver',
    all: 'Todas',
    device: 'Dispositivo',
    allDevices: 'Todos los dispositivos',
    empty: 'No hay alertas.',
    emptyOpen: 'No hay alertas sin ver.',
    loadFailed: 'No se pudieron cargar las alertas',
    loadMore: 'Cargar más',
    loadingMore: 'Cargando…',
    end: 'No hay más alertas.',
    kinds: {
      missed_dose: 'Dosis no tomada',
      dose_taken_late: 'Dosis tomada tarde',
      device_offline: 'Sin conexión',
      device_online: 'De nuevo en línea',
      ota_failed: 'Actualización fallida',
      reboot_loop: 'Reinicios seguidos',
      schedule_missed: 'Alarma que no sonó'
    },
    ack: 'Visto',
    ackLabel: 'Marcar como vista: {text}',
    acking: 'Marcando…',
    ackFailed: 'No se pudo marcar la alerta como vista',
    seenBy: 'Visto por {who}',
    unseen: 'Sin ver',
    deliveries: 'Envíos por Telegram',
    noDeliveries: 'No se envió por Telegram (no hay destinatarios vinculados).',
    recipient: 'Destinatario',
    status: {
      pending: 'Pendiente',
      sent: 'Enviado',
      failed: 'Falló'
    },
    attempts: '{count} intento | {count} intentos',
    oneAttempt: '1 intento',
    silent: 'sin sonido (horas de silencio)',
    lastError: 'Último error',
    badge: 'ninguna alerta sin ver | {count} alerta sin ver | {count} alertas sin ver',
    deviceBadge: '{count} alerta sin ver | {count} alertas sin ver'
  }
}

export default alertsEs
