// The ports: the only things the portable core (everything else in lib/pastillero) needs from the
// outside world. Each is a small pure-virtual class so the core builds unchanged for the ESP32
// (Arduino-ESP32 3.x adapters in src/esp32/) and for Linux (src/host/, the "virtual dispenser"),
// and so unit tests can drive it with in-memory fakes.
//
// Rules for adapters:
// - No method may throw. Failures are reported through return values.
// - Calls are made from the core's single loop() thread; no adapter needs to be thread-safe
//   towards the core (an adapter may use its own threads/ISRs internally, e.g. for GPIO).
// - Blocking is allowed (HTTP, mDNS) but must honour the timeout given.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace pastillero {

// ---------------------------------------------------------------------------------------------
// HTTP. ESP32: Arduino HTTPClient over WiFiClient (or WiFiClientSecure for https URLs).
// Host: libcurl.
struct HttpHeader {
  std::string name;
  std::string value;
};
using HttpHeaders = std::vector<HttpHeader>;

struct HttpRequest {
  std::string method = "GET";  // "GET" or "POST"
  std::string url;             // absolute, e.g. "http://192.168.1.10:8000/api/devices/heartbeat"
  HttpHeaders headers;         // sent as given (Content-Type included by the caller when needed)
  std::string body;            // request body; empty for GET
  uint32_t timeoutMs = 10000;  // whole-request timeout (connect + transfer)
};

struct HttpResponse {
  // HTTP status (100..599) or 0 when no HTTP answer arrived (DNS, connect, timeout, reset);
  // then `error` says why in a few words.
  int status = 0;
  std::string error;
  HttpHeaders headers;  // response headers as received (names in any case)
  std::string body;     // empty for download()

  // Case-insensitive header lookup; "" when absent.
  std::string header(const std::string& name) const;
  bool ok() const { return status >= 200 && status < 300; }
};

class HttpClient {
 public:
  virtual ~HttpClient() = default;

  // One request, whole body buffered in the response (answers here are small JSON documents).
  virtual HttpResponse request(const HttpRequest& req) = 0;

  // Streaming GET for OTA images. `onHead` is called once with status + headers (body empty)
  // before any body byte; it returns false to stop (e.g. status 304 or a bad x-MD5 header). Then
  // `onChunk` receives the body in pieces; returning false aborts the transfer. Redirects are not
  // followed (HTTPUpdate semantics). The returned response carries status/headers/error; when
  // a callback aborted, `error` is "aborted".
  using HeadFn = std::function<bool(const HttpResponse& head)>;
  using ChunkFn = std::function<bool(const uint8_t* data, size_t len)>;
  virtual HttpResponse download(const HttpRequest& req, const HeadFn& onHead,
                                const ChunkFn& onChunk) = 0;
};

// ---------------------------------------------------------------------------------------------
// Persistent key/value store with NVS semantics. ESP32: Preferences (NVS). Host: one file per
// key under --state DIR, written atomically (temp file + fsync + rename).
// Namespaces and keys are at most 15 characters ([A-Za-z0-9_]). Strings up to 4000 bytes, blobs
// up to 4000 bytes. A put is durable when it returns true (power cut afterwards loses nothing).
class KeyValueStore {
 public:
  virtual ~KeyValueStore() = default;
  virtual bool getString(const char* ns, const char* key, std::string& out) = 0;
  virtual bool putString(const char* ns, const char* key, const std::string& value) = 0;
  virtual bool getU32(const char* ns, const char* key, uint32_t& out) = 0;
  virtual bool putU32(const char* ns, const char* key, uint32_t value) = 0;
  virtual bool getBlob(const char* ns, const char* key, std::vector<uint8_t>& out) = 0;
  virtual bool putBlob(const char* ns, const char* key, const uint8_t* data, size_t len) = 0;
  // Erasing a key that does not exist succeeds.
  virtual bool erase(const char* ns, const char* key) = 0;
  virtual bool eraseNamespace(const char* ns) = 0;
};

// ---------------------------------------------------------------------------------------------
// Time. ESP32: time()/gettimeofday after SNTP (configTime), millis() for monotonic; time is
// valid once SNTP synced (or setEpochMs was called). Host: the real clock, or a virtual one
// (--start, moved by `advance`, which moves the monotonic clock by the same amount).
class Clock {
 public:
  virtual ~Clock() = default;
  virtual int64_t epochMs() = 0;       // UTC wall clock, milliseconds since 1970
  virtual uint64_t monotonicMs() = 0;  // since boot, never goes backwards
  virtual bool timeValid() = 0;        // false before the first sync: alarms do not ring then
  // Set the wall clock (from the server's `server_time` when no SNTP sync happened yet).
  virtual void setEpochMs(int64_t ms) = 0;
  int64_t epochS() { return epochMs() / 1000; }
};

