// The alarm cycle, driven by the wall clock and the board's inputs only, so it runs the same
// with or without a network:
//   due (scheduled local time reached) -> ringing (alarm_triggered)
//   press -> acked (alarm_ack)
//   second press (DoseBy::SecondPress) or compartment open -> taken (dose_taken), cycle ends
//   not taken: rings again every repeat interval while the alarm's window is open
//   window over, not taken -> given_up (no event: the server judges the dose missed)
// Several alarms may be due at once; an input applies to the oldest open cycle.
//
// Persistence (namespace "alarm"): "last<id>" = the scheduled UTC second of the last occurrence
// of alarm <id> that was started or skipped, so a reboot never rings a handled dose again; "open"
// = the open cycles, so a reboot mid-cycle resumes it. Occurrences whose window passed while the
// device was off (or the clock jumped) are skipped silently.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "pastillero/ports.h"
#include "pastillero/protocol.h"
#include "pastillero/tz.h"

namespace pastillero {

enum class DoseBy;

struct AlarmCycle {
  int64_t alarmId = 0;
  std::string label;
  int64_t scheduledUtc = 0;  // when the dose is due
  int64_t localWall = 0;     // the same instant as a local epoch (for the "local" field)
  int64_t endUtc = 0;        // end of the window
  int ring = 0;              // rings so far
  int64_t nextRingUtc = 0;
  bool acked = false;
};

struct AlarmAction {
  enum Kind { Ring, Ack, Taken, GiveUp } kind;
  AlarmCycle cycle;
};

class AlarmEngine {
 public:
  static constexpr int64_t kBuzzS = 60;  // each ring sounds at most this long (until acked)

  AlarmEngine(KeyValueStore& kv, int64_t repeatS = 300) : kv_(kv), repeatS_(repeatS) {}
  void load();  // restore open cycles
  void setSchedule(const Schedule& schedule, const PosixTz& tz);

  // Advances to `nowUtc`: starts due cycles, repeats rings, gives up expired ones.
  std::vector<AlarmAction> tick(int64_t nowUtc);
  std::vector<AlarmAction> input(Input in, DoseBy doseBy, int64_t nowUtc);

  bool buzzer(int64_t nowUtc) const;  // some cycle rang less than kBuzzS ago and is not acked
  bool led() const { return !open_.empty(); }
  const std::vector<AlarmCycle>& open() const { return open_; }

 private:
  void save();
  int64_t lastHandled(int64_t alarmId);
  void setLastHandled(int64_t alarmId, int64_t scheduledUtc);

  KeyValueStore& kv_;
  int64_t repeatS_;
  Schedule schedule_;
  PosixTz tz_;
  std::vector<AlarmCycle> open_;
  std::vector<int64_t> lastRing_;  // parallel to open_: when each cycle last rang
};

}  // namespace pastillero
