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

/**
 * An Arduino (ESP32) sketch fragment that finds the server the way the reference firmware does
 * (firmware/README.md, "Finding the server"): mDNS `_pastillero._tcp` first, taking the address
 * from the A record (HTTPClient cannot resolve .local) and skipping servers whose TXT api is not
 * 1; the fixed address as the fallback.
 */
export function arduinoSnippet(fallbackUrl: string, apiKey: string): string {
  const c = (s: string) => JSON.stringify(s)
  return [
    '#include <ESPmDNS.h>',
    '#include <HTTPClient.h>',
    '',
    `const char* PASTILLERO_FALLBACK = ${c(fallbackUrl)};`,
    `const char* PASTILLERO_KEY = ${c(apiKey)};`,
    '',
    'String findPastillero() {',
    '  if (MDNS.begin("pastillero-esp32")) {',
    '    int n = MDNS.queryService("pastillero", "tcp");  // _pastillero._tcp, about 3 s',
    '    for (int i = 0; i < n; i++) {',
    '      if (MDNS.hasTxt(i, "api") && MDNS.txt(i, "api") != "1") continue;',
    '      IPAddress ip = MDNS.address(i);  // the A record: HTTPClient cannot resolve .local',
    '      if (ip == IPAddress()) continue;',
    '      return "http://" + ip.toString() + ":" + String(MDNS.port(i));',
    '    }',
    '  }',
    '  return PASTILLERO_FALLBACK;',
    '}',
    '',
    'void sendHeartbeat(const String& server) {',
    '  HTTPClient http;',
    '  http.begin(server + "/api/devices/heartbeat");',
    '  http.addHeader("Content-Type", "application/json");',
    '  http.addHeader("X-API-Key", PASTILLERO_KEY);',
    '  String body = "{\\"device_id\\":\\"" + WiFi.macAddress() + "\\",\\"status\\":\\"online\\"}";',
    '  http.POST(body);',
    '  http.end();',
    '}'
  ].join('\n')
}
