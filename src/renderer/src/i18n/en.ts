import type { MessageSchema } from './es'
import accountsEn from './accounts.en'
import alertsEn from './alerts.en'
import deviceTrustEn from './device-trust.en'
import firmwareEn from './firmware.en'
import schedulesEn from './schedules.en'
import systemEn from './system.en'
import todayEn from './today.en'
import serverErrorsEn from './server-errors.en'
import healthEn from './health.en'
import eventWordsEn from './event-words.en'
import alertTextEn from './alert-text.en'
import phoneNavEn from './phone-nav.en'
import connectHelpEn from './connect-help.en'
import smallThingsEn from './small-things.en'
import reportMoreEn from './report-more.en'

const en: MessageSchema = {
  ...firmwareEn,
  ...alertsEn,
  ...systemEn,
  ...schedulesEn,
  ...todayEn,
  ...serverErrorsEn,
  ...accountsEn,
  ...healthEn,
  ...eventWordsEn,
  ...alertTextEn,
  ...phoneNavEn,
  ...connectHelpEn,
  ...smallThingsEn,
  ...reportMoreEn,
  ...deviceTrustEn,
  app: {
    name: 'Pastillero',
    skipToContent: 'Skip to content',
    signOut: 'Sign out',
    loading: 'Loading…',
    retry: 'Retry',
    close: 'Close',
    cancel: 'Cancel',
    copy: 'Copy',
    copied: 'Copied',
    copyFailed: 'Could not copy; select the text and copy it by hand.',
    notAvailable: '—',
    notifications: 'Notifications'
  },
  nav: {
    label: 'Main navigation',
    today: 'Today',
    devices: 'Devices',
    history: 'History',
    settings: 'Settings',
    firmware: 'Firmware',
    alerts: 'Alerts',
    schedules: 'Schedules',
    adherence: 'Adherence'
  },
  live: {
    open: 'Live',
    connecting: 'Connecting…',
    reconnecting: 'Reconnecting…',
    idle: 'Not live',
    lostDetail: 'The live connection to the server was lost; retrying. Data may be out of date.'
  },
  login: {
    title: 'Sign in',
    intro: 'Enter the admin password of this Pastillero.',
    password: 'Password',
    submit: 'Sign in',
    submitting: 'Signing in…',
    failed: 'Could not sign in',
    expired: 'Your session ended. Sign in again to continue.',
    checkFailed: 'Could not reach the server'
  },
  devices: {
    title: 'Devices',
    summary: '{online} of {total} online',
    loadFailed: 'Could not load the devices',
    online: 'Online',
    offline: 'Offline',
    lastContact: 'Last contact',
    ip: 'IP',
    firmware: 'Firmware',
    deviceId: 'Identifier',
    details: 'Details',
    reboot: 'Reboot',
    rebootTitle: 'Reboot “{name}”?',
    rebootMessage:
      'The dispenser gets the order with its next heartbeat (every 30–60 s) and restarts.',
    rebootConfirm: 'Reboot',
    rebootFailed: 'Could not request the reboot',
    rebootRequested: 'Reboot requested for “{name}”',
    phase: {
      pending: 'Reboot pending: it goes out with the next heartbeat',
      delivered: 'Reboot delivered; waiting for it to come back',
      backOnline: 'Rebooted and back online'
    },
    phaseSteps: 'Reboot progress'
  },
  empty: {
    title: 'No dispensers yet',
    intro:
      'Put these values in the ESP32 firmware. The dispenser shows up here by itself as soon as it sends its first heartbeat; no reload needed.',
    serverAddress: 'Server address',
    otherAddresses: 'Other addresses of this machine',
    noAddress: 'No local network address was found. Use this machine’s IP on your Wi-Fi network.',
    apiKey: 'API key (X-API-Key header)',
    heartbeat: 'Heartbeat every 30–60 seconds',
    heartbeatHint:
      'device_id is usually the ESP32 MAC address; name is the name you will see here.',
    copyRequest: 'Copy request',
    tryIt: 'Try it from a computer',
    tryItHint: 'This command pretends to be a dispenser: run it and it appears on this page.',
    copyCommand: 'Copy command',
    events:
      'Events (alarm, dose taken, reboot, update) are sent with POST to /api/events/ using the same key.',
    loadFailed: 'Could not load the connection details'
  },
  detail: {
    back: 'Back to devices',
    notFound: 'There is no device with the identifier “{id}”.',
    removed: 'This device has been forgotten.',
    info: 'Information',
    reportedName: 'Name the device reports',
    firstSeen: 'First seen',
    lastSeen: 'Last heartbeat',
    heartbeats: 'Heartbeats received',
    status: 'Reported status',
    timeline: 'Activity',
    timelineEmpty: 'This device has not sent any events yet.',
    settings: 'Device settings',
    rename: 'Name',
    renameHint: 'Leave it empty to use the name the device reports.',
    save: 'Save name',
    saving: 'Saving…',
    renamed: 'Name saved',
    renameFailed: 'Could not rename the device',
    forget: 'Forget device',
    forgetHint:
      'Deletes the device and all its history. If it sends heartbeats again it comes back as new.',
    forgetTitle: 'Forget “{name}”?',
    forgetMessage: 'The device and all its events will be deleted. This cannot be undone.',
    forgetConfirm: 'Forget',
    forgotten: '“{name}” forgotten',
    forgetFailed: 'Could not forget the device'
  },
  events: {
    types: {
      alarm_triggered: 'Alarm triggered',
      alarm_ack: 'Alarm acknowledged',
      dose_taken: 'Dose taken',
      reboot: 'Reboot',
      ota_start: 'Update started',
      ota_done: 'Update finished',
      ota_fail: 'Update failed'
    },
    loadMore: 'Load more',
    loadingMore: 'Loading…',
    end: 'No more events.',
    loadFailed: 'Could not load the events',
    deviceTime: 'device time',
    receivedAt: 'received'
  },
  history: {
    title: 'History',
    filters: 'Filters',
    device: 'Device',
    allDevices: 'All devices',
    type: 'Event type',
    allTypes: 'All types',
    from: 'From',
    to: 'To',
    clear: 'Clear filters',
    badRange: 'The “from” date is after the “to” date.',
    showing: 'Showing {count} event | Showing {count} events',
    moreAvailable: 'more available',
    empty: 'No events match these filters.',
    when: 'Date',
    what: 'Event',
    detail: 'Detail',
    export: 'Export CSV',
    exporting: 'Exporting… {count} events',
    exportCancel: 'Cancel export',
    exported: 'Exported {count} event | Exported {count} events',
    exportFailed: 'Could not export the history',
    exportCancelled: 'Export cancelled'
  },
  settings: {
    title: 'Settings',
    connectTitle: 'Connect a dispenser',
    connectIntro: 'Everything the ESP32 firmware needs to talk to this server.',
    addresses: 'Server addresses',
    port: 'Port',
    apiKey: 'Device API key',
    show: 'Show',
    hide: 'Hide',
    keyHidden: 'Key hidden',
    version: 'Server version',
    dataDir: 'Data folder',
    restartRequired: 'Port or address changes take effect when the server restarts.',
    loadFailed: 'Could not load the settings',
    presenceTitle: 'Presence',
    offlineAfter: 'Mark offline after (seconds without a heartbeat)',
    offlineAfterHint: 'Between 30 and 86400. Dispensers beat every 30–60 s; 180 is a good value.',
    overridden: 'Set by {source}: that value wins over the one saved here.',
    save: 'Save',
    saved: 'Settings saved',
    saveFailed: 'Could not save the settings',
    passwordTitle: 'Admin password',
    currentPassword: 'Current password',
    newPassword: 'New password',
    confirmPassword: 'Repeat the new password',
    passwordHint: 'At least 8 characters.',
    passwordMismatch: 'The new passwords do not match.',
    passwordTooShort: 'The new password must be at least 8 characters long.',
    changePassword: 'Change password',
    passwordChanged: 'Password changed',
    passwordFailed: 'Could not change the password',
    languageTitle: 'Language',
    language: 'Interface language'
  },
  notFound: {
    title: 'Page not found',
    back: 'Go to devices'
  }
}

export default en
