// Classic ESP32 DevKit (ESP32-WROOM-32, "esp32dev"). Pins avoid the strapping pins (0, 2, 5, 12,
// 15) for inputs and the flash pins (6-11). GPIO 2 is the on-board blue LED on most DevKits.
#pragma once

#define PASTILLERO_BOARD_NAME "ESP32 DevKit (esp32dev)"

#define PIN_BUTTON 27              // push button between GPIO 27 and GND
#define PIN_COMPARTMENT 26         // reed switch between GPIO 26 and GND, magnet on the lid
#define COMPARTMENT_OPEN_LEVEL 1   // lid shut: switch closed, reads LOW; opened: HIGH
#define PIN_BUZZER 25              // active 5 V buzzer through an NPN transistor
#define BUZZER_TONE_HZ 0
#define PIN_LED 2                  // on-board LED (plus an external one through 330 ohm if wanted)
#define LED_IS_RGB 0
#define LED_ACTIVE_LEVEL 1
#define DOSE_BY_COMPARTMENT 1      // this build has the compartment sensor: it confirms the dose
