import { ConfigError } from '../core/config'
import { PortInUseError } from '../core/core'
import { DatabaseFromFutureError } from '../core/store/db'

export const STARTUP_ERROR_TITLE = 'Pastillero no pudo iniciarse'

/**
 * What the user reads when the app cannot start: what happened and what to do, in the app's
 * language, without a stack trace (that goes to the log).
 */
export function startupErrorMessage(err: unknown): string {
  if (err instanceof PortInUseError)
    return (
      `El puerto ${err.port} ya está en uso: probablemente Pastillero ya está abierto ` +
      '(quizá como servidor, con npm run server) u otro programa lo ocupa.\n\n' +
      'Cierra el otro Pastillero, o elige otro puerto con la variable PASTILLERO_PORT.'
    )
  if (err instanceof DatabaseFromFutureError)
    return (
      `La base de datos (${err.file}) la creó una versión más nueva de Pastillero ` +
      `(esquema ${err.found}; esta versión llega hasta el ${err.supported}).\n\n` +
      'Instala la versión más reciente de Pastillero, o restaura una copia de seguridad.'
    )
  if (err instanceof ConfigError)
    return `La configuración no es válida:\n${err.message}\n\nCorrige el valor (en el archivo .env o en las variables de entorno) y vuelve a abrir Pastillero.`
  const detail = err instanceof Error ? err.message : String(err)
  return `Error inesperado: ${detail}`
}
