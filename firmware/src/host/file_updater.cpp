#include "file_updater.h"

#include <unistd.h>

#include <cctype>
#include <sstream>

#include "file_kv.h"
#include "pastillero/ota.h"

namespace pastillero {
namespace host {

FileUpdater::FileUpdater(const std::string& stateDir) : dir_(stateDir + "/flash") {
  makeDirs(dir_);
  std::string text;
  if (readFile(dir_ + "/state", text)) {
    std::istringstream in(text);
    std::string word;
    while (in >> word) {
      if (word.compare(0, 5, "boot=") == 0) state_.boot = word.substr(5);
      else if (word.compare(0, 5, "prev=") == 0) state_.prev = word.substr(5);
      else if (word == "pending=1") state_.pending = true;
    }
  }
  bootedPending_ = state_.pending;
  if (state_.boot != "factory") {
    std::string image;
    if (readFile(slotPath(state_.boot), image)) {
      runningVersion_ = versionFromImage(reinterpret_cast<const uint8_t*>(image.data()), image.size());
      Md5 m;
      m.update(reinterpret_cast<const uint8_t*>(image.data()), image.size());
      runningMd5_ = m.hex();
      runningSize_ = static_cast<uint32_t>(image.size());
    }
  }
}

FileUpdater::~FileUpdater() { abort(); }

bool FileUpdater::saveState(const State& s) {
  if (!writeFileAtomic(dir_ + "/state", "boot=" + s.boot + " prev=" + s.prev +
                                             " pending=" + (s.pending ? "1" : "0") + "\n"))
    return false;
  state_ = s;
  return true;
}

uint32_t FileUpdater::sketchSize() { return runningSize_ ? runningSize_ : 917504; }

bool FileUpdater::begin(size_t size) {
  abort();
  error_.clear();
  if (size == 0 || size > kSlotSize) {
    error_ = "image does not fit";
    return false;
  }
  target_ = state_.boot == "a" ? "b" : "a";
  out_ = fopen((slotPath(target_) + ".part").c_str(), "wb");
  if (!out_) {
    error_ = "cannot open slot";
    return false;
  }
  expected_ = size;
  written_ = 0;
  md5_ = Md5();
  return true;
}

size_t FileUpdater::write(const uint8_t* data, size_t len) {
  if (!out_) return 0;
  if (written_ + len > expected_) {
    error_ = "more data than announced";
    return 0;
  }
  if (written_ == 0 && len > 0) first_ = data[0];
  const size_t n = fwrite(data, 1, len, out_);
  md5_.update(data, n);
  written_ += n;
  if (n != len) error_ = "write error";
  return n;
}

bool FileUpdater::end(const std::string& md5Hex) {
  if (!out_) {
    error_ = "not started";
    return false;
  }
  const bool flushed = fflush(out_) == 0 && fsync(fileno(out_)) == 0;
  fclose(out_);
  out_ = nullptr;
  const std::string part = slotPath(target_) + ".part";
  std::string expected = md5Hex;
  for (auto& c : expected) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (!flushed) error_ = "write error";
  else if (written_ != expected_) error_ = "size mismatch";
  else if (first_ != 0xE9) error_ = "bad magic byte";
  else if (!expected.empty() && md5_.hex() != expected) error_ = "md5 mismatch";
  if (!error_.empty()) {
    unlink(part.c_str());
    return false;
  }
  if (rename(part.c_str(), slotPath(target_).c_str()) != 0) {
    error_ = "cannot install";
    return false;
  }
  State next;
  next.boot = target_;
  next.prev = state_.boot;
  next.pending = true;
  if (!saveState(next)) {
    error_ = "cannot switch slots";
    return false;
  }
  return true;
}

void FileUpdater::abort() {
  if (!out_) return;
  fclose(out_);
  out_ = nullptr;
  unlink((slotPath(target_) + ".part").c_str());
}

bool FileUpdater::markValid() {
  if (!state_.pending) return true;
  State s = state_;
  s.pending = false;
  return saveState(s);
}

bool FileUpdater::rollback() {
  if (state_.prev == state_.boot) return false;
  State s;
  s.boot = state_.prev;
  s.prev = state_.prev;
  s.pending = false;
  return saveState(s);
}

}  // namespace host
}  // namespace pastillero
