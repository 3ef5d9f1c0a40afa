/** Spanish strings of a device's health (what its heartbeat reports; merged into es.ts). */
const healthEs = {
  health: {
    title: 'Estado del aparato',
    none: 'Este firmware no informa de su estado (chip, señal, memoria).',
    chip: 'Chip',
    schedule: 'Horario aplicado',
    scheduleVersion: 'versión {version}',
    scheduleNone: 'ninguno todavía',
    signal: 'Señal wifi',
    signalValue: '{quality} ({dbm})',
    quality: {
      excellent: 'excelente',
      good: 'buena',
      fair: 'regular',
      weak: 'débil',
      none: 'sin señal'
    },
    memory: 'Memoria libre',
    uptime: 'Encendido desde hace',
    resetReason: 'Último arranque',
    reasons: {
      poweron: 'al conectarlo a la corriente',
      software: 'reinicio pedido',
      panic: 'tras un fallo del programa',
      watchdog: 'tras bloquearse (vigilante)',
      brownout: 'por una bajada de tensión',
      deepsleep: 'al despertar',
      external: 'con el botón de reinicio',
      ota: 'tras instalar una actualización',
      rollback: 'volvió a la versión anterior',
      other: 'motivo «{reason}»'
    }
  }
}

export default healthEs
