// The ESP32 side of the ports (lib/pastillero/include/pastillero/ports.h), written against the
// Arduino-ESP32 3.x APIs: HTTPClient, ESPmDNS, Preferences, Update/HTTPUpdate, esp_ota_*, SNTP,
// GPIO. Each adapter only translates; the rules (retries, backoff, OTA bookkeeping, alarms) live
// in the portable core so the host build tests them.
//
// Not compiled in this repository's CI (no ESP32 toolchain there): see firmware/README.md.
#pragma once

#include <Arduino.h>

#include <string>

#include "pastillero/ports.h"

namespace pastillero {
namespace esp32 {

// HTTPClient over a plain WiFiClient (the device API is served over http on the LAN).
class Esp32Http : public HttpClient {
 public:
  HttpResponse request(const HttpRequest& req) override;
  HttpResponse download(const HttpRequest& req, const HeadFn& onHead, const ChunkFn& onChunk) override;
};

// Preferences (NVS). One Preferences handle per call: the core calls rarely (a few times a
// minute), and opening per call keeps no namespace locked between calls.
class Esp32Store : public KeyValueStore {
 public:
  bool getString(const char* ns, const char* key, std::string& out) override;
  bool putString(const char* ns, const char* key, const std::string& value) override;
  bool getU32(const char* ns, const char* key, uint32_t& out) override;
  bool putU32(const char* ns, const char* key, uint32_t value) override;
  bool getBlob(const char* ns, const char* key, std::vector<uint8_t>& out) override;
  bool putBlob(const char* ns, const char* key, const uint8_t* data, size_t len) override;
  bool erase(const char* ns, const char* key) override;
  bool eraseNamespace(const char* ns) override;
};

// time() after SNTP (started by begin()); esp_timer for the monotonic clock.
class Esp32Clock : public Clock {
 public:
  // Starts SNTP in UTC: the core converts to local time itself from the POSIX TZ the server
  // sends, so the C library's TZ stays UTC.
  void begin();
  int64_t epochMs() override;
  uint64_t monotonicMs() override;
  bool timeValid() override;
  void setEpochMs(int64_t ms) override;
};

// ESPmDNS: MDNS.queryService("pastillero", "tcp").
class Esp32Discovery : public Discovery {
 public:
  // `hostname` is this dispenser's own mDNS name (without ".local"), e.g. "pastillero-a1b2c3".
  explicit Esp32Discovery(const std::string& hostname) : hostname_(hostname) {}
  std::vector<DiscoveredService> query(const char* service, const char* proto, uint32_t timeoutMs) override;

 private:
  std::string hostname_;
  bool started_ = false;
};

// Update (UpdateClass) for writing the inactive OTA slot, esp_ota_* for the running image's state.
class Esp32Updater : public Updater {
 public:
  explicit Esp32Updater(const char* runningVersion) : version_(runningVersion) {}
  bool begin(size_t size) override;
  size_t write(const uint8_t* data, size_t len) override;
  bool end(const std::string& md5Hex) override;
  void abort() override;
  std::string lastError() override { return error_; }

  std::string runningVersion() override { return version_; }
  bool runningPendingVerify() override;
  bool markValid() override;
  bool rollback() override;

  uint32_t sketchSize() override;
  uint32_t freeSpace() override;
  uint32_t chipSize() override;
  std::string sketchMd5() override;

 private:
  std::string version_;
  std::string error_;
};

// GPIO per boards/<board>.h, with debouncing in poll().
class Esp32Board : public Board {
 public:
  void begin();
  // Samples the inputs; call every loop() (a few ms apart). Debounced edges are queued for
  // pollInput(). Separate from pollInput() so the console can sample during setup too.
  void sample();
  Input pollInput() override;
  void setBuzzer(bool on) override;
  void setLed(bool on) override;
  // Raw, undebounced: is the button held right now (for "hold at boot to enter setup").
  bool buttonHeld() const;

  std::string chipModel() override;
  bool networkUp() override;
  std::string ipAddress() override;
  bool rssi(int& dbm) override;
  uint32_t freeHeap() override;
  std::string resetReason() override;
  void restart() override;

 private:
  struct Debounced {
    int pin = -1;
    int stable = -1;        // last debounced level
    int lastRaw = -1;
    uint32_t changedAt = 0; // millis() of the last raw change
  };
  // Returns true on a debounced transition to `activeLevel`.
  static bool update(Debounced& d, int activeLevel, uint32_t now);

  Debounced button_;
  Debounced compartment_;
  static constexpr size_t kQueue = 8;
  Input queue_[kQueue] = {};
  size_t head_ = 0, count_ = 0;
  bool buzzerOn_ = false;
  void push(Input in);
};

// Serial: state lines as they are (one JSON object per line), logs prefixed with "# " so a
// script reading the console can tell them apart.
class SerialSink : public EventSink {
 public:
  void stateLine(const std::string& json) override;
  void log(LogLevel level, const std::string& message) override;
};

}  // namespace esp32
}  // namespace pastillero
