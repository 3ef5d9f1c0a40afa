// Updater on files, shaped like the ESP32's two OTA slots: DIR/flash/slot_a.bin and slot_b.bin,
// plus DIR/flash/state ("boot=<a|b|factory> prev=<a|b|factory> pending=<0|1>", replaced
// atomically, so a power cut leaves either the old or the new choice). "factory" is the image the
// program was started as (its version is --version). A new image goes to the slot not booted;
// end() checks size, the 0xE9 magic byte and the MD5 before the state switches to it.
#pragma once

#include <cstdio>
#include <string>

#include "md5.h"
#include "pastillero/ports.h"

namespace pastillero {
namespace host {

class FileUpdater : public Updater {
 public:
  static constexpr uint32_t kSlotSize = 0x140000;  // Arduino's default partition table: 1.25 MB

  explicit FileUpdater(const std::string& stateDir);
  ~FileUpdater() override;
  bool begin(size_t size) override;
  size_t write(const uint8_t* data, size_t len) override;
  bool end(const std::string& md5Hex) override;
  void abort() override;
  std::string lastError() override { return error_; }
  std::string runningVersion() override { return runningVersion_; }
  bool runningPendingVerify() override { return bootedPending_ && state_.pending; }
  bool markValid() override;
  bool rollback() override;
  uint32_t sketchSize() override;
  uint32_t freeSpace() override { return kSlotSize; }
  uint32_t chipSize() override { return 4 * 1024 * 1024; }
  std::string sketchMd5() override { return runningMd5_; }

 private:
  struct State {
    std::string boot = "factory", prev = "factory";
    bool pending = false;
  };
  bool saveState(const State& s);
  std::string slotPath(const std::string& slot) const { return dir_ + "/slot_" + slot + ".bin"; }

  std::string dir_;
  State state_;
  bool bootedPending_ = false;
  std::string runningVersion_, runningMd5_;
  uint32_t runningSize_ = 0;
  // The write in progress.
  FILE* out_ = nullptr;
  std::string target_;
  size_t expected_ = 0, written_ = 0;
  uint8_t first_ = 0;
  Md5 md5_;
  std::string error_;
};

}  // namespace host
}  // namespace pastillero
