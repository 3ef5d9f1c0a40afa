#include "pastillero/tz.h"

#include <cctype>

namespace pastillero {

namespace {

// Howard Hinnant's days_from_civil / civil_from_days (public-domain algorithms).
int64_t daysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

bool isLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int daysInMonth(int y, int m) {
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && isLeap(y) ? 29 : days[m - 1];
}

struct Parser {
  const std::string& s;
  size_t i = 0;
  bool done() const { return i >= s.size(); }
  char peek() const { return done() ? '\0' : s[i]; }

  bool name(std::string& out) {
    if (peek() == '<') {
      size_t close = s.find('>', i);
      if (close == std::string::npos) return false;
      out = s.substr(i + 1, close - i - 1);
      i = close + 1;
      return out.size() >= 1;
    }
    size_t start = i;
    while (!done() && std::isalpha(static_cast<unsigned char>(peek()))) i++;
    out = s.substr(start, i - start);
    return out.size() >= 3;
  }

  bool number(int& out, int maxDigits) {
    int n = 0, digits = 0;
    while (!done() && std::isdigit(static_cast<unsigned char>(peek())) && digits < maxDigits) {
      n = n * 10 + (peek() - '0');
      i++;
      digits++;
    }
    out = n;
    return digits > 0;
  }

  // [+-]hh[:mm[:ss]] -> seconds (sign applied)
  bool hms(int32_t& out, int maxHours) {
    int sign = 1;
    if (peek() == '+' || peek() == '-') {
      if (peek() == '-') sign = -1;
      i++;
    }
    int h = 0, m = 0, sec = 0;
    if (!number(h, 3) || h > maxHours) return false;
    if (peek() == ':') {
      i++;
      if (!number(m, 2) || m > 59) return false;
      if (peek() == ':') {
        i++;
        if (!number(sec, 2) || sec > 59) return false;
      }
    }
    out = sign * (h * 3600 + m * 60 + sec);
    return true;
  }

  bool rule(TzRule& r) {
    if (peek() == 'M') {
      i++;
      r.kind = TzRule::MonthWeekDay;
      if (!number(r.month, 2) || r.month < 1 || r.month > 12 || peek() != '.') return false;
      i++;
      if (!number(r.week, 1) || r.week < 1 || r.week > 5 || peek() != '.') return false;
      i++;
      if (!number(r.wday, 1) || r.wday > 6) return false;
    } else if (peek() == 'J') {
      i++;
      r.kind = TzRule::JulianNoLeap;
      if (!number(r.day, 3) || r.day < 1 || r.day > 365) return false;
    } else {
      r.kind = TzRule::JulianZero;
      if (!number(r.day, 3) || r.day > 365) return false;
    }
    r.timeS = 7200;
    if (peek() == '/') {
      i++;
      if (!hms(r.timeS, 167)) return false;
    }
    return true;
  }
};

// Local "epoch" second (wall time as if UTC) at which `rule` fires in `year`, before adding the
// rule's time of day... plus it.
int64_t ruleLocal(const TzRule& r, int year) {
  int64_t day;
  switch (r.kind) {
    case TzRule::JulianNoLeap: {
      // Day 1..365, February 29 never counted.
      int n = r.day;
      day = daysFromCivil(year, 1, 1) + n - 1;
      if (isLeap(year) && n >= 60) day += 1;
      break;
    }
    case TzRule::JulianZero:
      day = daysFromCivil(year, 1, 1) + r.day;
      break;
    default: {
      int64_t first = daysFromCivil(year, static_cast<unsigned>(r.month), 1);
      int firstWday = static_cast<int>(((first % 7) + 7 + 4) % 7);  // 1970-01-01 was a Thursday
      int dom = 1 + ((r.wday - firstWday + 7) % 7) + (r.week - 1) * 7;
      while (dom > daysInMonth(year, r.month)) dom -= 7;
      day = first + dom - 1;
    }
  }
  return day * 86400 + r.timeS;
}

bool isDst(const PosixTz& tz, int64_t utc, int year) {
  const int64_t start = ruleLocal(tz.start, year) - tz.stdOffsetS;  // UTC instants
  const int64_t end = ruleLocal(tz.end, year) - tz.dstOffsetS;
  if (start < end) return utc >= start && utc < end;
  return !(utc >= end && utc < start);  // southern hemisphere: summer spans the new year
}

}  // namespace

bool parsePosixTz(const std::string& text, PosixTz& out) {
  Parser p{text};
  PosixTz tz;
  int32_t off;
  if (!p.name(tz.stdName) || !p.hms(off, 24)) return false;
  tz.stdOffsetS = -off;  // POSIX counts west positive
  tz.dstOffsetS = tz.stdOffsetS;
  if (!p.done()) {
    if (!p.name(tz.dstName)) return false;
    tz.hasDst = true;
    tz.dstOffsetS = tz.stdOffsetS + 3600;
    if (!p.done() && p.peek() != ',') {
      if (!p.hms(off, 24)) return false;
      tz.dstOffsetS = -off;
    }
    if (p.done()) {
      // No rules: the US rules POSIX implementations assume.
      tz.start = TzRule{TzRule::MonthWeekDay, 3, 2, 0, 0, 7200};
      tz.end = TzRule{TzRule::MonthWeekDay, 11, 1, 0, 0, 7200};
    } else {
      if (p.peek() != ',') return false;
      p.i++;
      if (!p.rule(tz.start) || p.peek() != ',') return false;
      p.i++;
      if (!p.rule(tz.end) || !p.done()) return false;
    }
  }
  out = tz;
  return true;
}

int32_t utcOffsetAt(const PosixTz& tz, int64_t utc) {
  if (!tz.hasDst) return tz.stdOffsetS;
  const int year = civilFromEpoch(utc + tz.stdOffsetS).year;
  return isDst(tz, utc, year) ? tz.dstOffsetS : tz.stdOffsetS;
}

int64_t localToUtc(const PosixTz& tz, int64_t local) {
  const int64_t a = local - tz.stdOffsetS, b = local - tz.dstOffsetS;
  const bool aOk = utcOffsetAt(tz, a) == tz.stdOffsetS;
  const bool bOk = utcOffsetAt(tz, b) == tz.dstOffsetS;
  if (aOk && bOk) return a < b ? a : b;
  if (aOk) return a;
  if (bOk) return b;
  // A skipped wall time: the change happens between the two readings; find it (offsets differ
  // by at most a day, so ~17 halvings).
  int64_t lo = a < b ? a : b, hi = a < b ? b : a;
  const int32_t before = utcOffsetAt(tz, lo);
  while (hi - lo > 1) {
    const int64_t mid = lo + (hi - lo) / 2;
    if (utcOffsetAt(tz, mid) == before) lo = mid;
    else hi = mid;
  }
  return hi;
}

CivilTime civilFromEpoch(int64_t s) {
  int64_t days = s >= 0 ? s / 86400 : -((-s + 86399) / 86400);
  int64_t rem = s - days * 86400;
  CivilTime c{};
  c.hour = static_cast<int>(rem / 3600);
  c.minute = static_cast<int>(rem % 3600 / 60);
  c.second = static_cast<int>(rem % 60);
  c.wday = static_cast<int>(((days % 7) + 7 + 4) % 7);
  int64_t z = days + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  c.day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  c.month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  c.year = static_cast<int>(static_cast<int64_t>(yoe) + era * 400 + (c.month <= 2));
  return c;
}

int64_t epochFromCivil(int year, int month, int day, int hour, int minute, int second) {
  return daysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) * 86400 +
         hour * 3600 + minute * 60 + second;
}

}  // namespace pastillero