// ---------------------------------------------------------------------------------------------
// mDNS/DNS-SD discovery. ESP32: ESPmDNS MDNS.queryService(service, proto). Host: a one-shot
// multicast query of its own (224.0.0.251:5353) parsing PTR/SRV/TXT/A answers.
struct DiscoveredService {
  std::string instance;  // "Pastillero._pastillero._tcp.local" (may be empty on ESP32)
  std::string host;      // target host name, e.g. "pc-salon.local"
  std::string address;   // IPv4 dotted quad from the A record; empty when none was received
  uint16_t port = 0;     // from the SRV record
  std::string path;      // TXT "path" (e.g. "/api"); empty when absent
};

class Discovery {
 public:
  virtual ~Discovery() = default;
  // Query `_<service>._<proto>.local` ("pastillero", "tcp"), waiting up to timeoutMs.
  // Returns every instance found (possibly none).
  virtual std::vector<DiscoveredService> query(const char* service, const char* proto,
                                               uint32_t timeoutMs) = 0;
};

// ---------------------------------------------------------------------------------------------
// Firmware image slots. ESP32: Arduino's Update (UpdateClass: begin/write/setMD5/end) plus
// esp_ota_* for the running image's state (requires `verifyRollbackLater()` returning true, so
// the new image stays PENDING_VERIFY until markValid()). Host: files in the state dir
// ("slot_a"/"slot_b" and a small state file); the version is read from the image's
// esp_app_desc_t (32 bytes at offset 0x30).
class Updater {
 public:
  virtual ~Updater() = default;
  // Start writing a new image of `size` bytes into the inactive slot. False when it cannot fit.
  virtual bool begin(size_t size) = 0;
  // Append bytes; returns how many were written (< len means failure).
  virtual size_t write(const uint8_t* data, size_t len) = 0;
  // Finish: checks the byte count, the first byte (0xE9) and the MD5 (32 lower/upper-case hex
  // chars; empty = no check). On success the new image boots next, in pending-verify state.
  // On failure nothing changes and lastError() says why ("md5 mismatch", "bad magic", ...).
  virtual bool end(const std::string& md5Hex) = 0;
  virtual void abort() = 0;
  virtual std::string lastError() = 0;

  // The running image.
  virtual std::string runningVersion() = 0;   // from its app descriptor ("" if unknown)
  virtual bool runningPendingVerify() = 0;    // booted a new image not yet marked valid
  virtual bool markValid() = 0;               // cancel rollback: keep this image
  // Mark the running image invalid and make the previous one boot next. Does not restart; the
  // core then calls Board::restart(). False when there is no previous image.
  virtual bool rollback() = 0;

  // Figures HTTPUpdate sends as request headers.
  virtual uint32_t sketchSize() = 0;   // size of the running image
  virtual uint32_t freeSpace() = 0;    // size available for a new image
  virtual uint32_t chipSize() = 0;     // flash size
  virtual std::string sketchMd5() = 0; // MD5 hex of the running image ("" if unknown)
};

// ---------------------------------------------------------------------------------------------
// Board I/O and system facts. ESP32: GPIO (button, compartment switch, buzzer, LED; pins in
// boards/<board>.h), WiFi (RSSI, IP), ESP.getChipModel(), ESP.getFreeHeap(), esp_reset_reason(),
// ESP.restart(). Host: stdin commands (press/compartment), fixed figures, re-exec on restart.
enum class Input { None, ButtonPress, CompartmentOpen };

class Board {
 public:
  virtual ~Board() = default;
  // Next debounced input since the last call, or Input::None. Never blocks.
  virtual Input pollInput() = 0;
  virtual void setBuzzer(bool on) = 0;
  virtual void setLed(bool on) = 0;

  virtual std::string chipModel() = 0;  // "ESP32", "ESP32-S3", "ESP32-C3", ...
  virtual bool networkUp() = 0;         // Wi-Fi associated and has an address
  virtual std::string ipAddress() = 0;  // "" when unknown
  virtual bool rssi(int& dbm) = 0;      // false when unknown
  virtual uint32_t freeHeap() = 0;
  // Hardware reset cause: "poweron", "software", "panic", "watchdog", "brownout", "deepsleep",
  // "external", "unknown". The core refines "software" into "ota"/"rollback"/"remote" itself.
  virtual std::string resetReason() = 0;
  // Restart the device. State is already flushed by the core. Does not return on a real device;
  // may return in tests (the core then stops doing work until the fake "reboots" it).
  virtual void restart() = 0;
};

// ---------------------------------------------------------------------------------------------
// Output. ESP32: Serial (state lines and log lines). Host: state lines on stdout (the virtual
// dispenser's protocol), logs on stderr.
enum class LogLevel { Debug, Info, Warn, Error };

class EventSink {
 public:
  virtual ~EventSink() = default;
  // One compact JSON object with "t" and "ev" (see VIRTUAL_DISPENSER contract), no newline.
  virtual void stateLine(const std::string& json) = 0;
  virtual void log(LogLevel level, const std::string& message) = 0;
};

}  // namespace pastillero
