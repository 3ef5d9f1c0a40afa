#include "mdns_discovery.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstring>

namespace pastillero {
namespace host {

namespace {

constexpr uint16_t kTypeA = 1, kTypePtr = 12, kTypeTxt = 16, kTypeSrv = 33;

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

uint16_t be16(const uint8_t* p) { return static_cast<uint16_t>(p[0] << 8 | p[1]); }

// Reads a possibly compressed name at `pos`; `next` gets the offset after it in the record.
bool readName(const uint8_t* d, size_t len, size_t pos, std::string& name, size_t& next) {
  name.clear();
  bool jumped = false;
  int hops = 0;
  for (;;) {
    if (pos >= len) return false;
    const uint8_t n = d[pos];
    if ((n & 0xC0) == 0xC0) {
      if (pos + 1 >= len || ++hops > 32) return false;
      if (!jumped) next = pos + 2;
      jumped = true;
      pos = static_cast<size_t>((n & 0x3F) << 8 | d[pos + 1]);
      continue;
    }
    if (n & 0xC0) return false;
    if (n == 0) {
      if (!jumped) next = pos + 1;
      return true;
    }
    if (pos + 1 + n > len) return false;
    if (!name.empty()) name += '.';
    name.append(reinterpret_cast<const char*>(d + pos + 1), n);
    pos += 1 + n;
  }
}

void putName(std::vector<uint8_t>& out, const std::string& name) {
  size_t start = 0;
  while (start < name.size()) {
    size_t dot = name.find('.', start);
    if (dot == std::string::npos) dot = name.size();
    const size_t n = dot - start;
    out.push_back(static_cast<uint8_t>(n));
    out.insert(out.end(), name.begin() + static_cast<long>(start), name.begin() + static_cast<long>(dot));
    start = dot + 1;
  }
  out.push_back(0);
}

int64_t nowMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

}  // namespace

std::vector<uint8_t> buildMdnsQuery(const std::vector<std::pair<std::string, uint16_t>>& questions) {
  std::vector<uint8_t> out = {0, 0, 0, 0, 0, static_cast<uint8_t>(questions.size()), 0, 0, 0, 0, 0, 0};
  for (const auto& q : questions) {
    putName(out, q.first);
    out.push_back(static_cast<uint8_t>(q.second >> 8));
    out.push_back(static_cast<uint8_t>(q.second & 0xff));
    out.push_back(0);
    out.push_back(1);  // class IN, multicast answer wanted
  }
  return out;
}

bool parseMdnsResponse(const uint8_t* d, size_t len, MdnsRecords& out) {
  if (len < 12 || !(d[2] & 0x80)) return false;  // not a response
  const unsigned qd = be16(d + 4), an = be16(d + 6), ns = be16(d + 8), ar = be16(d + 10);
  size_t pos = 12;
  std::string name;
  for (unsigned i = 0; i < qd; i++) {
    size_t next = 0;
    if (!readName(d, len, pos, name, next) || next + 4 > len) return false;
    pos = next + 4;
  }
  for (unsigned i = 0; i < an + ns + ar; i++) {
    size_t next = 0;
    if (!readName(d, len, pos, name, next) || next + 10 > len) return false;
    const uint16_t type = be16(d + next);
    const uint16_t rdlen = be16(d + next + 8);
    const size_t rd = next + 10;
    if (rd + rdlen > len) return false;
    const std::string owner = lower(name);
    if (type == kTypePtr) {
      std::string target;
      size_t after = 0;
      if (readName(d, len, rd, target, after)) out.ptr.push_back({owner, lower(target)});
    } else if (type == kTypeSrv && rdlen >= 7) {
      std::string target;
      size_t after = 0;
      if (readName(d, len, rd + 6, target, after))
        out.srv[owner] = {lower(target), be16(d + rd + 4)};
    } else if (type == kTypeTxt) {
      auto& kv = out.txt[owner];
      size_t p = rd;
      while (p < rd + rdlen) {
        const size_t n = d[p];
        if (p + 1 + n > rd + rdlen) break;
        const std::string entry(reinterpret_cast<const char*>(d + p + 1), n);
        const size_t eq = entry.find('=');
        if (eq != std::string::npos) kv[lower(entry.substr(0, eq))] = entry.substr(eq + 1);
        else if (!entry.empty()) kv[lower(entry)] = "";
        p += 1 + n;
      }
    } else if (type == kTypeA && rdlen == 4) {
      char ip[INET_ADDRSTRLEN];
      inet_ntop(AF_INET, d + rd, ip, sizeof ip);
      out.a[owner] = ip;
    }
    pos = rd + rdlen;
  }
  return true;
}

std::vector<DiscoveredService> MdnsDiscovery::query(const char* service, const char* proto,
                                                    uint32_t timeoutMs) {
  std::vector<DiscoveredService> found;
  const std::string type = lower(std::string("_") + service + "._" + proto + ".local");
  const int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return found;
  const int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
  sockaddr_in local{};
  local.sin_family = AF_INET;
  local.sin_port = htons(5353);
  local.sin_addr.s_addr = htonl(INADDR_ANY);
  if (bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0) {
    // Port 5353 taken without sharing: an ephemeral port still gets unicast ("legacy") answers.
    local.sin_port = 0;
    bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof local);
  }
  const unsigned char ttl = 255, loop = 1;
  setsockopt(fd, IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof ttl);
  setsockopt(fd, IPPROTO_IP, IP_MULTICAST_LOOP, &loop, sizeof loop);

