// One include for cJSON on both builds: Debian's libcjson-dev installs <cjson/cJSON.h>, while
// ESP-IDF 5.x (Arduino-ESP32 3.x) ships the same library as its `json` component, "cJSON.h".
// (ESP-IDF 6 dropped the built-in component; use espressif/cjson from the component registry.)
#pragma once

#if defined(ESP_PLATFORM) || defined(ARDUINO)
#include "cJSON.h"
#elif __has_include(<cjson/cJSON.h>)
#include <cjson/cJSON.h>
#else
#include "cJSON.h"
#endif
