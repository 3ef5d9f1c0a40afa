// KeyValueStore on files: DIR/nvs/<namespace>/<key>, one file per key, so a test (or a person)
// can look at the dispenser's "NVS" with ls and cat. Every put is atomic and durable: write a
// temp file, fsync it, rename it over the key, fsync the directory.
#pragma once

#include <string>

#include "pastillero/ports.h"

namespace pastillero {
namespace host {

class FileKeyValueStore : public KeyValueStore {
 public:
  explicit FileKeyValueStore(const std::string& dir);
  bool getString(const char* ns, const char* key, std::string& out) override;
  bool putString(const char* ns, const char* key, const std::string& value) override;
  bool getU32(const char* ns, const char* key, uint32_t& out) override;
  bool putU32(const char* ns, const char* key, uint32_t value) override;
  bool getBlob(const char* ns, const char* key, std::vector<uint8_t>& out) override;
  bool putBlob(const char* ns, const char* key, const uint8_t* data, size_t len) override;
  bool erase(const char* ns, const char* key) override;
  bool eraseNamespace(const char* ns) override;

 private:
  bool valid(const char* name) const;
  std::string path(const char* ns, const char* key) const;
  bool read(const char* ns, const char* key, std::string& out);
  bool write(const char* ns, const char* key, const std::string& bytes);
  std::string root_;
};

// Atomic file replacement used by the store and the updater's state file.
bool writeFileAtomic(const std::string& path, const std::string& bytes);
bool readFile(const std::string& path, std::string& out);
bool makeDirs(const std::string& path);

}  // namespace host
}  // namespace pastillero
