// ESP32-S3-DevKitC-1. Avoids the strapping pins (0, 3, 45, 46), USB (19, 20) and the pins the
// octal flash/PSRAM modules use (26-37). The on-board RGB LED is on GPIO 48 on v1.0 boards and on
// GPIO 38 on v1.1 boards: change PIN_LED if yours stays dark.
#pragma once

#define PASTILLERO_BOARD_NAME "ESP32-S3-DevKitC-1"

#define PIN_BUTTON 4               // push button between GPIO 4 and GND
#define PIN_COMPARTMENT 5          // reed switch between GPIO 5 and GND (optional: see below)
#define COMPARTMENT_OPEN_LEVEL 1
#define PIN_BUZZER 6               // passive piezo buzzer
#define BUZZER_TONE_HZ 2700
#define PIN_LED 48                 // on-board WS2812 RGB LED (v1.0; 38 on v1.1)
#define LED_IS_RGB 1
#define LED_ACTIVE_LEVEL 1
// The sensor is wired but the second press confirms the dose; set 1 to let the compartment do it.
#define DOSE_BY_COMPARTMENT 0
