/** Spanish strings of the Firmware view and the OTA progress on devices (merged into es.ts). */
const firmwareEs = {
  firmware: {
    title: 'Firmware',
    intro:
      'Sube aquí las actualizaciones del pastillero (el archivo .bin de la compilación del ESP32). Cada pastillero la descarga sola en su próximo latido si la publicación lo incluye.',
    uploadTitle: 'Subir firmware',
    dropHere: 'Arrastra aquí el archivo .bin del firmware',
    dropAnywhere: 'Puedes soltarlo en cualquier parte de esta página.',
    or: 'o',
    choose: 'Elegir archivo',
    overlay: 'Suelta el archivo de firmware',
    chosen: 'Archivo elegido',
    noFile: 'Ningún archivo elegido',
    oneFile: 'Suelta un solo archivo.',
    version: 'Versión (opcional)',
    versionHint: 'Si la dejas vacía se usa la versión grabada en el firmware.',
    notes: 'Notas (opcional)',
    notesHint: 'Qué cambia en esta versión. Hasta 1000 caracteres.',
    upload: 'Subir firmware',
    uploading: 'Subiendo… {percent} %',
    uploadProgress: 'Progreso de la subida',
    checking: 'Comprobando el firmware…',
    cancelUpload: 'Cancelar',
    uploaded: 'Firmware {version} subido',
    uploadFailed: 'No se pudo subir el firmware',
    uploadCancelled: 'Subida cancelada',
    listTitle: 'Versiones subidas',
    empty: 'Todavía no hay ningún firmware subido.',
    loadFailed: 'No se pudo cargar la lista de firmware',
    chip: 'Chip',
    project: 'Proyecto',
    size: 'Tamaño',
    buildDate: 'Compilado',
    idf: 'ESP-IDF',
    notesLabel: 'Notas',
    fileName: 'Archivo',
    uploadedAt: 'Subido',
    running: 'Pastilleros con esta versión',
    release: 'Publicación',
    targets: {
      all: 'Todos los pastilleros',
      devices: 'Pastilleros elegidos',
      percent: 'Un porcentaje'
    },
    summary: {
      all: 'Para todos',
      devices: 'Para {count} elegido | Para {count} elegidos',
      percent: 'Para el {percent} %'
    },
    percentLabel: 'Porcentaje de pastilleros',
    percentValue: '{percent} %',
    percentHint:
      'Cada pastillero queda siempre dentro o fuera del mismo grupo, así que subir el porcentaje solo añade pastilleros.',
    chooseDevices: 'Pastilleros que la reciben',
    noDevices: 'Todavía no hay pastilleros.',
    pickOne: 'Elige al menos un pastillero.',
    applyRelease: 'Aplicar',
    unchanged: 'Sin cambios',
    releaseSaved: 'Publicación de {version} actualizada',
    releaseFailed: 'No se pudo cambiar la publicación',
    active: 'Publicada',
    paused: 'En pausa',
    pause: 'Pausar',
    resume: 'Reanudar',
    pausedHint: 'En pausa no se ofrece a ningún pastillero.',
    pausedDone: '{version} en pausa',
    resumedDone: '{version} publicada de nuevo',
    delete: 'Borrar',
    deleteTitle: '¿Borrar el firmware {version}?',
    deleteMessage:
      'Dejará de ofrecerse a los pastilleros. Los que ya lo tienen instalado siguen con él.',
    deleteConfirm: 'Borrar',
    deleted: 'Firmware {version} borrado',
    deleteFailed: 'No se pudo borrar el firmware'
  },
  ota: {
    title: 'Actualización',
    states: {
      offered: 'Ofrecida',
      downloading: 'Descargando',
      installing: 'Instalando',
      rebooting: 'Reiniciando',
      done: 'Completada',
      failed: 'Fallida'
    },
    stepsLabel: 'Progreso de la actualización',
    toVersion: 'a {version}',
    fromTo: '{from} → {to}',
    retry: 'Reintentar',
    retried: 'Se volverá a ofrecer {version} a «{name}»',
    retryFailed: 'No se pudo reintentar la actualización',
    blocked: 'No se vuelve a ofrecer porque falló: {versions}',
    none: 'No ha recibido ninguna actualización desde este servidor.',
    updatedAt: 'Último cambio'
  }
}

export default firmwareEs
