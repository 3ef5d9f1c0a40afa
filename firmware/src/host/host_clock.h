// Clock for the virtual dispenser: the real clock, or a virtual one that starts at --start and
// runs at real speed, moved forward by `advance` (which moves the monotonic clock too, as if the
// time had passed). The virtual clock survives restarts: its offset from the real clock is kept
// in the state dir (with the --start it came from), so a reboot does not turn time back.
#pragma once

#include <string>

#include "pastillero/ports.h"

namespace pastillero {
namespace host {

class HostClock : public Clock {
 public:
  // startEpochMs < 0: the real clock. stateFile: where the virtual offset is kept ("" = nowhere).
  HostClock(int64_t startEpochMs, const std::string& stateFile);
  int64_t epochMs() override;
  uint64_t monotonicMs() override;
  bool timeValid() override { return true; }
  void setEpochMs(int64_t) override {}  // the host clock is always set
  bool virtualTime() const { return virtual_; }
  void advance(int64_t ms);

 private:
  void save();
  bool virtual_;
  int64_t start_ = 0;
  int64_t offsetMs_ = 0;  // virtual minus real
  int64_t advancedMs_ = 0;
  int64_t bootMono_;
  std::string stateFile_;
};

}  // namespace host
}  // namespace pastillero
