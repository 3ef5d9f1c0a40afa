// The whole dispenser, wired from the ports: the ESP32 sketch (src/esp32/main.cpp) and the host
// virtual dispenser (src/host/main.cpp) each build the adapters, fill an AppConfig, call begin()
// once and then loop() forever (every 10-50 ms). Nothing here touches Arduino or POSIX directly.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "pastillero/ports.h"

namespace pastillero {

enum class DoseBy { SecondPress, Compartment };

struct AppConfig {
  std::string deviceId;        // "AA:BB:CC:DD:EE:FF" (the STA MAC on an ESP32)
  std::string apiKey;          // enrolment/shared key, sent as X-API-Key until a token arrives
  std::string fallbackUrl;     // "http://192.168.1.10:8000"; stored in NVS when non-empty, and
                               // read back from NVS when empty (first-boot setup stores it)
  bool discover = true;        // try mDNS _pastillero._tcp first
  std::string factoryVersion;  // version of the factory image (used when the Updater has none)
  std::string name;            // reported in the heartbeat ("" = not sent)
  uint32_t heartbeatS = 30;    // base interval; each wait is drawn from [N, 2N]
  uint32_t otaCheckS = 21600;  // periodic OTA check; also once after the first good heartbeat
  DoseBy doseBy = DoseBy::SecondPress;
  uint32_t seed = 0;           // jitter RNG seed; 0 = derived from deviceId
};

struct Ports {
  HttpClient& http;
  KeyValueStore& kv;
  Clock& clock;
  Discovery& discovery;
  Updater& updater;
  Board& board;
  EventSink& sink;
};

class App {
 public:
  App(const Ports& ports, const AppConfig& config);
  ~App();
  App(const App&) = delete;
  App& operator=(const App&) = delete;

  // Boot: boot counter, OTA pending-verify/rollback bookkeeping, the `boot` line and the
  // `reboot` event. Call once before loop().
  void begin();
  // One step of every state machine. Never blocks longer than one HTTP request / mDNS query.
  void loop();
  // Ask for an OTA check at the next loop() (the host's `ota` command; a button combo on ESP32).
  void requestOtaCheck();
  // True once the core called Board::restart() (only matters where restart() returns).
  bool restartRequested() const;
  uint32_t bootCount() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace pastillero
