// The host adapters' own logic (the end-to-end tests exercise them against the real server).
#include <doctest/doctest.h>

#include <cstdlib>
#include <string>

#include "fakes.h"
#include "file_kv.h"
#include "file_updater.h"
#include "host_clock.h"
#include "md5.h"
#include "mdns_discovery.h"

using namespace pastillero;
using namespace pastillero::host;

namespace {
std::string tempDir() {
  char tmpl[] = "/tmp/fwtest-XXXXXX";
  REQUIRE(mkdtemp(tmpl) != nullptr);
  return tmpl;
}
std::string md5(const std::string& s) { return fakes::md5Hex(s); }
}  // namespace

TEST_CASE("host MD5: RFC 1321 test vectors") {
  CHECK(md5("") == "d41d8cd98f00b204e9800998ecf8427e");
  CHECK(md5("abc") == "900150983cd24fb0d6963f7d28e17f72");
  CHECK(md5("12345678901234567890123456789012345678901234567890123456789012345678901234567890") ==
        "57edf4a22be3c955ac49da2e2107b67a");
}

TEST_CASE("host NVS: one file per key, types, erase, namespace limits") {
  const std::string dir = tempDir();
  FileKeyValueStore kv(dir);
  CHECK(kv.putString("sched", "tz", "CET-1CEST,M3.5.0,M10.5.0/3"));
  CHECK(kv.putU32("sys", "boot", 42));
  const uint8_t blob[] = {0, 1, 2, 255};
  CHECK(kv.putBlob("b", "k", blob, 4));
  FileKeyValueStore again(dir);  // what the next boot reads
  std::string s;
  uint32_t u = 0;
  std::vector<uint8_t> b;
  CHECK((again.getString("sched", "tz", s) && s == "CET-1CEST,M3.5.0,M10.5.0/3"));
  CHECK((again.getU32("sys", "boot", u) && u == 42));
  CHECK((again.getBlob("b", "k", b) && b.size() == 4 && b[3] == 255));
  std::string onDisk;
  CHECK((readFile(dir + "/nvs/sys/boot", onDisk) && onDisk == "42"));
  CHECK(again.erase("sys", "boot"));
  CHECK(again.erase("sys", "boot"));  // erasing nothing is fine
  CHECK_FALSE(again.getU32("sys", "boot", u));
  CHECK(again.eraseNamespace("sched"));
  CHECK_FALSE(again.getString("sched", "tz", s));
  CHECK_FALSE(kv.putString("../etc", "x", "y"));
  CHECK_FALSE(kv.putString("ns", "a_key_of_16_char", "y"));
  CHECK_FALSE(kv.putString("ns", "k", std::string(4001, 'x')));
}

TEST_CASE("host updater: installs into the other slot, checks magic and MD5, rolls back") {
  const std::string dir = tempDir();
  {
    FileUpdater up(dir);
    CHECK(up.runningVersion().empty());  // the factory image
    CHECK_FALSE(up.runningPendingVerify());
    const std::string img = fakes::makeImage("1.1.0", 5000);
    REQUIRE(up.begin(img.size()));
    CHECK(up.write(reinterpret_cast<const uint8_t*>(img.data()), img.size()) == img.size());
    CHECK_FALSE(up.end(std::string(32, 'a')));
    CHECK(up.lastError() == "md5 mismatch");
    std::string bad = img;
    bad[0] = 0x00;
    REQUIRE(up.begin(bad.size()));
    up.write(reinterpret_cast<const uint8_t*>(bad.data()), bad.size());
    CHECK_FALSE(up.end(md5(bad)));
    CHECK(up.lastError() == "bad magic byte");
    REQUIRE(up.begin(img.size()));
    up.write(reinterpret_cast<const uint8_t*>(img.data()), img.size());
    std::string upper = md5(img);
    for (auto& c : upper) c = static_cast<char>(toupper(c));
    REQUIRE(up.end(upper));
    CHECK(up.runningVersion().empty());  // still the old image until the restart
    CHECK_FALSE(up.begin(FileUpdater::kSlotSize + 1));
  }
  {
    FileUpdater up(dir);  // the restart
    CHECK(up.runningVersion() == "1.1.0");
    CHECK(up.runningPendingVerify());
    CHECK(up.sketchMd5() == md5(fakes::makeImage("1.1.0", 5000)));
    CHECK(up.rollback());
  }
  FileUpdater up(dir);
  CHECK(up.runningVersion().empty());
  CHECK_FALSE(up.runningPendingVerify());
}

