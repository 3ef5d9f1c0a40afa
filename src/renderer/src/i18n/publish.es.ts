/** Choosing who gets a firmware just uploaded (FirmwarePublish.vue). */
export default {
  publish: {
    title: '¿Para quién es el firmware {version}?',
    lead: 'Todavía no se ofrece a ningún pastillero. Elige y confirma; hasta entonces no se instala en ninguno.',
    choice: 'Publicar',
    options: {
      all: 'Para todos',
      devices: 'Para estos pastilleros',
      percent: 'Un porcentaje',
      none: 'Todavía no'
    },
    confirm: 'Confirmar',
    confirmTitle: '¿Publicar el firmware {version}?',
    confirmAll: 'Todos los pastilleros lo descargarán e instalarán en el próximo minuto.',
    confirmDevices: 'Lo descargarán e instalarán: {names}.',
    confirmPercent: 'Lo descargará e instalará el {percent} % de los pastilleros.',
    confirmButton: 'Publicar',
    published: 'Firmware {version} publicado',
    held: 'Firmware {version} guardado sin publicar. Publícalo cuando quieras desde la lista.',
    failed: 'No se pudo publicar el firmware'
  }
}
