/**
 * A chip model as a device reports it (Arduino's `ESP.getChipModel()`: "ESP32-D0WD-V3",
 * "ESP32-PICO-D4", "ESP32-S3", "ESP32-C3"…) mapped to the chip family that firmware images name
 * in their header ("ESP32", "ESP32-S3", …; see firmware/esp32-image.ts CHIPS), so that OTA offers
 * can compare the two.
 *
 * A model that names no family we know is kept as it is (upper-cased): it then matches no image,
 * so such a device is offered nothing rather than a build for a chip it may not be.
 */
export function chipFamily(model: string): string {
  const m = model.trim().toUpperCase()
  const variant = /^ESP32-?(S2|S3|C2|C3|C5|C6|C61|H2|P4)(?![0-9A-Z])/.exec(m)
  if (variant) return `ESP32-${variant[1]}`
  // The classic ESP32 reports its package: D0WD(Q6), D0WDR2-V3, D2WD, S0WD, U4WDH, PICO-D4, PICO-V3…
  if (/^ESP32(-(D0W|D2W|S0W|U4W|PICO|SOLO|MINI)[0-9A-Z-]*)?$/.test(m)) return 'ESP32'
  return m
}
