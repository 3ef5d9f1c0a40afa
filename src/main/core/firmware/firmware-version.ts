import semver from 'semver'

/** Normalises what people and devices call a version ("v1.2", "1.2.0-beta.1") to semver, or null. */
export function normaliseVersion(raw: string | undefined | null): string | null {
  if (!raw) return null
  const text = raw.trim()
  const clean = semver.clean(text, { loose: true })
  if (clean) return clean
  // "1.2" or "v1" -> 1.2.0 / 1.0.0, but only when the whole string is a short version.
  if (/^v?\d+(\.\d+)?$/i.test(text)) return semver.coerce(text)?.version ?? null
  return null
}

export function compareVersions(a: string, b: string): number {
  return semver.compare(a, b)
}

/** The Arduino library builder stamps its own descriptor, not the sketch's version. */
export function isArduinoPlaceholder(projectName: string, version: string): boolean {
  return (
    projectName === 'arduino-lib-builder' ||
    /^esp-idf:/i.test(version) ||
    normaliseVersion(version) === null
  )
}

/** A version in a file name such as `pastillero-1.4.2.bin` or `fw_v2.0.bin`. */
export function versionFromFileName(name: string | undefined): string | null {
  if (!name) return null
  const match = /(?:^|[^0-9])v?(\d+\.\d+(?:\.\d+)?(?:-[0-9A-Za-z.-]+?)?)(?:\.bin)?$/i.exec(
    name.replace(/\.bin$/i, '')
  )
  return match ? normaliseVersion(match[1]) : null
}

/**
 * Chooses the firmware's version: the upload form's field first; else the app descriptor unless
 * it is the Arduino builder's placeholder; else the file name.
 */
export function chooseVersion(input: {
  formVersion?: string
  appVersion: string
  projectName: string
  fileName?: string
}): { version: string; source: 'form' | 'descriptor' | 'file-name' } | { error: string } {
  if (input.formVersion !== undefined && input.formVersion.trim() !== '') {
    const v = normaliseVersion(input.formVersion)
    return v
      ? { version: v, source: 'form' }
      : { error: `version "${input.formVersion}" is not a semantic version like 1.2.3` }
  }
  if (!isArduinoPlaceholder(input.projectName, input.appVersion)) {
    return { version: normaliseVersion(input.appVersion)!, source: 'descriptor' }
  }
  const fromName = versionFromFileName(input.fileName)
  if (fromName) return { version: fromName, source: 'file-name' }
  return {
    error:
      "no version found: the image carries the Arduino builder's placeholder and the file name has none; give a version"
  }
}
