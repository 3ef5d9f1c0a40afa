/** English strings of the "Today" page (merged into en.ts). */
const todayEn = {
  clock: {
    askTitle: 'Which time zone does the family live in?',
    askIntro:
      'Dose times, alerts, history and reports are shown in this zone, wherever you are. It is pre-filled with this browser’s zone.',
    search: 'Search city or country',
    noMatch: 'No zone matches.',
    confirm: 'Use this zone',
    saveFailed: 'Could not save the time zone',
    note: 'Times in {zone}'
  },
  release: {
    title: 'Who gets version {version}?',
    intro: 'It is uploaded, but no dispenser will install it until you choose and confirm.',
    legend: 'Release',
    all: 'Release to everyone',
    devices: 'To these dispensers',
    percent: 'To a percentage',
    percentLabel: 'Percentage of dispensers',
    later: 'Not yet',
    confirm: 'Confirm',
    heldToast: 'Version {version} stays unreleased',
    doneToast: 'Version {version} released',
    failed: 'Could not release'
  },
  scheduleSync: {
    applied: 'The dispenser has the new schedule',
    pending: 'Pending: the dispenser has not picked up the new schedule yet',
    labelsSent: 'Labels this dispenser has sent: {labels}'
  },
  today: {
    early: '{amount} early',
    title: 'Today',
    intro: "Each dispenser's doses today, live.",
    dateLine: '{date} · {zone} time',
    loadFailed: 'Could not load today',
    empty: 'There are no dispensers yet. Connect one to see its doses here.',
    setupLink: 'How to connect a dispenser',
    noDoses: 'No doses scheduled today.',
    addSchedule: 'Add a schedule',
    doses: "Today's doses",
    next: 'Next dose',
    nextToday: '{label} at {time}',
    nextLater: '{label} on {date} at {time}',
    noNext: 'No doses scheduled.',
    openAlerts: 'Unseen alerts',
    seen: 'Seen',
    seeing: 'Marking…',
    ackFailed: 'Could not mark it as seen',
    details: 'Open the dispenser',
    health: {
      label: 'Status',
      ok: 'Fine',
      attention: 'Check',
      offline: 'Offline',
      blocked: 'Blocked'
    },
    status: {
      on_time: 'Taken at {time}',
      late: 'Taken late, at {time}',
      pending: 'Pending: {left} left',
      pendingNow: 'Pending',
      missed: 'Not taken',
      unknown: 'No data: the dispenser was not connected',
      upcoming: 'At {time}'
    },
    unscheduled: 'unscheduled',
    noLabel: 'Dose',
    taken: '{n} taken | {n} taken',
    pending: '{n} pending | {n} pending',
    missed: '{n} not taken | {n} not taken'
  }
}

export default todayEn
