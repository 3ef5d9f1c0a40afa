// HttpClient port on Arduino-ESP32's HTTPClient. One connection per request (setReuse(false)):
// the core talks to the server every 30-60 s, and a kept-alive socket that the server closed in
// between only costs a failed first attempt.
#include <HTTPClient.h>
#include <WiFi.h>

#include <algorithm>

#include "adapters.h"

namespace pastillero {
namespace esp32 {
namespace {

// HTTPClient keeps only the response headers it was asked for. These are the ones the core
// reads (OTA: size, MD5, file name) plus a few that help when logging a failure.
const char* kCollect[] = {"Content-Type", "Content-Length", "Content-Disposition", "x-MD5",
                          "x-SHA256",     "Retry-After",    "Location"};
constexpr size_t kCollectCount = sizeof(kCollect) / sizeof(kCollect[0]);

// Answers of the device API are small JSON documents; anything bigger is not for us.
constexpr int kMaxBody = 32 * 1024;

bool startsWithNoCase(const std::string& s, const char* prefix) {
  const size_t n = strlen(prefix);
  return s.size() >= n && strncasecmp(s.c_str(), prefix, n) == 0;
}

// Shared setup of one HTTPClient for `req`. False (with `error`) when the URL is unusable.
bool prepare(HTTPClient& http, WiFiClient& client, const HttpRequest& req, std::string& error) {
  if (startsWithNoCase(req.url, "https://")) {
    // The device API is plain http on the LAN; TLS would need a CA to trust, which a family's
    // server does not have.
    error = "https not supported";
    return false;
  }
  if (!http.begin(client, String(req.url.c_str()))) {
    error = "bad url";
    return false;
  }
  http.setReuse(false);
  http.setFollowRedirects(HTTPC_DISABLE_FOLLOW_REDIRECTS);
  const uint32_t timeout = std::max<uint32_t>(req.timeoutMs, 1000);
  http.setConnectTimeout(static_cast<int32_t>(std::min<uint32_t>(timeout, 10000)));
  // setTimeout() is the per-read timeout (uint16_t ms); the whole-request budget is enforced
  // by the callers' loops where it matters (download()).
  http.setTimeout(static_cast<uint16_t>(std::min<uint32_t>(timeout, 65000)));
  for (const HttpHeader& h : req.headers) {
    if (strcasecmp(h.name.c_str(), "User-Agent") == 0) {
      http.setUserAgent(String(h.value.c_str()));  // addHeader() refuses User-Agent
    } else {
      http.addHeader(String(h.name.c_str()), String(h.value.c_str()));
    }
  }
  http.collectHeaders(kCollect, kCollectCount);
  return true;
}

int send(HTTPClient& http, const HttpRequest& req) {
  uint8_t* body = req.body.empty() ? nullptr : reinterpret_cast<uint8_t*>(const_cast<char*>(req.body.data()));
  return http.sendRequest(req.method.c_str(), body, req.body.size());
}

void copyHeaders(HTTPClient& http, HttpResponse& resp) {
  for (size_t i = 0; i < kCollectCount; i++) {
    if (http.hasHeader(kCollect[i])) {
      resp.headers.push_back({kCollect[i], std::string(http.header(kCollect[i]).c_str())});
    }
  }
  // HTTPClient parses Content-Length for itself; make sure the core sees it either way.
  if (resp.header("Content-Length").empty() && http.getSize() >= 0) {
    resp.headers.push_back({"Content-Length", std::to_string(http.getSize())});
  }
}

}  // namespace

HttpResponse Esp32Http::request(const HttpRequest& req) {
  HttpResponse resp;
  if (WiFi.status() != WL_CONNECTED) {
    resp.error = "wifi down";
    return resp;
  }
  WiFiClient client;
  HTTPClient http;
  if (!prepare(http, client, req, resp.error)) return resp;
  const int code = send(http, req);
  if (code <= 0) {
    resp.error = HTTPClient::errorToString(code).c_str();
    http.end();
    return resp;
  }
  resp.status = code;
  copyHeaders(http, resp);
  const int size = http.getSize();
  if (size > kMaxBody) {
    resp.error = "response too large";
  } else {
    const String body = http.getString();
    resp.body.assign(body.c_str(), body.length());
  }
  http.end();
  return resp;
}

HttpResponse Esp32Http::download(const HttpRequest& req, const HeadFn& onHead, const ChunkFn& onChunk) {
  HttpResponse resp;
  if (WiFi.status() != WL_CONNECTED) {
    resp.error = "wifi down";
    return resp;
  }
  const uint32_t started = millis();
  WiFiClient client;
  HTTPClient http;
  if (!prepare(http, client, req, resp.error)) return resp;
  // HTTP/1.0 as HTTPUpdate does: no chunked transfer, the body ends with the connection and its
  // size comes from Content-Length.
  http.useHTTP10(true);
  const int code = send(http, req);
  if (code <= 0) {
    resp.error = HTTPClient::errorToString(code).c_str();
    http.end();
    return resp;
  }
  resp.status = code;
  copyHeaders(http, resp);
  if (!onHead(resp)) {
    resp.error = "aborted";
    http.end();
    return resp;
  }

  WiFiClient* stream = http.getStreamPtr();
  int remaining = http.getSize();  // -1 when the server sent no Content-Length
  static uint8_t buf[1460];        // one TCP segment; static keeps it off the loop task's stack
  while (remaining != 0) {
    if (millis() - started > req.timeoutMs) {
      resp.error = "timeout";
      break;
    }
    const int avail = stream ? stream->available() : 0;
    if (avail <= 0) {
      if (!http.connected()) {
        if (remaining > 0) resp.error = "connection closed early";
        break;
      }
      delay(2);
      continue;
    }
    size_t want = std::min<size_t>(static_cast<size_t>(avail), sizeof(buf));
    if (remaining > 0) want = std::min<size_t>(want, static_cast<size_t>(remaining));
    const int n = stream->read(buf, want);
    if (n <= 0) continue;
    if (!onChunk(buf, static_cast<size_t>(n))) {
      resp.error = "aborted";
      break;
    }
    if (remaining > 0) remaining -= n;
  }
  http.end();
  return resp;
}

}  // namespace esp32
}  // namespace pastillero
