/** Server error codes in words (English); see errors.es.ts. */
export default {
  errors: {
    'network-error': 'The server could not be reached. Check that it is still running.',
    'bad-response': 'The server answered something unexpected.',
    'wrong-password': 'The name or password is not correct.',
    'wrong-password--current_password': 'The current password is not correct.',
    'too-many-attempts': 'Too many failed attempts. Wait a little and try again.',
    'not-signed-in': 'Your session ended. Sign in again.',
    'validation-failed': 'Some value is not valid. Check the form.',
    'device-not-found': 'That dispenser no longer exists.',
    'password-from-environment':
      "The password is fixed by the server's environment (ADMIN_PASSWORD) and cannot be changed here.",
    'key-from-environment':
      "The dispensers' key is fixed by the server's environment and cannot be changed here.",
    'token-from-environment':
      "The bot token is fixed by the server's environment and cannot be changed here.",
    'admin-only': 'Only an admin account can do this.',
    'account-exists': 'There is already an account with that name.',
    'account-not-found': 'That account no longer exists.',
    'last-admin': 'At least one account must stay an admin.',
    'cannot-remove-self': 'You cannot remove your own account.',
    'alert-not-found': 'That alert no longer exists.',
    'backup-not-found': 'That backup no longer exists.',
    'corrupt-backup': 'The backup is damaged.',
    'not-a-backup': 'This file is not a Pastillero database.',
    'not-an-archive': 'This file is not a Pastillero export (.tar.gz).',
    'archive-too-large': 'The file is too large to import.',
    'backup-from-newer-version':
      'This backup comes from a newer Pastillero. Update the program before importing it.',
    'firmware-not-found': 'That firmware no longer exists.',
    'invalid-firmware':
      'This file is not a valid ESP32 firmware image (is it the application .bin?).',
    'invalid-version': 'The version is not valid. Use the form 1.2.3.',
    'version-exists': 'Version {version} is already uploaded.',
    'firmware-too-large': 'The file is too large to be a firmware.',
    'chip-mismatch': "This firmware is for another chip model than that dispenser's.",
    'multipart-required': 'The file was not sent as a form.',
    'malformed-multipart': 'The upload arrived damaged. Try again.',
    'telegram-not-configured': 'Save the Telegram bot token first.',
    'no-recipients': 'Nobody receives Telegram alerts yet.',
    'recipient-not-found': 'That recipient no longer exists.',
    'schedule-version-conflict':
      'Someone changed this schedule while you were editing it. Reload and edit again.',
    'unknown-alarm': 'That alarm is no longer in the schedule. Reload and edit again.',
    'duplicate-alarm': 'Two alarms have the same label and time on the same day.',
    'range-too-large': 'The period asked for is too long.',
    'invalid-cursor': 'The list changed. Load it again.',
    'rate-limited': 'Too many requests. Try again in {seconds} s.',
    'device-not-pending': 'That dispenser is no longer waiting to be accepted.',
    'device-not-adopted': 'That dispenser is not accepted yet.',
    'device-blocked': 'That dispenser is blocked.',
    'cross-origin': 'A request from another page was refused.',
    'unknown-host': 'The server does not recognise the address used to open the dashboard.',
    'payload-too-large': 'What was sent is too large.',
    'not-found': 'The server does not know this function. Is it up to date?',
    'internal-error': 'Internal server error. See the recent log in Settings.',
    unknown: 'Unexpected error.',
    unknownCode: 'Unexpected server error (code: {code}).'
  }
}
