// Picks this build's board header from the macro its PlatformIO environment defines
// (platformio.ini: -DPASTILLERO_BOARD_...). To add a board: copy the closest header, change the
// pins, add one #elif here and one [env:...] in platformio.ini (see firmware/README.md).
//
// Every board header defines:
//   PASTILLERO_BOARD_NAME          shown on the serial console
//   PIN_BUTTON                     push button to GND (internal pull-up); required
//   PIN_COMPARTMENT                compartment switch to GND, or -1 when the board has none
//   COMPARTMENT_OPEN_LEVEL         level read while the compartment is open (HIGH for a reed
//                                  switch that closes to GND while the lid is shut)
//   PIN_BUZZER                     buzzer (through a transistor for anything above ~10 mA)
//   BUZZER_TONE_HZ                 0 = active buzzer (on/off); >0 = passive buzzer driven with tone()
//   PIN_LED                        status LED, or the data pin of an on-board RGB LED
//   LED_IS_RGB                     1 = addressable RGB LED (rgbLedWrite); 0 = plain LED
//   LED_ACTIVE_LEVEL               level that lights a plain LED
//   DOSE_BY_COMPARTMENT            1 = "dose taken" is the compartment opening; 0 = second press
#pragma once

#if defined(PASTILLERO_BOARD_ESP32DEV)
#include "esp32dev.h"
#elif defined(PASTILLERO_BOARD_ESP32_C3_DEVKITM_1)
#include "esp32-c3-devkitm-1.h"
#elif defined(PASTILLERO_BOARD_ESP32_S3_DEVKITC_1)
#include "esp32-s3-devkitc-1.h"
#else
#error "No board selected: build with a PlatformIO environment (pio run -e esp32dev) or define PASTILLERO_BOARD_..."
#endif

#if DOSE_BY_COMPARTMENT && PIN_COMPARTMENT < 0
#error "DOSE_BY_COMPARTMENT needs a PIN_COMPARTMENT"
#endif
