/** Server error codes in English (merged into en.ts); see server-errors.es.ts. */
const serverErrorsEn = {
  serverErrors: {
    'account-not-found': 'That account no longer exists.',
    'alert-not-found': 'That alert no longer exists.',
    'archive-too-large': 'The file is too large to import.',
    'backup-from-newer-version': 'The backup is from a newer version of Pastillero.',
    'backup-not-found': 'That backup no longer exists.',
    'chip-mismatch': 'That firmware is for a different chip than the dispenser’s.',
    'corrupt-backup': 'The backup is damaged.',
    'cross-origin': 'Request refused: it came from another page.',
    'device-blocked': 'That dispenser is blocked.',
    'duplicate-alarm': 'Two alarms have the same name and time on the same day.',
    'firmware-not-found': 'That firmware no longer exists.',
    'firmware-too-large': 'The firmware is too large.',
    'insufficient-space': 'There is not enough disk space on the server.',
    'invalid-cursor': 'That page is no longer valid; reload.',
    'invalid-firmware': 'The file is not a valid ESP32 firmware.',
    'invalid-version': 'The version is not valid (use the form 1.2.3).',
    'key-from-environment': 'The dispenser key is set by the server’s environment.',
    'malformed-multipart': 'The file did not arrive complete; try again.',
    'multipart-required': 'The file is missing.',
    'no-recipients': 'No Telegram chat is linked yet.',
    'not-a-backup': 'That file is not a Pastillero backup.',
    'not-an-archive': 'That file is not a Pastillero export.',
    'not-found': 'Not found.',
    'range-too-large': 'The period asked for is too long.',
    'rate-limited': 'Too many requests; wait a moment.',
    'recipient-not-found': 'That chat is no longer linked.',
    'schedule-version-conflict': 'Someone else changed the schedule while you were editing it.',
    'telegram-not-configured': 'Save the Telegram bot token first.',
    'token-from-environment': 'The Telegram token is set by the server’s environment.',
    'unknown-alarm': 'That alarm is no longer in the schedule; reload.',
    'version-exists': 'That firmware version is already uploaded.',
    'http-4xx': 'The server did not accept the request.',
    'http-5xx': 'The server had a problem. Try again.',
    fieldNames: {
      name: 'name',
      version: 'version',
      notes: 'notes',
      password: 'password',
      file: 'file',
      time_zone: 'time zone',
      missed_dose_after_s: 'time allowed to take a dose',
      offline_after_s: 'offline warning',
      port: 'port',
      host: 'address'
    },
    field: '{message} (field: {field})'
  }
}

export default serverErrorsEn
