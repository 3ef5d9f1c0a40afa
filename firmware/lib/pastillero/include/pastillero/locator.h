// Finds the server: mDNS _pastillero._tcp first (when enabled), then the fixed address from
// setup (NVS "srv"/"fixed"), then the last address mDNS gave (NVS "srv"/"mdns"). After
// kMaxFailures consecutive failed requests it forgets the choice and looks again, so a server
// that moved (new DHCP lease, another PC) is found without a trip to the setup page.
#pragma once

#include <cstdint>
#include <string>

#include "pastillero/ports.h"

namespace pastillero {

class ServerLocator {
 public:
  static constexpr int kMaxFailures = 3;

  ServerLocator(Discovery& discovery, KeyValueStore& kv, bool discover,
                const std::string& fixedUrl, uint32_t mdnsTimeoutMs = 3000);

  // Picks a server if none is chosen. True when one is known; `changed` tells the caller to
  // report it (state line {"ev":"server"}).
  bool ensure(bool& changed);
  bool known() const { return !origin_.empty(); }
  const std::string& origin() const { return origin_; }  // "http://192.168.1.10:8000"
  std::string api(const std::string& path) const;      // origin + TXT path ("/api") + path
  const std::string& via() const { return via_; }        // "mdns" | "fallback"

  void success() { failures_ = 0; }
  // Returns true when this failure made the locator forget the server (rediscovery next time;
  // only with discovery enabled).
  bool failure();
  int failures() const { return failures_; }

 private:
  Discovery& discovery_;
  KeyValueStore& kv_;
  bool discover_;
  uint32_t timeoutMs_;
  std::string origin_, apiPath_ = "/api", via_;
  int failures_ = 0;
};

// "http://host:port" from a URL that may carry a path ("http://h:8000/" -> "http://h:8000").
std::string urlOrigin(const std::string& url);

}  // namespace pastillero
