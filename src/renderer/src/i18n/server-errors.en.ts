/** Server error codes in English (merged into en.ts); see server-errors.es.ts. */
const serverErrorsEn = {
  serverErrors: {
    'account-exists': 'There is already an account with that name.',
    'account-not-found': 'That account no longer exists.',
    'admin-only': 'Only an admin account can do this.',
    'alert-not-found': 'That alert no longer exists.',
    'archive-too-large': 'The file is too large to import.',
    'backup-from-newer-version':
      'This backup comes from a newer Pastillero. Update the program before importing it.',
    'backup-not-found': 'That backup no longer exists.',
    'bad-response': 'The server answered something unexpected.',
    'cannot-remove-self': 'You cannot remove your own account.',
    'chip-mismatch': "This firmware is for another chip model than that dispenser's.",
    'corrupt-backup': 'The backup is damaged.',
    'cross-origin': 'A request from another page was refused.',
    'device-blocked': 'That dispenser is blocked.',
    'device-not-adopted': 'That dispenser is not accepted yet.',
    'device-not-found': 'That dispenser no longer exists.',
    'device-not-pending': 'That dispenser is no longer waiting to be accepted.',
    'duplicate-alarm': 'Two alarms have the same label and time on the same day.',
    'firmware-not-found': 'That firmware no longer exists.',
    'firmware-too-large': 'The file is too large to be a firmware.',
    'insufficient-space': 'There is not enough disk space on the server.',
    'internal-error': 'Internal server error. See the recent log in Settings.',
    'invalid-cursor': 'The list changed. Load it again.',
    'invalid-firmware':
      'This file is not a valid ESP32 firmware image (is it the application .bin?).',
    'invalid-version': 'The version is not valid. Use the form 1.2.3.',
    'key-from-environment':
      "The dispensers' key is fixed by the server's environment and cannot be changed here.",
    'last-admin': 'At least one account must stay an admin.',
    'malformed-multipart': 'The upload arrived damaged. Try again.',
    'multipart-required': 'The file was not sent as a form.',
    'network-error': 'The server could not be reached. Check that it is still running.',
    'no-recipients': 'Nobody receives Telegram alerts yet.',
    'not-a-backup': 'This file is not a Pastillero database.',
    'not-an-archive': 'This file is not a Pastillero export (.tar.gz).',
    'not-found': 'The server does not know this function. Is it up to date?',
    'not-signed-in': 'Your session ended. Sign in again.',
    'password-from-environment':
      "The password is fixed by the server's environment (ADMIN_PASSWORD) and cannot be changed here.",
    'payload-too-large': 'What was sent is too large.',
    'range-too-large': 'The period asked for is too long.',
    'rate-limited': 'Too many requests. Try again in {seconds} s.',
    'recipient-not-found': 'That recipient no longer exists.',
    'schedule-version-conflict':
      'Someone changed this schedule while you were editing it. Reload and edit again.',
    'telegram-not-configured': 'Save the Telegram bot token first.',
    'token-from-environment':
      "The bot token is fixed by the server's environment and cannot be changed here.",
    'too-many-attempts': 'Too many failed attempts. Wait a little and try again.',
    'unknown-alarm': 'That alarm is no longer in the schedule. Reload and edit again.',
    'unknown-host': 'The server does not recognise the address used to open the dashboard.',
    'validation-failed': 'Some value is not valid. Check the form.',
    'version-exists': 'Version {version} is already uploaded.',
    'wrong-password': 'The name or password is not correct.',
    'wrong-password--current_password': 'The current password is not correct.',
    unknown: 'Unexpected error.',
    unknownCode: 'Unexpected server error (code: {code}).',
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
