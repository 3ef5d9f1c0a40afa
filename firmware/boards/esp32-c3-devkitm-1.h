// ESP32-C3-DevKitM-1. Avoids the strapping pins (2, 8, 9), the flash pins (12-17), USB (18, 19)
// and UART0 (20, 21). GPIO 8 drives the on-board addressable RGB LED. The BOOT button (GPIO 9) is
// not used: holding it at reset enters the ROM download mode instead of the setup.
#pragma once

#define PASTILLERO_BOARD_NAME "ESP32-C3-DevKitM-1"

#define PIN_BUTTON 4               // push button between GPIO 4 and GND
#define PIN_COMPARTMENT -1         // no compartment sensor: the dose is a second press
#define COMPARTMENT_OPEN_LEVEL 1
#define PIN_BUZZER 5               // passive piezo buzzer (or an active one with BUZZER_TONE_HZ 0)
#define BUZZER_TONE_HZ 2700
#define PIN_LED 8                  // on-board WS2812 RGB LED
#define LED_IS_RGB 1
#define LED_ACTIVE_LEVEL 1
#define DOSE_BY_COMPARTMENT 0
