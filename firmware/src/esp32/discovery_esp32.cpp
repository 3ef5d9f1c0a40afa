// Discovery port on ESPmDNS. MDNS.queryService() blocks for its own fixed time (about 3 s in
// Arduino-ESP32 3.x) whatever `timeoutMs` says; the core only queries at boot and after repeated
// failures, so that is acceptable.
#include <ESPmDNS.h>
#include <WiFi.h>

#include "adapters.h"

namespace pastillero {
namespace esp32 {

std::vector<DiscoveredService> Esp32Discovery::query(const char* service, const char* proto,
                                                     uint32_t timeoutMs) {
  (void)timeoutMs;
  std::vector<DiscoveredService> found;
  if (WiFi.status() != WL_CONNECTED) return found;
  if (!started_) started_ = MDNS.begin(hostname_.c_str());
  if (!started_) return found;

  const int n = MDNS.queryService(service, proto);  // adds the leading underscores itself
  for (int i = 0; i < n; i++) {
    // TXT api = version of the device API (docs/discovery.md): skip servers speaking another.
    if (MDNS.hasTxt(i, "api") && MDNS.txt(i, "api") != "1") continue;
    DiscoveredService s;
    s.host = MDNS.hostname(i).c_str();
    if (!s.host.empty() && s.host.find('.') == std::string::npos) s.host += ".local";
    // The A record. ESP-IDF's resolver needs it: a server announced without one shows up here
    // with 0.0.0.0, and the core then keeps its fallback address.
    const String ip = MDNS.address(i).toString();
    if (ip.length() > 0 && ip != "0.0.0.0") s.address = ip.c_str();
    s.port = MDNS.port(i);
    s.path = MDNS.txt(i, "path").c_str();
    found.push_back(s);
  }
  return found;
}

}  // namespace esp32
}  // namespace pastillero
