/** Accounts of the family: sign-in name, the accounts card in the settings, roles. */
export default {
  accounts: {
    loginName: 'Nombre',
    loginNameHint: 'Déjalo vacío para entrar como la primera cuenta de administración.',
    signedInAs: 'Sesión de {name}',
    title: 'Cuentas de la familia',
    intro:
      'Cada persona entra con su nombre y su contraseña, y las alertas que marca como vistas llevan su nombre.',
    name: 'Nombre',
    role: 'Rol',
    roles: {
      admin: 'Administración',
      family: 'Familia'
    },
    roleHint:
      'Familia: ver, marcar alertas como vistas y editar horarios. Administración: además ajustes, firmware, cuentas y claves.',
    password: 'Contraseña',
    add: 'Añadir cuenta',
    adding: 'Añadiendo…',
    added: 'Cuenta añadida',
    addFailed: 'No se pudo añadir la cuenta',
    you: '(tú)',
    fromEnv: 'Contraseña fijada por ADMIN_PASSWORD',
    resetPassword: 'Nueva contraseña',
    reset: 'Cambiar',
    resetDone: 'Contraseña cambiada; sus sesiones se cerraron',
    resetFailed: 'No se pudo cambiar la contraseña',
    makeAdmin: 'Hacer administración',
    makeFamily: 'Hacer familia',
    roleChanged: 'Rol cambiado',
    roleFailed: 'No se pudo cambiar el rol',
    remove: 'Eliminar',
    removeConfirm: '¿Eliminar la cuenta de {name}? Sus sesiones se cerrarán.',
    removed: 'Cuenta eliminada',
    removeFailed: 'No se pudo eliminar la cuenta',
    loadFailed: 'No se pudieron cargar las cuentas',
    ownPasswordTitle: 'Tu contraseña',
    ownPasswordNote: 'Al cambiarla se cierran tus otras sesiones.'
  }
}
