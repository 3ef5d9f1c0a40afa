// MD5 (RFC 1321) for the host Updater's x-MD5 check, as Arduino's Update does with MD5Builder.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace pastillero {
namespace host {

class Md5 {
 public:
  Md5();
  void update(const uint8_t* data, size_t len);
  std::string hex();  // finishes; lower-case 32 hex digits

 private:
  void block(const uint8_t* p);
  uint32_t h_[4];
  uint64_t bytes_ = 0;
  uint8_t buf_[64];
  size_t used_ = 0;
};

}  // namespace host
}  // namespace pastillero
