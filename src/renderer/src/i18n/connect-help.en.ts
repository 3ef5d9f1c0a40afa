/** How a dispenser reaches this server (ConnectHelp.vue). */
export default {
  connectHelp: {
    loopbackTitle: 'Dispensers cannot connect to this server',
    loopbackBody:
      'This server only listens on this computer ({host}): no dispenser can connect, even with the addresses below.',
    loopbackFix:
      'To fix it, set the listen address to 0.0.0.0 in Settings and restart Pastillero, or start it like this:',
    loopbackFlag: 'pastillero --host 0.0.0.0',
    loopbackEnv: 'or with the environment variable PASTILLERO_HOST=0.0.0.0.',
    mdnsName: 'Name on the network (mDNS)',
    mdnsNone: 'Not announced on the network: dispensers need the fixed address.',
    mdnsHint:
      'Dispensers look for it as _pastillero._tcp; if the router blocks mDNS they use the fixed address.',
    arduinoTitle: 'For your own Arduino program',
    arduinoHint:
      'Finds the server by mDNS and, failing that, uses the fixed address; the reference firmware does the same.',
    copyArduino: 'Copy the code',
    curlTitle: 'Test the connection from another computer',
    curlHint: 'It should answer {ok}. If it does not, the dispenser will not get through either.',
    copyCurl: 'Copy the command'
  }
}
