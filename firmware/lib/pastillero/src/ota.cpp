#include "pastillero/ota.h"

#include <cctype>
#include <cstdlib>

namespace pastillero {

namespace {
const char* kNs = "ota";
constexpr size_t kDescVersionAt = 0x30, kDescVersionLen = 32;

bool isHex32(const std::string& s) {
  if (s.size() != 32) return false;
  for (char c : s)
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  return true;
}
}  // namespace

std::string versionFromDisposition(const std::string& header) {
  const size_t at = header.find("filename=");
  if (at == std::string::npos) return "";
  std::string name = header.substr(at + 9);
  if (!name.empty() && name[0] == '"') {
    name = name.substr(1);
    const size_t q = name.find('"');
    if (q != std::string::npos) name = name.substr(0, q);
  }
  const std::string prefix = "pastillero-", suffix = ".bin";
  if (name.compare(0, prefix.size(), prefix) == 0) name = name.substr(prefix.size());
  if (name.size() > suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0)
    name = name.substr(0, name.size() - suffix.size());
  return name;
}

std::string versionFromImage(const uint8_t* image, size_t len) {
  if (len < kDescVersionAt + kDescVersionLen) return "";
  std::string v;
  for (size_t i = 0; i < kDescVersionLen; i++) {
    const char c = static_cast<char>(image[kDescVersionAt + i]);
    if (c == '\0') break;
    if (!std::isprint(static_cast<unsigned char>(c))) return "";
    v += c;
  }
  return v;
}

OtaResult OtaFlow::check(const std::string& url, const std::string& deviceId,
                         const std::string& runningVersion, const HttpHeaders& auth,
                         const std::function<void(const std::string&)>& onStart) {
  HttpRequest req;
  req.method = "GET";
  req.url = url;
  req.timeoutMs = 120000;
  req.headers = {
      {"User-Agent", "ESP32-http-Update"},
      {"x-ESP32-STA-MAC", deviceId},
      {"x-ESP32-free-space", std::to_string(updater_.freeSpace())},
      {"x-ESP32-sketch-size", std::to_string(updater_.sketchSize())},
      {"x-ESP32-chip-size", std::to_string(updater_.chipSize())},
      {"x-ESP32-mode", "sketch"},
      {"x-ESP32-version", runningVersion},
  };
  const std::string md5 = updater_.sketchMd5();
  if (!md5.empty()) req.headers.push_back({"x-ESP32-sketch-md5", md5});
  for (const auto& h : auth) req.headers.push_back(h);

  OtaResult result;
  std::string expectedMd5;
  bool began = false, writeFailed = false;
  std::string head;  // the image's first bytes, for the app descriptor's version
  size_t received = 0;

  auto onHead = [&](const HttpResponse& r) {
    result.status = r.status;
    if (r.status == 304 || r.status == 204) {
      result.kind = OtaResult::NoUpdate;
      return false;
    }
    if (r.status != 200) {
      result.kind = OtaResult::Refused;
      result.error = "http " + std::to_string(r.status);
      return false;
    }
    result.version = versionFromDisposition(r.header("Content-Disposition"));
    result.kind = OtaResult::Failed;
    const long long size = std::atoll(r.header("Content-Length").c_str());
    expectedMd5 = r.header("x-MD5");
    result.started = true;
    if (onStart) onStart(result.version);
    if (size <= 0) {
      result.error = "no content length";
      return false;
    }
    if (!isHex32(expectedMd5)) {
      result.error = "bad x-MD5 header";
      return false;
    }
    if (static_cast<unsigned long long>(size) > updater_.freeSpace() ||
        !updater_.begin(static_cast<size_t>(size))) {
      result.error = "image does not fit";
      return false;
    }
    began = true;
    return true;
  };
  auto onChunk = [&](const uint8_t* data, size_t len) {
    if (received == 0 && len > 0 && data[0] != 0xE9) {
      result.error = "bad magic byte";
      return false;
    }
    if (head.size() < 0x50) head.append(reinterpret_cast<const char*>(data), len < 0x50 ? len : 0x50);
    received += len;
    if (updater_.write(data, len) != len) {
      writeFailed = true;
      result.error = "write failed: " + updater_.lastError();
      return false;
    }
    return true;
  };

  const HttpResponse r = http_.download(req, onHead, onChunk);
  if (!result.started) {
    if (result.kind == OtaResult::Unreachable) result.error = r.error.empty() ? "no answer" : r.error;
    return result;
  }
  if (!began || !result.error.empty() || writeFailed ||
      (!r.error.empty() && r.error != "aborted") || r.status != 200) {
    if (began) updater_.abort();
    if (result.error.empty()) result.error = r.error.empty() ? "download failed" : r.error;
    result.kind = OtaResult::Failed;
    return result;
  }
  if (!updater_.end(expectedMd5)) {
    result.kind = OtaResult::Failed;
    result.error = updater_.lastError();
    return result;
  }
  const std::string imageVersion =
      versionFromImage(reinterpret_cast<const uint8_t*>(head.data()), head.size());
  if (!imageVersion.empty()) result.version = imageVersion;
  kv_.putString(kNs, "pend", result.version.empty() ? "?" : result.version);
  kv_.putU32(kNs, "tries", 0);
  pendingVersion_ = result.version;
  result.kind = OtaResult::Installed;
  return result;
}

OtaBoot OtaFlow::atBoot(std::string& version) {
  std::string pend, rb;
  kv_.getString(kNs, "pend", pend);
  if (updater_.runningPendingVerify()) {
    uint32_t tries = 0;
    kv_.getU32(kNs, "tries", tries);
    tries++;
    kv_.putU32(kNs, "tries", tries);
    version = updater_.runningVersion();
    if (version.empty()) version = pend;
    pendingVersion_ = version.empty() ? "?" : version;
    return tries > kMaxUnconfirmedBoots ? OtaBoot::RollbackNow : OtaBoot::Pending;
  }
  if (kv_.getString(kNs, "rb", rb) && !rb.empty()) {
    kv_.erase(kNs, "rb");
    kv_.erase(kNs, "pend");
    version = rb;
    return OtaBoot::RolledBack;
  }
  if (!pend.empty()) {
    // Recorded as installed but not running in pending-verify: the bootloader rolled it back
    // (ESP-IDF does so at the first reset of an unconfirmed image), unless it is running.
    kv_.erase(kNs, "pend");
    if (updater_.runningVersion() != pend) {
      version = pend;
      return OtaBoot::RolledBack;
    }
  }
  return OtaBoot::Normal;
}

bool OtaFlow::confirm() {
  if (pendingVersion_.empty()) return false;
  if (!updater_.markValid()) return false;
  kv_.erase(kNs, "pend");
  kv_.erase(kNs, "tries");
  pendingVersion_.clear();
  return true;
}

void OtaFlow::noteRollback(const std::string& version) {
  kv_.putString(kNs, "rb", version);
  kv_.erase(kNs, "pend");
  kv_.erase(kNs, "tries");
  pendingVersion_.clear();
}

}  // namespace pastillero
