/** Spanish strings for adopting dispensers, device tokens and the short-key warning (merged into es.ts). */
const deviceTrustEs = {
  adoption: {
    title: 'Pastilleros nuevos',
    toggle: 'Aceptar pastilleros nuevos',
    openFor: 'Abierto: los pastilleros nuevos se aceptan solos durante {minutes} min más.',
    closed: 'Cerrado: un pastillero nuevo espera aquí hasta que lo adoptes.',
    hint: 'Ábrelo solo mientras enchufas un pastillero nuevo. Se cierra solo al cabo de una hora.',
    opened: 'Se aceptan pastilleros nuevos durante una hora',
    closedNow: 'Ya no se aceptan pastilleros nuevos',
    failed: 'No se pudo cambiar',
    pendingTitle: 'Esperando a ser adoptados',
    pendingHint:
      'Estos pastilleros usan la clave compartida pero nadie los ha aceptado: no se guarda nada de lo que envían. Adopta solo los que reconozcas.',
    lastSeen: 'Visto por última vez',
    address: 'Dirección',
    attempts: 'Intentos',
    adopt: 'Adoptar',
    dismiss: 'Descartar',
    adopted: '{name} adoptado: se aceptará en su próximo latido',
    dismissed: '{name} quitado de la lista',
    actionFailed: 'No se pudo completar'
  },
  deviceToken: {
    title: 'Credencial del pastillero',
    state: {
      none: 'Usa la clave compartida de los pastilleros.',
      issued: 'Se le ha dado un token propio; aún no lo ha usado.',
      active: 'Usa su propio token: la clave compartida ya no sirve para este pastillero.',
      revoked: 'Token revocado: este pastillero no puede conectarse hasta que emitas otro.'
    },
    issuedAt: 'Token emitido',
    usedAt: 'Primer uso',
    revoke: 'Revocar token',
    reissue: 'Emitir de nuevo',
    revokeTitle: '¿Revocar el token de {name}?',
    revokeMessage:
      'Ni su token ni la clave compartida le servirán. Hazlo si el pastillero se ha perdido o alguien ha podido leer su memoria.',
    reissueTitle: '¿Emitir un token nuevo para {name}?',
    reissueMessage:
      'El token actual deja de valer. En su próximo latido con la clave compartida recibirá uno nuevo.',
    revoked: 'Token revocado',
    reissued: 'Se le dará un token nuevo en su próximo latido',
    failed: 'No se pudo cambiar el token',
    loadFailed: 'No se pudo cargar la credencial'
  },
  shortKey: {
    warning:
      'La clave de los pastilleros es corta: cualquiera en la red podría adivinarla. Funciona, pero conviene cambiarla.',
    action:
      'Cámbiala en Ajustes con un periodo de gracia: la antigua sigue valiendo mientras actualizas cada pastillero.',
    goToSettings: 'Ir a Ajustes'
  }
}

export default deviceTrustEs
