#include "pastillero/locator.h"

namespace pastillero {

namespace {
const char* kNs = "srv";
}

std::string urlOrigin(const std::string& url) {
  const size_t scheme = url.find("://");
  if (scheme == std::string::npos) return "";
  const size_t slash = url.find('/', scheme + 3);
  return slash == std::string::npos ? url : url.substr(0, slash);
}

ServerLocator::ServerLocator(Discovery& discovery, KeyValueStore& kv, bool discover,
                             const std::string& fixedUrl, uint32_t mdnsTimeoutMs)
    : discovery_(discovery), kv_(kv), discover_(discover), timeoutMs_(mdnsTimeoutMs) {
  const std::string origin = urlOrigin(fixedUrl);
  if (!origin.empty()) {
    std::string stored;
    if (!kv_.getString(kNs, "fixed", stored) || stored != origin)
      kv_.putString(kNs, "fixed", origin);
  }
}

std::string ServerLocator::api(const std::string& path) const { return origin_ + apiPath_ + path; }

bool ServerLocator::ensure(bool& changed) {
  changed = false;
  if (!origin_.empty()) return true;
  if (discover_) {
    for (const auto& found : discovery_.query("pastillero", "tcp", timeoutMs_)) {
      // A service without an address (no A record) cannot be reached: the ESP32's resolver
      // needs it, so we do not guess from the host name either.
      if (found.address.empty() || found.port == 0) continue;
      origin_ = "http://" + found.address + ":" + std::to_string(found.port);
      apiPath_ = found.path.empty() ? "/api" : found.path;
      if (apiPath_.back() == '/') apiPath_.pop_back();
      via_ = "mdns";
      kv_.putString(kNs, "mdns", origin_);
      kv_.putString(kNs, "mdnspath", apiPath_);
      changed = true;
      return true;
    }
  }
  std::string stored;
  if (kv_.getString(kNs, "fixed", stored) && !stored.empty()) {
    origin_ = stored;
    apiPath_ = "/api";
  } else if (kv_.getString(kNs, "mdns", stored) && !stored.empty()) {
    origin_ = stored;
    if (!kv_.getString(kNs, "mdnspath", apiPath_) || apiPath_.empty()) apiPath_ = "/api";
  } else {
    return false;
  }
  via_ = "fallback";
  changed = true;
  return true;
}

bool ServerLocator::failure() {
  // Without discovery there is nothing else to try: keep the address (and stay quiet about it).
  if (++failures_ < kMaxFailures || !discover_) return false;
  failures_ = 0;
  origin_.clear();
  return true;
}

}  // namespace pastillero
