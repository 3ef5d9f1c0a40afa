#include <doctest/doctest.h>

#include "fakes.h"
#include "pastillero/alarm.h"
#include "pastillero/app.h"
#include "pastillero/util.h"

using namespace pastillero;

namespace {
int64_t utc(const char* iso) {
  int64_t s = 0;
  REQUIRE(parseIsoUtc(iso, s));
  return s;
}
Schedule morning(int windowMin = 30, uint8_t mask = 0x7F) {
  Schedule s;
  s.present = true;
  s.version = 3;
  s.alarms.push_back({11, "Mañana", 8, 0, mask, windowMin});
  return s;
}
PosixTz madrid() {
  PosixTz tz;
  REQUIRE(parsePosixTz("CET-1CEST,M3.5.0,M10.5.0/3", tz));
  return tz;
}
}  // namespace

TEST_CASE("alarm: rings at local 08:00 on the DST change day, ack, then the dose") {
  fakes::MemKv kv;
  AlarmEngine e(kv);
  e.setSchedule(morning(), madrid());
  CHECK(e.tick(utc("2026-03-29T05:59:59Z")).empty());  // 07:59:59 CEST
  auto a = e.tick(utc("2026-03-29T06:00:00Z"));          // 08:00 CEST
  REQUIRE(a.size() == 1);
  CHECK(a[0].kind == AlarmAction::Ring);
  CHECK(a[0].cycle.ring == 1);
  CHECK(a[0].cycle.label == "Mañana");
  CHECK(isoLocalMinutes(a[0].cycle.localWall) == "2026-03-29T08:00");
  CHECK(e.buzzer(utc("2026-03-29T06:00:10Z")));
  CHECK(e.led());

  a = e.input(Input::ButtonPress, DoseBy::SecondPress, utc("2026-03-29T06:01:00Z"));
  REQUIRE(a.size() == 1);
  CHECK(a[0].kind == AlarmAction::Ack);
  CHECK_FALSE(e.buzzer(utc("2026-03-29T06:01:01Z")));
  CHECK(e.led());
  a = e.input(Input::ButtonPress, DoseBy::SecondPress, utc("2026-03-29T06:02:00Z"));
  REQUIRE(a.size() == 1);
  CHECK(a[0].kind == AlarmAction::Taken);
  CHECK_FALSE(e.led());
  // Nothing more today, even long after.
  CHECK(e.tick(utc("2026-03-29T06:40:00Z")).empty());
  // The next day rings again at 08:00 CEST.
  CHECK(e.tick(utc("2026-03-30T05:59:00Z")).empty());
  CHECK(e.tick(utc("2026-03-30T06:00:00Z")).size() == 1);
}

TEST_CASE("alarm: repeats every 5 minutes inside the window, then gives up") {
  fakes::MemKv kv;
  AlarmEngine e(kv);
  e.setSchedule(morning(12), madrid());
  const int64_t due = utc("2026-01-10T07:00:00Z");  // 08:00 CET
  CHECK(e.tick(due).size() == 1);
  CHECK(e.tick(due + 299).empty());
  auto a = e.tick(due + 300);
  REQUIRE(a.size() == 1);
  CHECK(a[0].kind == AlarmAction::Ring);
  CHECK(a[0].cycle.ring == 2);
  // An ack does not stop the repeats while the dose is not taken.
  CHECK(e.input(Input::ButtonPress, DoseBy::SecondPress, due + 400).size() == 1);
  a = e.tick(due + 600);
  REQUIRE(a.size() == 1);
  CHECK(a[0].cycle.ring == 3);
  a = e.tick(due + 12 * 60);
  REQUIRE(a.size() == 1);
  CHECK(a[0].kind == AlarmAction::GiveUp);
  CHECK_FALSE(e.led());
  CHECK(e.tick(due + 3600).empty());
}

