// Updater::fetchAndInstall on Arduino's HTTPUpdate: the whole OTA request (GET /api/ota/update
// with HTTPUpdate's x-ESP32-* headers) and the flash write in one call, as Arduino sketches do it.
// The core builds the request; HTTPUpdate adds its own x-ESP32-* figures (from the real chip),
// and the request callback adds the rest of the core's headers (the device's credential).
#include <HTTPUpdate.h>
#include <Update.h>
#include <WiFi.h>

#include <algorithm>

#include "adapters.h"

namespace pastillero {
namespace esp32 {
namespace {

bool isEsp32Header(const std::string& name) { return strncasecmp(name.c_str(), "x-ESP32-", 8) == 0; }

// The core reports these in `ota_fail`; the same words as the streaming path where they overlap.
std::string describe(int err, HTTPUpdate& updater) {
  switch (err) {
    case HTTP_UE_SERVER_FAULTY_MD5:
      return "bad x-MD5 header";
    case HTTP_UE_BIN_VERIFY_HEADER_FAILED:
      return "bad magic byte";
    case HTTP_UE_TOO_LESS_SPACE:
      return "image does not fit";
    case HTTP_UE_SERVER_NOT_REPORT_SIZE:
      return "no content length";
    case HTTP_UE_NO_PARTITION:
      return "no OTA partition";
    case HTTP_UE_SERVER_FORBIDDEN:
      return "http 403";
    case HTTP_UE_SERVER_FILE_NOT_FOUND:
      return "http 404";
    default:
      break;
  }
  if (err > 0) {
    // An error of the Update class, raised while writing or at end().
    if (err == UPDATE_ERROR_MD5) return "md5 mismatch";
    if (err == UPDATE_ERROR_MAGIC_BYTE) return "bad magic byte";
    if (err == UPDATE_ERROR_SPACE) return "image does not fit";
  }
  return updater.getLastErrorString().c_str();
}

}  // namespace

bool Esp32Updater::fetchAndInstall(const HttpRequest& req, const std::function<void()>& onStart,
                                   OtaFetch& out) {
  out = OtaFetch{};
  if (WiFi.status() != WL_CONNECTED) {
    out.error = "wifi down";
    return true;
  }
  std::string version;
  for (const HttpHeader& h : req.headers) {
    if (strcasecmp(h.name.c_str(), "x-ESP32-version") == 0) version = h.value;
  }
  WiFiClient client;
  // The timeout ends up in HTTPClient::setTimeout(uint16_t): keep it in range.
  HTTPUpdate updater(static_cast<int>(std::min<uint32_t>(req.timeoutMs, 65000)));
  updater.rebootOnUpdate(false);  // the core stores its bookkeeping, then restarts
  updater.setFollowRedirects(HTTPC_DISABLE_FOLLOW_REDIRECTS);
  bool started = false;
  updater.onStart([&]() {
    started = true;
    if (onStart) onStart();
  });
  updater.onEnd([]() { Serial.println("# [I] ota: image written and verified"); });
  updater.onError([](int err) { Serial.printf("# [W] ota: HTTPUpdate error %d\n", err); });
  const HTTPUpdateRequestCB addHeaders = [&req](HTTPClient* http) {
    for (const HttpHeader& h : req.headers) {
      if (isEsp32Header(h.name) || strcasecmp(h.name.c_str(), "User-Agent") == 0) continue;
      http->addHeader(String(h.name.c_str()), String(h.value.c_str()));
    }
  };
  const t_httpUpdate_return r =
      updater.update(client, String(req.url.c_str()), String(version.c_str()), addHeaders);
  switch (r) {
    case HTTP_UPDATE_NO_UPDATES:
      out.result = OtaFetch::Result::NoUpdate;
      out.status = 304;
      break;
    case HTTP_UPDATE_OK:
      out.result = OtaFetch::Result::Installed;
      out.status = 200;
      break;
    case HTTP_UPDATE_FAILED: {
      const int err = updater.getLastError();
      if (Update.isRunning()) Update.abort();  // a half-written slot must not block the next try
      // A negative error above -100 is HTTPClient's: no HTTP answer at all.
      out.result = (err < 0 && err > -100 && !started) ? OtaFetch::Result::NoAnswer
                                                       : OtaFetch::Result::Failed;
      out.error = describe(err, updater);
      break;
    }
  }
  return true;
}

}  // namespace esp32
}  // namespace pastillero
