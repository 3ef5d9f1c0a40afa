/** Spanish strings of the "Hoy" page (merged into es.ts). */
const todayEs = {
  clock: {
    askTitle: '¿En qué zona horaria vive la familia?',
    askIntro:
      'Las horas de las tomas, las alertas, el historial y los informes se muestran en esta zona, estés donde estés. La hemos rellenado con la de este navegador.',
    search: 'Buscar ciudad o país',
    noMatch: 'Ninguna zona coincide.',
    confirm: 'Usar esta zona',
    saveFailed: 'No se pudo guardar la zona horaria',
    note: 'Horas de {zone}'
  },
  release: {
    title: '¿Quién recibe la versión {version}?',
    intro: 'Está subida pero ningún pastillero la instalará hasta que elijas y confirmes.',
    legend: 'Publicar',
    all: 'Publicar para todos',
    devices: 'Para estos dispensadores',
    percent: 'Para un porcentaje',
    percentLabel: 'Porcentaje de dispensadores',
    later: 'Todavía no',
    confirm: 'Confirmar',
    heldToast: 'La versión {version} queda sin publicar',
    doneToast: 'Versión {version} publicada',
    failed: 'No se pudo publicar'
  },
  scheduleSync: {
    applied: 'El dispensador tiene el horario nuevo',
    pending: 'Pendiente: el dispensador aún no ha recogido el horario nuevo',
    labelsSent: 'Etiquetas que ha enviado este dispensador: {labels}'
  },
  today: {
    early: '{amount} antes',
    title: 'Hoy',
    intro: 'Las tomas de hoy de cada pastillero, en vivo.',
    dateLine: '{date} · hora de {zone}',
    loadFailed: 'No se pudo cargar el día de hoy',
    empty: 'Todavía no hay ningún pastillero. Conecta uno para ver aquí sus tomas.',
    setupLink: 'Cómo conectar un pastillero',
    noDoses: 'No hay tomas programadas hoy.',
    addSchedule: 'Añadir un horario',
    doses: 'Tomas de hoy',
    next: 'Próxima toma',
    nextToday: '{label} a las {time}',
    nextLater: '{label} el {date} a las {time}',
    noNext: 'Sin tomas programadas.',
    openAlerts: 'Alertas sin ver',
    seen: 'Visto',
    seeing: 'Marcando…',
    ackFailed: 'No se pudo marcar como vista',
    details: 'Ver el pastillero',
    health: {
      label: 'Estado',
      ok: 'Bien',
      attention: 'Revisar',
      offline: 'Sin conexión',
      blocked: 'Bloqueado'
    },
    status: {
      on_time: 'Tomada a las {time}',
      late: 'Tomada tarde, a las {time}',
      pending: 'Pendiente: quedan {left}',
      pendingNow: 'Pendiente',
      missed: 'No tomada',
      unknown: 'Sin datos: el pastillero no estaba conectado',
      upcoming: 'A las {time}'
    },
    unscheduled: 'fuera de horario',
    noLabel: 'Toma',
    taken: '{n} tomada | {n} tomadas',
    pending: '{n} pendiente | {n} pendientes',
    missed: '{n} no tomada | {n} no tomadas'
  }
}

export default todayEs
