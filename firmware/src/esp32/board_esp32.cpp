// Board port: the GPIO of boards/<board>.h with a 30 ms debounce, and the system facts the
// heartbeat reports (chip, Wi-Fi, heap, reset cause).
#include <WiFi.h>
#include <esp_system.h>

#include "adapters.h"
#include "board.h"

namespace pastillero {
namespace esp32 {
namespace {
constexpr uint32_t kDebounceMs = 30;
constexpr int kPressedLevel = LOW;  // buttons and switches close to GND against the pull-up
}  // namespace

void Esp32Board::begin() {
  pinMode(PIN_BUTTON, INPUT_PULLUP);
  button_.pin = PIN_BUTTON;
  button_.stable = button_.lastRaw = digitalRead(PIN_BUTTON);
#if PIN_COMPARTMENT >= 0
  pinMode(PIN_COMPARTMENT, INPUT_PULLUP);
  compartment_.pin = PIN_COMPARTMENT;
  // Starts from the level it has now: a lid left open at power-up is not a dose.
  compartment_.stable = compartment_.lastRaw = digitalRead(PIN_COMPARTMENT);
#endif
  pinMode(PIN_BUZZER, OUTPUT);
  digitalWrite(PIN_BUZZER, LOW);
#if !LED_IS_RGB
  pinMode(PIN_LED, OUTPUT);
#endif
  setLed(false);
}

bool Esp32Board::update(Debounced& d, int activeLevel, uint32_t now) {
  if (d.pin < 0) return false;
  const int raw = digitalRead(d.pin);
  if (raw != d.lastRaw) {
    d.lastRaw = raw;
    d.changedAt = now;
    return false;
  }
  if (raw != d.stable && now - d.changedAt >= kDebounceMs) {
    d.stable = raw;
    return raw == activeLevel;
  }
  return false;
}

void Esp32Board::sample() {
  const uint32_t now = millis();
  if (update(button_, kPressedLevel, now)) push(Input::ButtonPress);
  if (update(compartment_, COMPARTMENT_OPEN_LEVEL, now)) push(Input::CompartmentOpen);
}

void Esp32Board::push(Input in) {
  if (count_ == kQueue) return;  // a burst the core has not read yet: drop the newest
  queue_[(head_ + count_) % kQueue] = in;
  count_++;
}

Input Esp32Board::pollInput() {
  sample();
  if (count_ == 0) return Input::None;
  const Input in = queue_[head_];
  head_ = (head_ + 1) % kQueue;
  count_--;
  return in;
}

bool Esp32Board::buttonHeld() const { return digitalRead(PIN_BUTTON) == kPressedLevel; }

void Esp32Board::setBuzzer(bool on) {
  if (on == buzzerOn_) return;  // tone() reconfigures the LEDC channel: only on changes
  buzzerOn_ = on;
#if BUZZER_TONE_HZ > 0
  if (on) {
    tone(PIN_BUZZER, BUZZER_TONE_HZ);
  } else {
    noTone(PIN_BUZZER);
  }
#else
  digitalWrite(PIN_BUZZER, on ? HIGH : LOW);
#endif
}

void Esp32Board::setLed(bool on) {
#if LED_IS_RGB
  // Amber, dimmed: bright enough across a kitchen, not blinding at night.
  rgbLedWrite(PIN_LED, on ? 64 : 0, on ? 24 : 0, 0);
#else
  digitalWrite(PIN_LED, on ? LED_ACTIVE_LEVEL : !LED_ACTIVE_LEVEL);
#endif
}

// The model as Arduino names it ("ESP32-D0WD-V3", "ESP32-S3", "ESP32-C3"...): the server maps it to
// the chip family of its firmware images, so an ESP32 is never offered an ESP32-S3 build.
std::string Esp32Board::chipModel() { return ESP.getChipModel(); }

bool Esp32Board::networkUp() { return WiFi.status() == WL_CONNECTED; }

std::string Esp32Board::ipAddress() {
  if (!networkUp()) return "";
  return WiFi.localIP().toString().c_str();
}

bool Esp32Board::rssi(int& dbm) {
  if (!networkUp()) return false;
  dbm = WiFi.RSSI();
  return true;
}

uint32_t Esp32Board::freeHeap() { return ESP.getFreeHeap(); }

std::string Esp32Board::resetReason() {
  switch (esp_reset_reason()) {
    case ESP_RST_POWERON:
      return "poweron";
    case ESP_RST_SW:
      return "software";
    case ESP_RST_PANIC:
      return "panic";
    case ESP_RST_INT_WDT:
    case ESP_RST_TASK_WDT:
    case ESP_RST_WDT:
      return "watchdog";
    case ESP_RST_BROWNOUT:
      return "brownout";
    case ESP_RST_DEEPSLEEP:
      return "deepsleep";
    case ESP_RST_EXT:
      return "external";
    default:
      return "unknown";
  }
}

void Esp32Board::restart() {
  setBuzzer(false);
  setLed(false);
  Serial.flush();
  ESP.restart();
}

void SerialSink::stateLine(const std::string& json) { Serial.println(json.c_str()); }

void SerialSink::log(LogLevel level, const std::string& message) {
#if CORE_DEBUG_LEVEL < 4
  if (level == LogLevel::Debug) return;
#endif
  static const char* const kTags[] = {"D", "I", "W", "E"};
  Serial.printf("# [%s] %s\n", kTags[static_cast<int>(level)], message.c_str());
}

}  // namespace esp32
}  // namespace pastillero
