#include "pastillero/alarm.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <sstream>

#include "pastillero/app.h"

namespace pastillero {

namespace {
const char* kNs = "alarm";

std::string lastKey(int64_t id) {
  char key[24];  // NVS keys: at most 15 characters; schedule alarm ids are small
  snprintf(key, sizeof key, "last%lld", static_cast<long long>(id % 1000000000LL));
  return key;
}
}  // namespace

void AlarmEngine::setSchedule(const Schedule& schedule, const PosixTz& tz) {
  schedule_ = schedule;
  tz_ = tz;
}

int64_t AlarmEngine::lastHandled(int64_t alarmId) {
  std::string v;
  return kv_.getString(kNs, lastKey(alarmId).c_str(), v) ? std::strtoll(v.c_str(), nullptr, 10)
                                                         : 0;
}

void AlarmEngine::setLastHandled(int64_t alarmId, int64_t scheduledUtc) {
  kv_.putString(kNs, lastKey(alarmId).c_str(), std::to_string(scheduledUtc));
}

// One open cycle per line: id, scheduled, local, end, ring, next ring, acked, label.
void AlarmEngine::save() {
  std::string out;
  for (const auto& c : open_) {
    out += std::to_string(c.alarmId) + "\t" + std::to_string(c.scheduledUtc) + "\t" +
           std::to_string(c.localWall) + "\t" + std::to_string(c.endUtc) + "\t" +
           std::to_string(c.ring) + "\t" + std::to_string(c.nextRingUtc) + "\t" +
           (c.acked ? "1" : "0") + "\t" + c.label + "\n";
  }
  if (out.empty()) kv_.erase(kNs, "open");
  else kv_.putString(kNs, "open", out);
}

void AlarmEngine::load() {
  open_.clear();
  lastRing_.clear();
  std::string text;
  if (!kv_.getString(kNs, "open", text)) return;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream f(line);
    std::string v[8];
    bool ok = true;
    for (int i = 0; i < 7 && ok; i++) ok = static_cast<bool>(std::getline(f, v[i], '\t'));
    if (!ok) continue;
    std::getline(f, v[7]);
    AlarmCycle c;
    c.alarmId = std::strtoll(v[0].c_str(), nullptr, 10);
    c.scheduledUtc = std::strtoll(v[1].c_str(), nullptr, 10);
    c.localWall = std::strtoll(v[2].c_str(), nullptr, 10);
    c.endUtc = std::strtoll(v[3].c_str(), nullptr, 10);
    c.ring = std::atoi(v[4].c_str());
    c.nextRingUtc = std::strtoll(v[5].c_str(), nullptr, 10);
    c.acked = v[6] == "1";
    c.label = v[7];
    open_.push_back(c);
    lastRing_.push_back(0);  // do not resume buzzing after a reboot; the next repeat will
  }
}

std::vector<AlarmAction> AlarmEngine::tick(int64_t now) {
  std::vector<AlarmAction> actions;
  bool changed = false;

  // 1. Start occurrences that are due. Yesterday's too: a window may run past midnight.
  for (const auto& alarm : schedule_.alarms) {
    const int64_t local = utcToLocal(tz_, now);
    const int64_t todayStart = local - ((local % 86400) + 86400) % 86400;
    int64_t last = -1;
    for (int back = 1; back >= 0; back--) {
      const int64_t dayStart = todayStart - back * 86400;
      const CivilTime day = civilFromEpoch(dayStart);
      if (!(alarm.daysMask & (1u << day.wday))) continue;
      const int64_t wall = dayStart + alarm.hour * 3600 + alarm.minute * 60;
      const int64_t due = localToUtc(tz_, wall);
      if (due > now) continue;
      if (last < 0) last = lastHandled(alarm.id);
      if (due <= last) continue;
      setLastHandled(alarm.id, due);
      last = due;
      const int64_t end = due + static_cast<int64_t>(alarm.windowMin) * 60;
      if (now >= end) continue;  // the whole window passed while we were not looking
      AlarmCycle c;
      c.alarmId = alarm.id;
      c.label = alarm.label;
      c.scheduledUtc = due;
      c.localWall = wall;
      c.endUtc = end;
      c.nextRingUtc = now;
      open_.push_back(c);
      lastRing_.push_back(0);
      changed = true;
    }
  }

  // 2. Ring, repeat, give up.
  for (size_t i = 0; i < open_.size();) {
    AlarmCycle& c = open_[i];
    if (now >= c.endUtc) {
      actions.push_back({AlarmAction::GiveUp, c});
      open_.erase(open_.begin() + static_cast<long>(i));
      lastRing_.erase(lastRing_.begin() + static_cast<long>(i));
      changed = true;
      continue;
    }
    if (now >= c.nextRingUtc) {
      c.ring++;
      // The next ring on the repeat grid after now (late starts do not shift the grid).
      int64_t next = c.scheduledUtc + repeatS_;
      while (next <= now) next += repeatS_;
      c.nextRingUtc = next;
      lastRing_[i] = now;
      actions.push_back({AlarmAction::Ring, c});
      changed = true;
    }
    i++;
  }
  if (changed) save();
  return actions;
}

std::vector<AlarmAction> AlarmEngine::input(Input in, DoseBy doseBy, int64_t now) {
  std::vector<AlarmAction> actions;
  if (in == Input::None || open_.empty()) return actions;
  AlarmCycle& c = open_.front();
  const bool dose = in == Input::CompartmentOpen ||
                    (in == Input::ButtonPress && c.acked && doseBy == DoseBy::SecondPress);
  if (dose) {
    actions.push_back({AlarmAction::Taken, c});
    open_.erase(open_.begin());
    lastRing_.erase(lastRing_.begin());
  } else if (in == Input::ButtonPress && !c.acked) {
    c.acked = true;
    lastRing_.front() = 0;  // silence the buzzer; a repeat ring sounds again
    actions.push_back({AlarmAction::Ack, c});
  } else {
    return actions;
  }
  (void)now;
  save();
  return actions;
}

bool AlarmEngine::buzzer(int64_t now) const {
  for (size_t i = 0; i < open_.size(); i++)
    if (lastRing_[i] && now - lastRing_[i] < kBuzzS) return true;
  return false;
}

}  // namespace pastillero
