/** Schedules: the device's own labels, and whether it has the schedule shown. */
export default {
  scheduleSync: {
    applied: 'El dispensador tiene el horario nuevo',
    pending: 'Pendiente: el dispensador aún no tiene este horario',
    labelsSent: 'Etiquetas que ha enviado este dispensador: {labels}'
  }
}
