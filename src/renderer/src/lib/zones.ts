/**
 * Common family time zones with names people recognise ("Madrid (España)"), for the zone picker
 * and for saying which zone times are shown in. Any other IANA zone still works: it is shown by
 * its city, taken from the IANA name.
 */
export interface ZoneChoice {
  zone: string
  es: string
  en: string
}

const Z = (zone: string, es: string, en: string): ZoneChoice => ({ zone, es, en })

export const COMMON_ZONES: readonly ZoneChoice[] = [
  Z('Europe/Madrid', 'Madrid (España)', 'Madrid (Spain)'),
  Z('Atlantic/Canary', 'Canarias (España)', 'Canary Islands (Spain)'),
  Z('Europe/Lisbon', 'Lisboa (Portugal)', 'Lisbon (Portugal)'),
  Z('Europe/London', 'Londres (Reino Unido)', 'London (United Kingdom)'),
  Z('Europe/Dublin', 'Dublín (Irlanda)', 'Dublin (Ireland)'),
  Z('Europe/Paris', 'París (Francia)', 'Paris (France)'),
  Z('Europe/Berlin', 'Berlín (Alemania)', 'Berlin (Germany)'),
  Z('Europe/Rome', 'Roma (Italia)', 'Rome (Italy)'),
  Z('Europe/Brussels', 'Bruselas (Bélgica)', 'Brussels (Belgium)'),
  Z('Europe/Amsterdam', 'Ámsterdam (Países Bajos)', 'Amsterdam (Netherlands)'),
  Z('Europe/Zurich', 'Zúrich (Suiza)', 'Zurich (Switzerland)'),
  Z('Europe/Andorra', 'Andorra', 'Andorra'),
  Z('Europe/Athens', 'Atenas (Grecia)', 'Athens (Greece)'),
  Z('Europe/Bucharest', 'Bucarest (Rumanía)', 'Bucharest (Romania)'),
  Z('Europe/Warsaw', 'Varsovia (Polonia)', 'Warsaw (Poland)'),
  Z('Europe/Moscow', 'Moscú (Rusia)', 'Moscow (Russia)'),
  Z('Africa/Casablanca', 'Casablanca (Marruecos)', 'Casablanca (Morocco)'),
  Z('Africa/Malabo', 'Malabo (Guinea Ecuatorial)', 'Malabo (Equatorial Guinea)'),
  Z('America/Mexico_City', 'Ciudad de México (México)', 'Mexico City (Mexico)'),
  Z('America/Cancun', 'Cancún (México)', 'Cancún (Mexico)'),
  Z('America/Tijuana', 'Tijuana (México)', 'Tijuana (Mexico)'),
  Z('America/Guatemala', 'Guatemala', 'Guatemala'),
  Z('America/El_Salvador', 'San Salvador (El Salvador)', 'San Salvador (El Salvador)'),
  Z('America/Tegucigalpa', 'Tegucigalpa (Honduras)', 'Tegucigalpa (Honduras)'),
  Z('America/Managua', 'Managua (Nicaragua)', 'Managua (Nicaragua)'),
  Z('America/Costa_Rica', 'San José (Costa Rica)', 'San José (Costa Rica)'),
  Z('America/Panama', 'Panamá', 'Panama'),
  Z('America/Havana', 'La Habana (Cuba)', 'Havana (Cuba)'),
  Z(
    'America/Santo_Domingo',
    'Santo Domingo (República Dominicana)',
    'Santo Domingo (Dominican Republic)'
  ),
  Z('America/Puerto_Rico', 'San Juan (Puerto Rico)', 'San Juan (Puerto Rico)'),
  Z('America/Bogota', 'Bogotá (Colombia)', 'Bogotá (Colombia)'),
  Z('America/Caracas', 'Caracas (Venezuela)', 'Caracas (Venezuela)'),
  Z('America/Guayaquil', 'Quito y Guayaquil (Ecuador)', 'Quito and Guayaquil (Ecuador)'),
  Z('America/Lima', 'Lima (Perú)', 'Lima (Peru)'),
  Z('America/La_Paz', 'La Paz (Bolivia)', 'La Paz (Bolivia)'),
  Z('America/Santiago', 'Santiago (Chile)', 'Santiago (Chile)'),
  Z('America/Argentina/Buenos_Aires', 'Buenos Aires (Argentina)', 'Buenos Aires (Argentina)'),
  Z('America/Montevideo', 'Montevideo (Uruguay)', 'Montevideo (Uruguay)'),
  Z('America/Asuncion', 'Asunción (Paraguay)', 'Asunción (Paraguay)'),
  Z('America/Sao_Paulo', 'São Paulo (Brasil)', 'São Paulo (Brazil)'),
  Z('America/New_York', 'Nueva York (EE. UU.)', 'New York (USA)'),
  Z('America/Chicago', 'Chicago (EE. UU.)', 'Chicago (USA)'),
  Z('America/Denver', 'Denver (EE. UU.)', 'Denver (USA)'),
  Z('America/Los_Angeles', 'Los Ángeles (EE. UU.)', 'Los Angeles (USA)'),
  Z('America/Phoenix', 'Phoenix (EE. UU.)', 'Phoenix (USA)'),
  Z('America/Toronto', 'Toronto (Canadá)', 'Toronto (Canada)'),
  Z('Pacific/Honolulu', 'Honolulu (EE. UU.)', 'Honolulu (USA)'),
  Z('Asia/Manila', 'Manila (Filipinas)', 'Manila (Philippines)'),
  Z('Asia/Tokyo', 'Tokio (Japón)', 'Tokyo (Japan)'),
  Z('Asia/Shanghai', 'Pekín y Shanghái (China)', 'Beijing and Shanghai (China)'),
  Z('Asia/Kolkata', 'India', 'India'),
  Z('Asia/Dubai', 'Dubái (Emiratos Árabes Unidos)', 'Dubai (United Arab Emirates)'),
  Z('Australia/Sydney', 'Sídney (Australia)', 'Sydney (Australia)'),
  Z('UTC', 'UTC (tiempo universal)', 'UTC (universal time)')
]

const BY_ZONE = new Map(COMMON_ZONES.map((z) => [z.zone, z]))

/** "Madrid (España)", or the IANA city ("Kathmandu") for a zone not in the list. */
export function zoneLabel(zone: string, locale: string): string {
  const known = BY_ZONE.get(zone)
  if (known) return locale === 'en' ? known.en : known.es
  return (zone.split('/').pop() ?? zone).replace(/_/g, ' ')
}

/** The browser's own zone ("Europe/Madrid"), or undefined where Intl cannot tell. */
export function browserZone(): string | undefined {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || undefined
  } catch {
    return undefined
  }
}

/** Lower-case, accents removed: "sao" finds "São Paulo", "canarias" finds "Canarias". */
export function searchKey(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase()
}
