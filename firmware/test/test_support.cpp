#include "fakes.h"
#include "md5.h"

namespace fakes {

std::string md5Hex(const std::string& bytes) {
  pastillero::host::Md5 m;
  m.update(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  return m.hex();
}

std::string makeImage(const std::string& version, size_t size) {
  std::string img(size, '\0');
  img[0] = static_cast<char>(0xE9);
  img[1] = 4;
  const unsigned char magic[] = {0x32, 0x54, 0xCD, 0xAB};
  for (int i = 0; i < 4; i++) img[0x20 + i] = static_cast<char>(magic[i]);
  img.replace(0x30, version.size(), version);
  for (size_t i = 0x100; i < size; i++) img[i] = static_cast<char>(i * 7);
  return img;
}

bool FakeUpdater::end(const std::string& md5) {
  if (!began) return false;
  began = false;
  if (writing.size() != expect) return error = "size mismatch", false;
  if (writing.empty() || static_cast<uint8_t>(writing[0]) != 0xE9) return error = "bad magic byte", false;
  if (md5Hex(writing) != md5) return error = "md5 mismatch", false;
  const int target = boot == 0 ? 1 : 0;
  slot[target] = writing;
  prev = boot;
  boot = target;
  pending = true;
  return true;
}

}  // namespace fakes
