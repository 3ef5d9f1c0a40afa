#include <doctest/doctest.h>

#include <cstdlib>
#include <ctime>
#include <string>

#include "pastillero/tz.h"
#include "pastillero/util.h"

using namespace pastillero;

namespace {
const char* kMadrid = "CET-1CEST,M3.5.0,M10.5.0/3";
const char* kSantiago = "<-04>4<-03>,M9.1.6/24,M4.1.6/24";
const char* kNewYork = "EST5EDT,M3.2.0,M11.1.0";

PosixTz tz(const char* s) {
  PosixTz out;
  REQUIRE(parsePosixTz(s, out));
  return out;
}
int64_t utc(const char* iso) {
  int64_t s = 0;
  REQUIRE(parseIsoUtc(iso, s));
  return s;
}
}  // namespace

TEST_CASE("POSIX TZ: parses names, offsets and rules") {
  PosixTz m = tz(kMadrid);
  CHECK(m.stdName == "CET");
  CHECK(m.dstName == "CEST");
  CHECK(m.stdOffsetS == 3600);
  CHECK(m.dstOffsetS == 7200);
  CHECK(m.start.month == 3);
  CHECK(m.start.week == 5);
  CHECK(m.start.timeS == 7200);
  CHECK(m.end.timeS == 3 * 3600);

  PosixTz s = tz(kSantiago);
  CHECK(s.stdName == "-04");
  CHECK(s.dstName == "-03");
  CHECK(s.stdOffsetS == -4 * 3600);
  CHECK(s.dstOffsetS == -3 * 3600);
  CHECK(s.start.wday == 6);
  CHECK(s.start.timeS == 24 * 3600);

  PosixTz u = tz("UTC0");
  CHECK_FALSE(u.hasDst);
  CHECK(utcOffsetAt(u, utc("2026-07-01T00:00:00Z")) == 0);

  PosixTz india = tz("IST-5:30");
  CHECK(india.stdOffsetS == 5 * 3600 + 1800);
}

TEST_CASE("POSIX TZ: malformed strings are refused") {
  PosixTz out;
  for (const char* bad : {"", "CET", "CET-1CEST,M3.5.0", "CET-1CEST,M13.5.0,M10.5.0",
                          "CET-1CEST,M3.6.0,M10.5.0", "<-04", "CET-1CEST,M3.5.0,M10.5.0/3x",
                          "CET-99"}) {
    CAPTURE(bad);
    CHECK_FALSE(parsePosixTz(bad, out));
  }
}

TEST_CASE("Madrid: the spring and autumn changes of 2026 at the exact second") {
  PosixTz m = tz(kMadrid);
  // Last Sunday of March 2026 is the 29th; 02:00 CET = 01:00 UTC.
  CHECK(utcOffsetAt(m, utc("2026-03-29T00:59:59Z")) == 3600);
  CHECK(utcOffsetAt(m, utc("2026-03-29T01:00:00Z")) == 7200);
  // Last Sunday of October 2026 is the 25th; 03:00 CEST = 01:00 UTC.
  CHECK(utcOffsetAt(m, utc("2026-10-25T00:59:59Z")) == 7200);
  CHECK(utcOffsetAt(m, utc("2026-10-25T01:00:00Z")) == 3600);
  // 08:00 local on the change day is 06:00 UTC (summer time), the day before 07:00 UTC.
  CHECK(localToUtc(m, epochFromCivil(2026, 3, 29, 8, 0)) == utc("2026-03-29T06:00:00Z"));
  CHECK(localToUtc(m, epochFromCivil(2026, 3, 28, 8, 0)) == utc("2026-03-28T07:00:00Z"));
  // 02:30 does not exist on 29 March: it maps to the change itself (03:00 CEST), as the server.
  CHECK(localToUtc(m, epochFromCivil(2026, 3, 29, 2, 30)) == utc("2026-03-29T01:00:00Z"));
  // 02:30 happens twice on 25 October: the first one (CEST) counts.
  CHECK(localToUtc(m, epochFromCivil(2026, 10, 25, 2, 30)) == utc("2026-10-25T00:30:00Z"));
}

