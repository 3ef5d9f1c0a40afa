/** Device event fields in words (lib/event-text.ts); see event-words.es.ts. */
export default {
  eventWords: {
    reasons: {
      remote: 'Restart asked for from the dashboard',
      poweron: 'Powered on',
      power_on: 'Powered on',
      software: 'Software restart',
      panic: 'Restart after a program fault',
      watchdog: 'Restart after a hang (watchdog)',
      brownout: 'Restart after a power dip',
      deepsleep: 'Woke from deep sleep',
      external: 'Restart with the button',
      ota: 'Restart into the new firmware',
      rollback: 'Back to the previous firmware',
      unknown: 'Restart for an unknown reason'
    },
    statuses: {
      online: 'online'
    },
    errors: {
      retry_requested: 'Retry asked for from the dashboard',
      md5_mismatch: 'The file arrived damaged (MD5 does not match)',
      'bad_x-md5_header': 'The server sent no valid MD5',
      bad_magic_byte: 'Not an ESP32 image',
      image_does_not_fit: "It does not fit in the dispenser's memory",
      size_mismatch: 'The download does not have the expected size',
      incomplete_image: 'The download was cut',
      no_ota_partition: 'The dispenser has no update partition',
      rolled_back: 'The new firmware failed and went back to the previous one',
      flash_write_failed: 'Could not write to memory',
      download_failed: 'The download failed',
      http: 'The server answered with code {status}'
    },
    fields: {
      boot_count: 'boot no. {value}',
      version: 'version {value}',
      raw: 'dispenser detail: “{text}”',
      other: '{name}: {value}',
      names: {
        error: 'error',
        status: 'status'
      }
    }
  }
}