TEST_CASE("alarm: compartment mode takes the dose only from the compartment") {
  fakes::MemKv kv;
  AlarmEngine e(kv);
  e.setSchedule(morning(), madrid());
  const int64_t due = utc("2026-01-10T07:00:00Z");
  e.tick(due);
  CHECK(e.input(Input::ButtonPress, DoseBy::Compartment, due + 5)[0].kind == AlarmAction::Ack);
  CHECK(e.input(Input::ButtonPress, DoseBy::Compartment, due + 6).empty());
  auto a = e.input(Input::CompartmentOpen, DoseBy::Compartment, due + 7);
  REQUIRE(a.size() == 1);
  CHECK(a[0].kind == AlarmAction::Taken);
}

TEST_CASE("alarm: inputs with nothing ringing do nothing; weekday mask is honoured") {
  fakes::MemKv kv;
  AlarmEngine e(kv);
  e.setSchedule(morning(30, 1u << 1), madrid());  // Mondays only
  CHECK(e.input(Input::ButtonPress, DoseBy::SecondPress, utc("2026-01-10T07:00:00Z")).empty());
  CHECK(e.tick(utc("2026-01-10T07:00:00Z")).empty());        // a Saturday
  CHECK(e.tick(utc("2026-01-12T07:00:00Z")).size() == 1);  // a Monday
}

TEST_CASE("alarm: a reboot resumes the open cycle and never rings a handled dose again") {
  fakes::MemKv kv;
  const int64_t due = utc("2026-01-10T07:00:00Z");
  {
    AlarmEngine e(kv);
    e.setSchedule(morning(), madrid());
    CHECK(e.tick(due + 10).size() == 1);
    e.input(Input::ButtonPress, DoseBy::SecondPress, due + 20);
  }
  AlarmEngine again(kv);
  again.load();
  again.setSchedule(morning(), madrid());
  CHECK(again.tick(due + 30).empty());  // no second "first ring"
  REQUIRE(again.open().size() == 1);
  CHECK(again.open()[0].acked);
  auto a = again.input(Input::ButtonPress, DoseBy::SecondPress, due + 40);
  REQUIRE(a.size() == 1);
  CHECK(a[0].kind == AlarmAction::Taken);
  AlarmEngine third(kv);
  third.load();
  third.setSchedule(morning(), madrid());
  CHECK(third.tick(due + 50).empty());
  CHECK(third.open().empty());
}

TEST_CASE("alarm: a window that passed while the device was off is skipped silently") {
  fakes::MemKv kv;
  AlarmEngine e(kv);
  e.setSchedule(morning(30), madrid());
  const int64_t due = utc("2026-01-10T07:00:00Z");
  CHECK(e.tick(due + 31 * 60).empty());
  CHECK(e.tick(due + 32 * 60).empty());
  CHECK(e.open().empty());
  // Turned on inside the window: rings late, on the repeat grid afterwards.
  fakes::MemKv kv2;
  AlarmEngine late(kv2);
  late.setSchedule(morning(30), madrid());
  auto a = late.tick(due + 7 * 60);
  REQUIRE(a.size() == 1);
  CHECK(late.tick(due + 9 * 60).empty());
  CHECK(late.tick(due + 10 * 60).size() == 1);
}

TEST_CASE("alarm: a window past midnight still closes the day before's dose") {
  fakes::MemKv kv;
  AlarmEngine e(kv);
  Schedule s;
  s.present = true;
  s.alarms.push_back({5, "Noche", 23, 50, 0x7F, 30});
  PosixTz utc0;
  REQUIRE(parsePosixTz("UTC0", utc0));
  e.setSchedule(s, utc0);
  CHECK(e.tick(utc("2026-01-10T23:50:00Z")).size() == 1);
  CHECK(e.tick(utc("2026-01-11T00:05:00Z")).size() == 1);  // repeat after midnight
  auto a = e.tick(utc("2026-01-11T00:20:00Z"));
  REQUIRE(a.size() == 1);
  CHECK(a[0].kind == AlarmAction::GiveUp);
}
