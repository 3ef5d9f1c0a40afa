// Clock port: the C library's clock (set by SNTP, or by the core from the server's answer) and
// esp_timer for a monotonic 64-bit millisecond count (millis() is 32-bit and wraps after 49 days).
#include <esp_timer.h>
#include <sys/time.h>
#include <time.h>

#include "adapters.h"

namespace pastillero {
namespace esp32 {
namespace {
// Any time before this was not set by anyone: the RTC starts at 1970 on power-up. (It keeps
// running across a software restart, so a clock synced before a reboot stays valid.)
constexpr time_t kPlausible = 1704067200;  // 2024-01-01T00:00:00Z
bool manuallySet = false;
}  // namespace

void Esp32Clock::begin() {
  // UTC on purpose: the core evaluates the family's POSIX TZ itself (lib/pastillero tz.h), the
  // same way on the ESP32 and on the host.
  configTzTime("UTC0", "pool.ntp.org", "time.google.com", "time.cloudflare.com");
}

int64_t Esp32Clock::epochMs() {
  struct timeval tv;
  gettimeofday(&tv, nullptr);
  return static_cast<int64_t>(tv.tv_sec) * 1000 + tv.tv_usec / 1000;
}

uint64_t Esp32Clock::monotonicMs() { return static_cast<uint64_t>(esp_timer_get_time() / 1000); }

bool Esp32Clock::timeValid() { return manuallySet || time(nullptr) >= kPlausible; }

void Esp32Clock::setEpochMs(int64_t ms) {
  struct timeval tv;
  tv.tv_sec = static_cast<time_t>(ms / 1000);
  tv.tv_usec = static_cast<suseconds_t>((ms % 1000) * 1000);
  if (settimeofday(&tv, nullptr) == 0) manuallySet = true;
}

}  // namespace esp32
}  // namespace pastillero
