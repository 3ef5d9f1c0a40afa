/** How a dispenser reaches this server (ConnectHelp.vue). */
export default {
  connectHelp: {
    loopbackTitle: 'Los pastilleros no pueden conectarse a este servidor',
    loopbackBody:
      'Este servidor solo escucha en este equipo ({host}): ningún pastillero podrá conectarse, aunque use las direcciones de abajo.',
    loopbackFix:
      'Para arreglarlo, en Ajustes pon la dirección de escucha 0.0.0.0 y reinicia Pastillero, o arráncalo así:',
    loopbackFlag: 'pastillero --host 0.0.0.0',
    loopbackEnv: 'o con la variable de entorno PASTILLERO_HOST=0.0.0.0.',
    mdnsName: 'Nombre en la red (mDNS)',
    mdnsNone: 'No se anuncia en la red: los pastilleros necesitan la dirección fija.',
    mdnsHint:
      'Los pastilleros lo buscan como _pastillero._tcp; si el router bloquea mDNS usan la dirección fija.',
    arduinoTitle: 'Para tu propio programa de Arduino',
    arduinoHint:
      'Busca el servidor por mDNS y, si no lo encuentra, usa la dirección fija; así lo hace el firmware de referencia.',
    copyArduino: 'Copiar el código',
    curlTitle: 'Probar la conexión desde otro equipo',
    curlHint: 'Debe responder {ok}. Si no contesta, el pastillero tampoco llegará.',
    copyCurl: 'Copiar la orden'
  }
}
