import type systemEs from './system.es'

/**
 * English strings of the server upkeep in Settings (family settings, Telegram, device key,
 * backups, log) and of blocking a device (merged into en.ts).
 */
const systemEn: typeof systemEs = {
  family: {
    title: 'Family and alerts',
    intro: 'Time zone, language of the messages and when to alert.',
    timeZone: 'Time zone',
    timeZoneHint: 'Schedules and messages use this time.',
    language: 'Language of Telegram messages',
    missedAfter: 'Time allowed to take a dose (minutes)',
    missedAfterHint:
      'One rule for everything: a dose taken within its time counts as "on time" and never alerts; if it has not been taken when the time is up, it counts as missed and the "not taken" alert is sent. If it is taken later, the alert closes by itself ("taken at 08:35"). Each schedule alarm has its own time (60 min by default); this one applies to alarms outside any schedule. Between 1 and 1440.',
    quietHours: 'Quiet hours',
    quietHoursOn: 'Send alerts silently during some hours',
    quietHoursHint: 'Alerts still arrive during those hours, without a sound.',
    quietStart: 'From',
    quietEnd: 'To',
    mdns: 'Advertise the server on the local network (mDNS)',
    mdnsHint: 'Dispensers can then find the server by name, without knowing its IP.',
    mdnsName: 'Advertised as “{name}”.',
    mdnsOff: 'Not advertised on the network right now.',
    backupKeep: 'Daily backups to keep',
    backupKeepHint: 'Between 1 and 365.',
    retention: 'Delete events older than (days)',
    retentionHint: '0 keeps the whole history.',
    wholeNumber: '{field}: enter a whole number.',
    nothingToSave: 'Nothing to save',
    save: 'Save family settings'
  },
  telegram: {
    title: 'Telegram',
    intro: "Alerts reach the phone through the family's Telegram bot.",
    state: 'Status',
    states: {
      disabled: 'Disabled',
      starting: 'Connecting…',
      ok: 'Working',
      conflict: 'Conflict',
      error: 'Error'
    },
    disabledHelp:
      'To turn it on, create a bot with {botfather} in Telegram and paste its token here.',
    conflictHelp:
      'Another program is using this same bot (another Pastillero, a script or an old copy). Telegram lets only one of them listen: stop the other program or create a new bot for this server. Meanwhile alerts are still sent, but linking with /start and the bot buttons do not work.',
    errorHelp: 'Telegram answered with an error:',
    serverMessage: 'Detail',
    bot: 'Bot',
    token: 'Bot token',
    tokenHint: 'BotFather gives it to you when you create the bot; it looks like 123456:ABC-DEF…',
    tokenSet: 'A token is saved. Type another one to change it.',
    tokenFromEnv:
      "The token is set by TELEGRAM_BOT_TOKEN in the server's environment; change it there.",
    saveToken: 'Save token',
    tokenSaved: 'Token saved; the bot is connecting',
    tokenFailed: 'Could not save the token',
    removeToken: 'Remove token',
    removeTokenTitle: 'Remove the bot token?',
    removeTokenMessage: 'Alerts will stop reaching Telegram until you set another one.',
    tokenRemoved: 'Token removed: Telegram disabled',
    linkTitle: 'Link a phone',
    linkSteps:
      'Open Telegram on the phone that should get the alerts and send {command} to the bot {bot}.',
    linkStepsNoBot:
      'Once the bot is working, send {command} to the bot from the phone that should get the alerts.',
    linkCode: 'Link code',
    newCode: 'New code',
    newCodeDone: 'New code: the previous one no longer works',
    newCodeFailed: 'Could not create a new code',
    recipients: 'Recipients',
    noRecipients: 'Nobody gets the alerts yet.',
    linked: 'linked',
    fromEnv: 'set by TELEGRAM_CHAT_ID',
    remove: 'Remove',
    removeLabel: 'Remove {name}',
    removeTitle: 'Remove {name}?',
    removeMessage: 'They will stop getting alerts. They can link again with the code.',
    removeConfirm: 'Remove',
    removed: '{name} no longer gets alerts',
    removeFailed: 'Could not remove the recipient',
    mutedUntil: 'Alerts muted with /silencio until {time}.',
    test: 'Send a test message',
    testing: 'Sending…',
    testOk: 'Test message sent',
    testSomeFailed: 'The test message did not reach everyone',
    testFailed: 'Could not send the test message',
    testResults: 'Test results',
    testSent: 'Sent',
    testError: 'Failed: {error}',
    loadFailed: 'Could not load the Telegram status'
  },
  deviceKey: {
    title: 'Change the dispensers’ key',
    intro:
      'If the API key has leaked, create another. The old one keeps working for a while so you have time to put the new one in each dispenser.',
    grace: 'The old key keeps working for (hours)',
    graceHint: 'Between 0 and 720. With 0 it stops working at once.',
    rotate: 'Change the key',
    rotateTitle: 'Change the dispensers’ key?',
    rotateMessage:
      'A new key is created that you will have to put in the firmware of every dispenser. The old one stops working {when}.',
    now: 'at once',
    inHours: 'in {hours} h',
    rotateConfirm: 'Change the key',
    rotated: 'Key changed',
    rotateFailed: 'Could not change the key',
    newKey: 'New key',
    previousUntil: 'The old key keeps working until {time}.',
    fromEnv:
      "The key is set by API_SECRET_KEY in the server's environment, so it cannot be changed from here; change it there."
  },
  backups: {
    title: 'Backups',
    intro:
      'The server makes a backup every day and keeps the latest ones. Restoring one replaces all current data.',
    empty: 'No backups yet.',
    kinds: {
      auto: 'Automatic',
      manual: 'Manual'
    },
    now: 'Back up now',
    making: 'Backing up…',
    made: 'Backup created',
    failed: 'Could not make the backup',
    restore: 'Restore',
    restoreLabel: 'Restore the backup of {date}',
    restoreTitle: 'Restore the backup of {date}?',
    restoreMessage: 'All current data will be replaced by the backup and the server will restart.',
    restoreConfirm: 'Restore and restart',
    restoreFailed: 'Could not restore the backup',
    restarting:
      'The server is restarting with the new data. This page reloads by itself in a few seconds.',
    exportTitle: 'Export and import',
    exportHint:
      'One file with everything (data, firmware and settings), to keep or to move to another computer.',
    export: 'Download export',
    import: 'Import a file…',
    importTitle: 'Import “{name}”?',
    importMessage: 'All current data will be replaced by the file and the server will restart.',
    importConfirm: 'Import and restart',
    importing: 'Importing… {percent} %',
    importFailed: 'Could not import the file',
    loadFailed: 'Could not load the backups'
  },
  logs: {
    title: 'Recent log',
    hint: "The last lines of the server's log, in case something goes wrong.",
    refresh: 'Refresh',
    empty: 'The log is empty.',
    loadFailed: 'Could not read the log',
    time: 'Time',
    level: 'Level',
    message: 'Message'
  },
  blocking: {
    title: 'Blocking',
    toggle: 'Block device',
    hint: 'A blocked device gets an error and nothing it sends is stored. Use it to cut off a gadget you do not recognise.',
    badge: 'Blocked',
    banner: 'This device is blocked: its heartbeats and events are refused.',
    blockTitle: 'Block “{name}”?',
    blockMessage: 'Its heartbeats and events will be refused and not stored until you unblock it.',
    blockConfirm: 'Block',
    unblockTitle: 'Unblock “{name}”?',
    unblockMessage: 'What it sends will be accepted again.',
    unblockConfirm: 'Unblock',
    blocked: '“{name}” blocked',
    unblocked: '“{name}” unblocked',
    failed: 'Could not change the block'
  }
}

export default systemEn
