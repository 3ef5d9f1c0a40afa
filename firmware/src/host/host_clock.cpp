#include "host_clock.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "file_kv.h"

namespace pastillero {
namespace host {

namespace {
int64_t realMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}
int64_t steadyMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}
}  // namespace

HostClock::HostClock(int64_t startEpochMs, const std::string& stateFile)
    : virtual_(startEpochMs >= 0), start_(startEpochMs), bootMono_(steadyMs()), stateFile_(stateFile) {
  if (!virtual_) return;
  offsetMs_ = start_ - realMs();
  std::string text;
  long long savedStart = 0, savedOffset = 0;
  if (!stateFile_.empty() && readFile(stateFile_, text) &&
      sscanf(text.c_str(), "%lld %lld", &savedStart, &savedOffset) == 2 && savedStart == start_)
    offsetMs_ = savedOffset;
  else
    save();
}

int64_t HostClock::epochMs() { return realMs() + offsetMs_; }

uint64_t HostClock::monotonicMs() {
  return static_cast<uint64_t>(steadyMs() - bootMono_ + advancedMs_);
}

void HostClock::advance(int64_t ms) {
  if (!virtual_ || ms <= 0) return;
  offsetMs_ += ms;
  advancedMs_ += ms;
  save();
}

void HostClock::save() {
  if (stateFile_.empty()) return;
  writeFileAtomic(stateFile_, std::to_string(start_) + " " + std::to_string(offsetMs_) + "\n");
}

}  // namespace host
}  // namespace pastillero
