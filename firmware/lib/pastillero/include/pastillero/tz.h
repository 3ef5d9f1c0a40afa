// POSIX TZ strings ("CET-1CEST,M3.5.0,M10.5.0/3", "<-04>4<-03>,M9.1.6/24,M4.1.6/24") evaluated
// without the C library: pure functions, the same answers on the ESP32 and on the host, testable
// for any zone without touching the process's TZ. The server sends the string in every heartbeat
// answer (tz.posix).
#pragma once

#include <cstdint>
#include <string>

namespace pastillero {

struct TzRule {
  enum Kind { JulianNoLeap, JulianZero, MonthWeekDay };  // "Jn", "n", "Mm.w.d"
  Kind kind = MonthWeekDay;
  int month = 0, week = 0, wday = 0;  // M form: month 1-12, week 1-5 (5 = last), wday 0 = Sunday
  int day = 0;                        // J form: 1-365; n form: 0-365
  int32_t timeS = 7200;               // local time of the change, seconds (may be <0 or >= 24 h)
};

struct PosixTz {
  std::string stdName, dstName;
  int32_t stdOffsetS = 0;  // local minus UTC in standard time (east positive: CET = +3600)
  int32_t dstOffsetS = 0;  // local minus UTC in summer time
  bool hasDst = false;
  TzRule start, end;       // DST starts (in standard local time) and ends (in summer local time)
};

// Parses a POSIX TZ string. False (and `out` untouched) when malformed.
bool parsePosixTz(const std::string& text, PosixTz& out);

// Local minus UTC, in seconds, at the UTC instant `utc` (epoch seconds).
int32_t utcOffsetAt(const PosixTz& tz, int64_t utc);
inline int64_t utcToLocal(const PosixTz& tz, int64_t utc) { return utc + utcOffsetAt(tz, utc); }

// The UTC instant at which the wall clock shows `local` ("local epoch": the wall time counted
// as if it were UTC). Same rules as the server (schedules/tz.ts): a skipped wall time (spring
// forward) maps to the transition instant; a repeated one (fall back) to its first occurrence.
int64_t localToUtc(const PosixTz& tz, int64_t local);

// Civil calendar helpers on "local epoch" seconds.
struct CivilTime {
  int year, month, day, hour, minute, second, wday;  // month 1-12, wday 0 = Sunday
};
CivilTime civilFromEpoch(int64_t s);
int64_t epochFromCivil(int year, int month, int day, int hour = 0, int minute = 0, int second = 0);

}  // namespace pastillero
