/** What a dispenser must send, filled in with this server's values (the seed's heartbeat). */

export const EXAMPLE_HEARTBEAT = {
  device_id: 'AA:BB:CC:DD:EE:FF',
  firmware_version: '1.0.0',
  ip_address: '192.168.1.50',
  status: 'online',
  name: 'Pastillero Cocina'
}

export function serverBaseUrl(host: string, port: number): string {
  const h = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host
  return `http://${h}:${port}`
}

export function heartbeatRequest(host: string, port: number, apiKey: string): string {
  const authority = serverBaseUrl(host, port).slice('http://'.length)
  return [
    'POST /api/devices/heartbeat HTTP/1.1',
    `Host: ${authority}`,
    `X-API-Key: ${apiKey}`,
    'Content-Type: application/json',
    '',
    JSON.stringify(EXAMPLE_HEARTBEAT, null, 2)
  ].join('\n')
}

/** A POSIX-shell curl line; single quotes inside values are escaped for the shell. */
export function heartbeatCurl(host: string, port: number, apiKey: string): string {
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`
  return [
    `curl -X POST ${q(`${serverBaseUrl(host, port)}/api/devices/heartbeat`)}`,
    `  -H ${q(`X-API-Key: ${apiKey}`)}`,
    `  -H 'Content-Type: application/json'`,
    `  -d ${q(JSON.stringify(EXAMPLE_HEARTBEAT))}`
  ].join(' \\\n')
}

/** Listening on loopback only: no dispenser on the network can reach this server. */
export function isLoopbackHost(host: string | undefined): boolean {
  return !!host && /^(127\.|localhost$|::1$|\[::1\]$)/i.test(host)
}

/**
 * An Arduino (ESP32) sketch fragment: find the server by mDNS (_pastillero._tcp), else use the
 * fixed address. Comments stay in English, as in the firmware sources.
 */
export function arduinoDiscovery(fallbackUrl: string): string {
  return [
    '#include <ESPmDNS.h>',
    '',
    '// Find Pastillero on the LAN by mDNS; fall back to the fixed address.',
    'String pastilleroUrl() {',
    '  if (MDNS.begin("pastillero-dispenser")) {',
    '    int n = MDNS.queryService("pastillero", "tcp");',
    '    if (n > 0) return "http://" + MDNS.IP(0).toString() + ":" + String(MDNS.port(0));',
    '  }',
    `  return "${fallbackUrl}";`,
    '}'
  ].join('\n')
}