  // Every IPv4 interface that does multicast (a veth in a namespace, a LAN card...).
  std::vector<in_addr> ifaces;
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) == 0) {
    for (ifaddrs* i = list; i; i = i->ifa_next) {
      if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET) continue;
      if (!(i->ifa_flags & IFF_UP) || !(i->ifa_flags & IFF_MULTICAST)) continue;
      ifaces.push_back(reinterpret_cast<sockaddr_in*>(i->ifa_addr)->sin_addr);
    }
    freeifaddrs(list);
  }
  ip_mreq group{};
  inet_pton(AF_INET, "224.0.0.251", &group.imr_multiaddr);
  for (const auto& addr : ifaces) {
    group.imr_interface = addr;
    setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &group, sizeof group);
  }
  if (ifaces.empty()) {
    group.imr_interface.s_addr = htonl(INADDR_ANY);
    setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &group, sizeof group);
  }
  sockaddr_in dest{};
  dest.sin_family = AF_INET;
  dest.sin_port = htons(5353);
  dest.sin_addr = group.imr_multiaddr;

  auto send = [&](const std::vector<std::pair<std::string, uint16_t>>& questions) {
    const std::vector<uint8_t> packet = buildMdnsQuery(questions);
    if (ifaces.empty()) {
      sendto(fd, packet.data(), packet.size(), 0, reinterpret_cast<sockaddr*>(&dest), sizeof dest);
      return;
    }
    for (const auto& addr : ifaces) {
      setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &addr, sizeof addr);
      sendto(fd, packet.data(), packet.size(), 0, reinterpret_cast<sockaddr*>(&dest), sizeof dest);
    }
  };

  MdnsRecords records;
  const int64_t deadline = nowMs() + timeoutMs;
  int64_t nextQuery = 0;
  int64_t interval = 250;
  for (;;) {
    // Which instances are complete, and what is still missing.
    found.clear();
    std::vector<std::pair<std::string, uint16_t>> missing;
    for (const auto& p : records.ptr) {
      if (p.first != type) continue;
      const std::string& instance = p.second;
      bool dup = false;
      for (const auto& f : found) dup = dup || lower(f.instance) == instance;
      if (dup) continue;
      auto srv = records.srv.find(instance);
      if (srv == records.srv.end()) {
        missing.push_back({instance, kTypeSrv});
        missing.push_back({instance, kTypeTxt});
        continue;
      }
      DiscoveredService s;
      s.instance = instance;
      s.host = srv->second.first;
      s.port = srv->second.second;
      auto a = records.a.find(s.host);
      if (a != records.a.end()) s.address = a->second;
      else missing.push_back({s.host, kTypeA});
      auto txt = records.txt.find(instance);
      if (txt != records.txt.end() && txt->second.count("path")) s.path = txt->second.at("path");
      found.push_back(s);
    }
    bool complete = !found.empty();
    for (const auto& f : found) complete = complete && !f.address.empty();
    const int64_t now = nowMs();
    if (complete || now >= deadline) break;
    if (now >= nextQuery) {
      if (missing.empty()) send({{type, kTypePtr}});
      else send(missing);
      nextQuery = now + interval;
      if (interval < 1000) interval *= 2;
    }
    pollfd pfd{fd, POLLIN, 0};
    const int64_t wait = (nextQuery < deadline ? nextQuery : deadline) - now;
    if (poll(&pfd, 1, static_cast<int>(wait > 0 ? wait : 0)) > 0) {
      uint8_t buf[9000];
      const ssize_t n = recv(fd, buf, sizeof buf, 0);
      if (n > 0) parseMdnsResponse(buf, static_cast<size_t>(n), records);
    }
  }
  close(fd);
  return found;
}

}  // namespace host
}  // namespace pastillero