TEST_CASE("Santiago: southern summer across the new year, changes at 24:00 on Saturday") {
  PosixTz s = tz(kSantiago);
  CHECK(utcOffsetAt(s, utc("2026-01-15T12:00:00Z")) == -3 * 3600);  // summer
  CHECK(utcOffsetAt(s, utc("2026-07-15T12:00:00Z")) == -4 * 3600);  // winter
  // First Saturday of April 2026 is the 4th; 24:00 -03 = 2026-04-05T03:00Z.
  CHECK(utcOffsetAt(s, utc("2026-04-05T02:59:59Z")) == -3 * 3600);
  CHECK(utcOffsetAt(s, utc("2026-04-05T03:00:00Z")) == -4 * 3600);
  // First Saturday of September 2026 is the 5th; 24:00 -04 = 2026-09-06T04:00Z.
  CHECK(utcOffsetAt(s, utc("2026-09-06T03:59:59Z")) == -4 * 3600);
  CHECK(utcOffsetAt(s, utc("2026-09-06T04:00:00Z")) == -3 * 3600);
  // Midnight of Sunday 6 September does not exist: the clock jumps from 23:59:59 to 01:00.
  CHECK(localToUtc(s, epochFromCivil(2026, 9, 6, 0, 30)) == utc("2026-09-06T04:00:00Z"));
  CHECK(localToUtc(s, epochFromCivil(2026, 9, 6, 8, 0)) == utc("2026-09-06T11:00:00Z"));
}

TEST_CASE("New York: second Sunday of March, first Sunday of November") {
  PosixTz n = tz(kNewYork);
  CHECK(utcOffsetAt(n, utc("2026-03-08T06:59:59Z")) == -5 * 3600);
  CHECK(utcOffsetAt(n, utc("2026-03-08T07:00:00Z")) == -4 * 3600);
  CHECK(utcOffsetAt(n, utc("2026-11-01T05:59:59Z")) == -4 * 3600);
  CHECK(utcOffsetAt(n, utc("2026-11-01T06:00:00Z")) == -5 * 3600);
  CHECK(localToUtc(n, epochFromCivil(2026, 11, 1, 1, 30)) == utc("2026-11-01T05:30:00Z"));
}

TEST_CASE("POSIX TZ agrees with glibc's own evaluation over 15 years") {
  for (const char* zone : {kMadrid, kSantiago, kNewYork, "AEST-10AEDT,M10.1.0,M4.1.0/3",
                           "NZST-12NZDT,M9.5.0,M4.1.0/3", "<+0330>-3:30", "GMT0BST,M3.5.0/1,M10.5.0"}) {
    CAPTURE(zone);
    PosixTz ours = tz(zone);
    setenv("TZ", zone, 1);
    tzset();
    Rng rng(fnv1a(zone));
    int mismatches = 0;
    for (int i = 0; i < 4000; i++) {
      const int64_t t = utc("2020-01-01T00:00:00Z") + static_cast<int64_t>(rng.next() % (15u * 365 * 86400));
      const time_t tt = static_cast<time_t>(t);
      struct tm local;
      localtime_r(&tt, &local);
      if (local.tm_gmtoff != utcOffsetAt(ours, t)) mismatches++;
      // Round trip for wall times that exist once.
      const int64_t wall = t + local.tm_gmtoff;
      const int64_t back = localToUtc(ours, wall);
      if (back != t) {
        // Allowed only in the repeated hour, where the first occurrence is chosen.
        const time_t bt = static_cast<time_t>(back);
        struct tm other;
        localtime_r(&bt, &other);
        if (back + other.tm_gmtoff != wall || back > t) mismatches++;
      }
    }
    CHECK(mismatches == 0);
  }
  unsetenv("TZ");
  tzset();
}

TEST_CASE("civil calendar helpers round-trip") {
  CivilTime c = civilFromEpoch(epochFromCivil(2028, 2, 29, 23, 59, 58));
  CHECK(c.year == 2028);
  CHECK(c.month == 2);
  CHECK(c.day == 29);
  CHECK(c.hour == 23);
  CHECK(c.second == 58);
  CHECK(c.wday == 2);  // a Tuesday
  CHECK(isoUtc(utc("2026-03-29T06:00:00Z")) == "2026-03-29T06:00:00Z");
  CHECK(isoLocalMinutes(epochFromCivil(2026, 3, 29, 8, 0)) == "2026-03-29T08:00");
  int64_t s;
  CHECK(parseIsoUtc("2026-03-29T08:00:00+02:00", s));
  CHECK(s == utc("2026-03-29T06:00:00Z"));
  CHECK(parseIsoUtc("2026-03-29T06:00:00.123Z", s));
  CHECK_FALSE(parseIsoUtc("2026-03-29 06:00", s));
}
