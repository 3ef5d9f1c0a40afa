/** Choosing who gets a firmware just uploaded (FirmwarePublish.vue). */
export default {
  publish: {
    title: 'Who is firmware {version} for?',
    lead: 'It is not offered to any dispenser yet. Choose and confirm; until then none installs it.',
    choice: 'Publish',
    options: {
      all: 'For everyone',
      devices: 'For these dispensers',
      percent: 'A percentage',
      none: 'Not yet'
    },
    confirm: 'Confirm',
    confirmTitle: 'Publish firmware {version}?',
    confirmAll: 'Every dispenser will download and install it within the next minute.',
    confirmDevices: 'These will download and install it: {names}.',
    confirmPercent: '{percent} % of the dispensers will download and install it.',
    confirmButton: 'Publish',
    published: 'Firmware {version} published',
    held: 'Firmware {version} kept unpublished. Publish it from the list whenever you like.',
    failed: 'Could not publish the firmware'
  }
}
