// Discovery with a one-shot mDNS query of our own (RFC 6762/6763), no daemon needed: a UDP
// socket on port 5353 joins 224.0.0.251 on every multicast-capable IPv4 interface, sends a PTR
// question for _<service>._<proto>.local, and reads answers until the timeout, following up
// with SRV/TXT/A questions for whatever the first answers left out. Names may be compressed.
// Like ESP-IDF's resolver it needs the A record: a service without one is returned with an empty
// address (the core then skips it).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "pastillero/ports.h"

namespace pastillero {
namespace host {

// The parsed records of one mDNS message (exposed for unit tests).
struct MdnsRecords {
  std::vector<std::pair<std::string, std::string>> ptr;   // service name -> instance name
  std::map<std::string, std::pair<std::string, uint16_t>> srv;  // instance -> (target, port)
  std::map<std::string, std::map<std::string, std::string>> txt;  // instance -> key/values
  std::map<std::string, std::string> a;                   // host -> dotted quad
};
// Parses a response into `out` (appending). False for queries and malformed packets.
bool parseMdnsResponse(const uint8_t* data, size_t len, MdnsRecords& out);
// A query packet with one question per (name, type).
std::vector<uint8_t> buildMdnsQuery(const std::vector<std::pair<std::string, uint16_t>>& questions);

class MdnsDiscovery : public Discovery {
 public:
  std::vector<DiscoveredService> query(const char* service, const char* proto,
                                       uint32_t timeoutMs) override;
};

}  // namespace host
}  // namespace pastillero