TEST_CASE("host clock: virtual start, advance, and it survives a restart") {
  const std::string dir = tempDir();
  const int64_t start = 1774744200000;  // 2026-03-29T00:30:00Z
  {
    HostClock c(start, dir + "/clock");
    CHECK(c.virtualTime());
    CHECK(c.epochMs() >= start);
    CHECK(c.epochMs() < start + 5000);
    const uint64_t mono = c.monotonicMs();
    c.advance(7 * 3600 * 1000);
    CHECK(c.epochMs() >= start + 7 * 3600 * 1000);
    CHECK(c.monotonicMs() >= mono + 7 * 3600 * 1000);
  }
  HostClock again(start, dir + "/clock");
  CHECK(again.epochMs() >= start + 7 * 3600 * 1000);
  CHECK(again.monotonicMs() < 5000);  // a new boot
  HostClock other(start + 1000, dir + "/clock");  // a different --start resets it
  CHECK(other.epochMs() < start + 3600 * 1000);
}

TEST_CASE("host mDNS: a query packet, and a compressed response with PTR/SRV/TXT/A") {
  const auto q = buildMdnsQuery({{"_pastillero._tcp.local", 12}});
  const uint8_t expected[] = {0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 11, '_', 'p', 'a', 's', 't', 'i', 'l',
                              'l', 'e', 'r', 'o', 4, '_', 't', 'c', 'p', 5, 'l', 'o', 'c', 'a', 'l',
                              0, 0, 12, 0, 1};
  REQUIRE(q.size() == sizeof expected);
  CHECK(std::equal(q.begin(), q.end(), expected));

  // A response like bonjour-service's: PTR answer, SRV/TXT/A additionals, names compressed.
  std::vector<uint8_t> p = {0, 0, 0x84, 0, 0, 0, 0, 1, 0, 0, 0, 3};
  const size_t typeAt = p.size();  // "_pastillero._tcp.local" at offset 12
  for (uint8_t c : std::vector<uint8_t>{11, '_', 'p', 'a', 's', 't', 'i', 'l', 'l', 'e', 'r', 'o', 4,
                                         '_', 't', 'c', 'p', 5, 'l', 'o', 'c', 'a', 'l', 0})
    p.push_back(c);
  const size_t localAt = typeAt + 17;  // "local"
  auto rr = [&](uint16_t type, const std::vector<uint8_t>& rdata) {
    p.push_back(static_cast<uint8_t>(type >> 8));
    p.push_back(static_cast<uint8_t>(type));
    p.insert(p.end(), {0x80, 1, 0, 0, 0x11, 0x94});  // cache-flush IN, TTL 4500
    p.push_back(static_cast<uint8_t>(rdata.size() >> 8));
    p.push_back(static_cast<uint8_t>(rdata.size()));
    p.insert(p.end(), rdata.begin(), rdata.end());
  };
  // PTR (its owner is the name just written): -> "Pastillero._pastillero._tcp.local"
  const size_t instanceAt = p.size() + 10;
  rr(12, {10, 'P', 'a', 's', 't', 'i', 'l', 'l', 'e', 'r', 'o', 0xC0, static_cast<uint8_t>(typeAt)});
  // SRV: instance -> port 8000, target "pc.local"
  p.insert(p.end(), {0xC0, static_cast<uint8_t>(instanceAt)});
  const size_t hostAt = p.size() + 10 + 6;
  rr(33, {0, 0, 0, 0, 0x1F, 0x40, 2, 'p', 'c', 0xC0, static_cast<uint8_t>(localAt)});
  // TXT
  p.insert(p.end(), {0xC0, static_cast<uint8_t>(instanceAt)});
  rr(16, {9, 'p', 'a', 't', 'h', '=', '/', 'a', 'p', 'i', 5, 'a', 'p', 'i', '=', '1'});
  // A: pc.local -> 10.9.0.2
  p.insert(p.end(), {0xC0, static_cast<uint8_t>(hostAt)});
  rr(1, {10, 9, 0, 2});

  MdnsRecords rec;
  REQUIRE(parseMdnsResponse(p.data(), p.size(), rec));
  REQUIRE(rec.ptr.size() == 1);
  CHECK(rec.ptr[0].first == "_pastillero._tcp.local");
  CHECK(rec.ptr[0].second == "pastillero._pastillero._tcp.local");
  REQUIRE(rec.srv.count("pastillero._pastillero._tcp.local") == 1);
  CHECK(rec.srv["pastillero._pastillero._tcp.local"].first == "pc.local");
  CHECK(rec.srv["pastillero._pastillero._tcp.local"].second == 8000);
  CHECK(rec.a["pc.local"] == "10.9.0.2");
  CHECK(rec.txt["pastillero._pastillero._tcp.local"]["path"] == "/api");
  CHECK(rec.txt["pastillero._pastillero._tcp.local"]["api"] == "1");

  // A query (QR bit clear) and a pointer loop are refused, not followed forever.
  CHECK_FALSE(parseMdnsResponse(q.data(), q.size(), rec));
  std::vector<uint8_t> loop = {0, 0, 0x84, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0xC0, 12};
  MdnsRecords none;
  CHECK_FALSE(parseMdnsResponse(loop.data(), loop.size(), none));
}
