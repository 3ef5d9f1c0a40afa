// OTA with Arduino HTTPUpdate's semantics against GET /api/ota/update, plus the pending-verify
// bookkeeping that makes a bad image roll back by itself.
//
// check(): one GET with HTTPUpdate's x-ESP32-* headers. 304/204 = no update. 200 needs a
// Content-Length > 0 that fits, a 32-hex-digit x-MD5 and a first byte 0xE9; the body streams
// into the Updater, which verifies the MD5 at end(). Only then does the new image boot next.
//
// Boot bookkeeping (namespace "ota"): "pend" = version installed and not yet confirmed, "tries"
// = boots of it so far, "rb" = version rolled back on the previous boot. A new image that has
// booted twice without a successful heartbeat is rolled back on its third boot (on an ESP32
// whose bootloader already rolled back, the first boot of the old image notices instead).
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "pastillero/ports.h"

namespace pastillero {

struct OtaResult {
  enum Kind { NoUpdate, Installed, Failed, Unreachable, Refused } kind = Unreachable;
  std::string version;  // the offered/installed version when known
  std::string error;    // Failed/Refused/Unreachable: why
  bool started = false; // a 200 image answer was accepted (ota_start was reported)
  int status = 0;
};

enum class OtaBoot { Normal, Pending, RollbackNow, RolledBack };

class OtaFlow {
 public:
  static constexpr uint32_t kMaxUnconfirmedBoots = 2;

  OtaFlow(HttpClient& http, Updater& updater, KeyValueStore& kv)
      : http_(http), updater_(updater), kv_(kv) {}

  // `onStart(version)` runs once the 200 answer passed the header checks, before the body.
  OtaResult check(const std::string& url, const std::string& deviceId,
                  const std::string& runningVersion, const HttpHeaders& auth,
                  const std::function<void(const std::string&)>& onStart);

  // Called once per boot, before anything else. `version` is set for Pending/RollbackNow/
  // RolledBack (the new image's version). RollbackNow: the caller calls Updater::rollback() and
  // restarts.
  OtaBoot atBoot(std::string& version);
  bool pending() const { return !pendingVersion_.empty(); }
  const std::string& pendingVersion() const { return pendingVersion_; }
  // The new image proved itself (a successful heartbeat): keep it.
  bool confirm();
  // Remember a rollback we are about to do, for the next boot's report.
  void noteRollback(const std::string& version);

 private:
  HttpClient& http_;
  Updater& updater_;
  KeyValueStore& kv_;
  std::string pendingVersion_;
};

// "pastillero-1.1.0.bin" from Content-Disposition -> "1.1.0" ("" when absent).
std::string versionFromDisposition(const std::string& header);
// The version[32] field of an ESP32 app image's esp_app_desc_t (file offset 0x30), or "".
std::string versionFromImage(const uint8_t* image, size_t len);

}  // namespace pastillero
