/** Small helpers for talking real HTTP to a test core. */
export interface JsonResponse<T = unknown> {
  status: number
  headers: Headers
  body: T
}

export async function request<T = any>(
  url: string,
  init: {
    method?: string
    headers?: Record<string, string>
    body?: unknown
    raw?: string
  } = {}
): Promise<JsonResponse<T>> {
  const headers: Record<string, string> = { ...init.headers }
  let body: string | undefined
  if (init.raw !== undefined) body = init.raw
  else if (init.body !== undefined) {
    body = JSON.stringify(init.body)
    headers['content-type'] ??= 'application/json'
  }
  const res = await fetch(url, { method: init.method ?? (body ? 'POST' : 'GET'), headers, body })
  const text = await res.text()
  let parsed: unknown = text
  try {
    parsed = text ? JSON.parse(text) : undefined
  } catch {
    // leave as text
  }
  return { status: res.status, headers: res.headers, body: parsed as T }
}

export function heartbeatBody(deviceId: string, extra: Record<string, unknown> = {}) {
  return {
    device_id: deviceId,
    firmware_version: '1.0.0',
    ip_address: '192.168.1.50',
    status: 'online',
    name: 'Pastillero Cocina',
    ...extra
  }
}
