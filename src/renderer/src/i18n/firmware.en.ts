import type firmwareEs from './firmware.es'

/** English strings of the Firmware view and the OTA progress on devices (merged into en.ts). */
const firmwareEn: typeof firmwareEs = {
  firmware: {
    title: 'Firmware',
    intro:
      'Upload dispenser updates here (the .bin file of the ESP32 build). Each dispenser downloads it by itself on its next heartbeat if the release includes it.',
    uploadTitle: 'Upload firmware',
    dropHere: 'Drag the firmware .bin file here',
    dropAnywhere: 'You can drop it anywhere on this page.',
    or: 'or',
    choose: 'Choose file',
    overlay: 'Drop the firmware file',
    chosen: 'Chosen file',
    noFile: 'No file chosen',
    oneFile: 'Drop a single file.',
    version: 'Version (optional)',
    versionHint: 'Leave it empty to use the version built into the firmware.',
    notes: 'Notes (optional)',
    notesHint: 'What changes in this version. Up to 1000 characters.',
    upload: 'Upload firmware',
    uploading: 'Uploading… {percent} %',
    uploadProgress: 'Upload progress',
    checking: 'Checking the firmware…',
    cancelUpload: 'Cancel',
    uploaded: 'Firmware {version} uploaded',
    uploadFailed: 'Could not upload the firmware',
    uploadCancelled: 'Upload cancelled',
    listTitle: 'Uploaded versions',
    empty: 'No firmware uploaded yet.',
    loadFailed: 'Could not load the firmware list',
    chip: 'Chip',
    project: 'Project',
    size: 'Size',
    buildDate: 'Built',
    idf: 'ESP-IDF',
    notesLabel: 'Notes',
    fileName: 'File',
    uploadedAt: 'Uploaded',
    running: 'Dispensers running it',
    release: 'Release',
    targets: {
      all: 'All dispensers',
      devices: 'Chosen dispensers',
      percent: 'A percentage'
    },
    summary: {
      all: 'For everyone',
      devices: 'For {count} chosen | For {count} chosen',
      percent: 'For {percent} %'
    },
    percentLabel: 'Share of dispensers',
    percentValue: '{percent} %',
    percentHint:
      'Each dispenser always falls in or out of the same group, so raising the percentage only adds dispensers.',
    chooseDevices: 'Dispensers that get it',
    noDevices: 'No dispensers yet.',
    pickOne: 'Choose at least one dispenser.',
    applyRelease: 'Apply',
    unchanged: 'No changes',
    releaseSaved: 'Release of {version} updated',
    releaseFailed: 'Could not change the release',
    active: 'Released',
    paused: 'Paused',
    pause: 'Pause',
    resume: 'Resume',
    pausedHint: 'While paused it is offered to no dispenser.',
    pausedDone: '{version} paused',
    resumedDone: '{version} released again',
    delete: 'Delete',
    deleteTitle: 'Delete firmware {version}?',
    deleteMessage: 'It will no longer be offered. Dispensers that already installed it keep it.',
    deleteConfirm: 'Delete',
    deleted: 'Firmware {version} deleted',
    deleteFailed: 'Could not delete the firmware'
  },
  ota: {
    title: 'Update',
    states: {
      offered: 'Offered',
      downloading: 'Downloading',
      installing: 'Installing',
      rebooting: 'Rebooting',
      done: 'Done',
      failed: 'Failed'
    },
    stepsLabel: 'Update progress',
    toVersion: 'to {version}',
    fromTo: '{from} → {to}',
    retry: 'Retry',
    retried: '{version} will be offered to “{name}” again',
    retryFailed: 'Could not retry the update',
    blocked: 'Not offered again because it failed: {versions}',
    none: 'It has not received any update from this server.',
    updatedAt: 'Last change'
  }
}

export default firmwareEn
