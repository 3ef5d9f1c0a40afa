// KeyValueStore port on Preferences (NVS). Preferences commits after every put, so a put that
// returned true survives a power cut, as the port requires.
#include <Preferences.h>
#include <nvs.h>

#include <cstring>

#include "adapters.h"

namespace pastillero {
namespace esp32 {
namespace {

// NVS's own limit (NVS_KEY_NAME_MAX_SIZE - 1) for namespaces and keys. Longer names are refused,
// not truncated: two long keys sharing 15 characters would silently overwrite each other.
bool validName(const char* s) {
  if (s == nullptr) return false;
  const size_t n = strlen(s);
  return n >= 1 && n <= 15;
}

// Opened read-write even for reads: a read-only open of a namespace that does not exist yet
// fails with an error line on the console at every boot, while a read-write open just creates it.
class Open {
 public:
  explicit Open(const char* ns) : ok_(validName(ns) && prefs_.begin(ns, false)) {}
  ~Open() {
    if (ok_) prefs_.end();
  }
  bool ok() const { return ok_; }
  Preferences* operator->() { return &prefs_; }

 private:
  Preferences prefs_;
  bool ok_;
};

}  // namespace

bool Esp32Store::getString(const char* ns, const char* key, std::string& out) {
  if (!validName(key)) return false;
  Open p(ns);
  if (!p.ok() || !p->isKey(key) || p->getType(key) != PT_STR) return false;
  const String v = p->getString(key);
  out.assign(v.c_str(), v.length());
  return true;
}

bool Esp32Store::putString(const char* ns, const char* key, const std::string& value) {
  if (!validName(key) || value.size() > 4000) return false;
  Open p(ns);
  if (!p.ok()) return false;
  // A key's type is fixed in NVS: drop a value of another type first.
  if (p->isKey(key) && p->getType(key) != PT_STR) p->remove(key);
  const size_t n = p->putString(key, value.c_str());
  if (value.empty()) {
    // putString() reports strlen() = 0 for "" even on success: check what was stored.
    return p->isKey(key) && p->getString(key).length() == 0;
  }
  return n == value.size();
}

bool Esp32Store::getU32(const char* ns, const char* key, uint32_t& out) {
  if (!validName(key)) return false;
  Open p(ns);
  if (!p.ok() || !p->isKey(key) || p->getType(key) != PT_U32) return false;
  out = p->getUInt(key);
  return true;
}

bool Esp32Store::putU32(const char* ns, const char* key, uint32_t value) {
  if (!validName(key)) return false;
  Open p(ns);
  if (!p.ok()) return false;
  if (p->isKey(key) && p->getType(key) != PT_U32) p->remove(key);
  return p->putUInt(key, value) == sizeof(uint32_t);
}

bool Esp32Store::getBlob(const char* ns, const char* key, std::vector<uint8_t>& out) {
  if (!validName(key)) return false;
  Open p(ns);
  if (!p.ok() || !p->isKey(key) || p->getType(key) != PT_BLOB) return false;
  const size_t len = p->getBytesLength(key);
  out.resize(len);
  return len == 0 || p->getBytes(key, out.data(), len) == len;
}

bool Esp32Store::putBlob(const char* ns, const char* key, const uint8_t* data, size_t len) {
  if (!validName(key) || len > 4000) return false;
  if (len == 0) {
    // Preferences::putBytes() refuses empty values; NVS itself stores them.
    if (!validName(ns)) return false;
    nvs_handle_t h;
    if (nvs_open(ns, NVS_READWRITE, &h) != ESP_OK) return false;
    nvs_erase_key(h, key);  // a key of another type would make the set fail
    const bool ok = nvs_set_blob(h, key, "", 0) == ESP_OK && nvs_commit(h) == ESP_OK;
    nvs_close(h);
    return ok;
  }
  Open p(ns);
  if (!p.ok()) return false;
  if (p->isKey(key) && p->getType(key) != PT_BLOB) p->remove(key);
  return p->putBytes(key, data, len) == len;
}

bool Esp32Store::erase(const char* ns, const char* key) {
  if (!validName(key)) return false;
  Open p(ns);
  if (!p.ok()) return false;
  if (!p->isKey(key)) return true;  // erasing a missing key succeeds (port contract)
  return p->remove(key);
}

bool Esp32Store::eraseNamespace(const char* ns) {
  Open p(ns);
  return p.ok() && p->clear();
}

}  // namespace esp32
}  // namespace pastillero
