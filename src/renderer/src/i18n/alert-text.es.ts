/** Alert sentences built in the dashboard's language (lib/alert-text.ts). */
export default {
  alertText: {
    theDose: 'la dosis',
    unscheduled: 'fuera de horario, ',
    takenAt: '✅ Tomada a las {time}',
    rangAt: '🔔 Sí sonó, a las {time}',
    missed_dose: '{device}: no se tomó {label} (alarma {unscheduled}{alarm})',
    dose_taken_late: '{device}: se tomó {label} a las {taken} (alarma {alarm})',
    device_offline: '{device}: sin conexión desde las {since}',
    device_online: '{device}: vuelve a estar en línea',
    ota_failed: '{device}: falló la actualización a {version}{error}',
    reboot_loop: '{device}: se reinició {count} veces en 10 minutos',
    schedule_missed: '{device}: la alarma {label} de las {alarm} no sonó'
  }
}
