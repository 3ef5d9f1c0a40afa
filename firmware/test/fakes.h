// In-memory fakes of the ports for the core's unit tests. (The end-to-end tests run the real
// host adapters against the real server; these only pin the core's rules.)
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "pastillero/app.h"
#include "pastillero/json.h"
#include "pastillero/ota.h"
#include "pastillero/ports.h"

namespace fakes {

using namespace pastillero;

struct MemKv : KeyValueStore {
  std::map<std::string, std::string> data;
  int writes = 0;
  static std::string k(const char* ns, const char* key) { return std::string(ns) + "/" + key; }
  bool getString(const char* ns, const char* key, std::string& out) override {
    auto it = data.find(k(ns, key));
    if (it == data.end()) return false;
    out = it->second;
    return true;
  }
  bool putString(const char* ns, const char* key, const std::string& v) override {
    if (std::string(key).size() > 15 || std::string(ns).size() > 15) return false;
    writes++;
    data[k(ns, key)] = v;
    return true;
  }
  bool getU32(const char* ns, const char* key, uint32_t& out) override {
    std::string v;
    if (!getString(ns, key, v)) return false;
    out = static_cast<uint32_t>(std::stoul(v));
    return true;
  }
  bool putU32(const char* ns, const char* key, uint32_t v) override {
    return putString(ns, key, std::to_string(v));
  }
  bool getBlob(const char* ns, const char* key, std::vector<uint8_t>& out) override {
    std::string v;
    if (!getString(ns, key, v)) return false;
    out.assign(v.begin(), v.end());
    return true;
  }
  bool putBlob(const char* ns, const char* key, const uint8_t* d, size_t n) override {
    return putString(ns, key, std::string(reinterpret_cast<const char*>(d), n));
  }
  bool erase(const char* ns, const char* key) override {
    data.erase(k(ns, key));
    return true;
  }
  bool eraseNamespace(const char* ns) override {
    const std::string prefix = std::string(ns) + "/";
    for (auto it = data.begin(); it != data.end();)
      it = it->first.compare(0, prefix.size(), prefix) == 0 ? data.erase(it) : std::next(it);
    return true;
  }
};

struct FakeClock : Clock {
  int64_t epoch = 0;  // ms
  uint64_t mono = 0;
  bool valid = true;
  int64_t epochMs() override { return epoch; }
  uint64_t monotonicMs() override { return mono; }
  bool timeValid() override { return valid; }
  void setEpochMs(int64_t ms) override { epoch = ms, valid = true; }
  void advance(int64_t ms) { epoch += ms, mono += static_cast<uint64_t>(ms); }
  void reboot() { mono = 0; }
};

struct FakeHttp : HttpClient {
  std::function<HttpResponse(const HttpRequest&)> handler;
  std::vector<HttpRequest> requests;
  HttpResponse request(const HttpRequest& req) override {
    requests.push_back(req);
    return handler ? handler(req) : HttpResponse{};
  }
  HttpResponse download(const HttpRequest& req, const HeadFn& onHead,
                        const ChunkFn& onChunk) override {
    requests.push_back(req);
    HttpResponse full = handler ? handler(req) : HttpResponse{};
    if (full.status == 0) return full;
    HttpResponse head = full;
    head.body.clear();
    if (!onHead(head)) {
      head.error = "aborted";
      return head;
    }
    const std::string& b = full.body;
    const size_t half = b.size() / 2;
    const auto* p = reinterpret_cast<const uint8_t*>(b.data());
    if (!onChunk(p, half) || !onChunk(p + half, b.size() - half)) head.error = "aborted";
    return head;
  }
  std::vector<HttpRequest> to(const std::string& pathPart) const {
    std::vector<HttpRequest> out;
    for (const auto& r : requests)
      if (r.url.find(pathPart) != std::string::npos) out.push_back(r);
    return out;
  }
};

struct FakeDiscovery : Discovery {
  std::vector<DiscoveredService> answer;
  int queries = 0;
  std::vector<DiscoveredService> query(const char*, const char*, uint32_t) override {
    queries++;
    return answer;
  }
};

// Two slots plus the factory image (-1), like the ESP32's ota_0/ota_1.
struct FakeUpdater : Updater {
  std::string slot[2];
  int boot = -1, prev = -1, running = -1;
  bool pending = false, bootedPending = false;
  std::string writing, error;
  size_t expect = 0;
  bool began = false;

  void powerCycle() {  // what the next boot runs
    running = boot;
    bootedPending = pending;
  }
  bool begin(size_t size) override {
    writing.clear();
    expect = size;
    began = true;
    return true;
  }
  size_t write(const uint8_t* d, size_t n) override {
    writing.append(reinterpret_cast<const char*>(d), n);
    return n;
  }
  bool end(const std::string& md5) override;  // in test_support.cpp (needs the host MD5)
  void abort() override { began = false; }
  std::string lastError() override { return error; }
  std::string runningVersion() override {
    if (running < 0) return "";
    return versionFromImage(reinterpret_cast<const uint8_t*>(slot[running].data()),
                            slot[running].size());
  }
  bool runningPendingVerify() override { return bootedPending && pending; }
  bool markValid() override {
    pending = false;
    return true;
  }
  bool rollback() override {
    boot = prev;
    pending = false;
    return true;
  }
  uint32_t sketchSize() override { return 900000; }
  uint32_t freeSpace() override { return 1310720; }
  uint32_t chipSize() override { return 4194304; }
  std::string sketchMd5() override { return ""; }
};

struct FakeBoard : Board {
  std::vector<Input> inputs;
  bool buzzer = false, led = false, restarted = false;
  std::string chip = "ESP32";
  Input pollInput() override {
    if (inputs.empty()) return Input::None;
    Input in = inputs.front();
    inputs.erase(inputs.begin());
    return in;
  }
  void setBuzzer(bool on) override { buzzer = on; }
  void setLed(bool on) override { led = on; }
  std::string chipModel() override { return chip; }
  bool networkUp() override { return true; }
  std::string ipAddress() override { return "192.168.1.50"; }
  bool rssi(int& dbm) override {
    dbm = -61;
    return true;
  }
  uint32_t freeHeap() override { return 123456; }
  std::string resetReason() override { return "poweron"; }
  void restart() override { restarted = true; }
};

struct Sink : EventSink {
  std::vector<std::string> lines;
  void stateLine(const std::string& json) override { lines.push_back(json); }
  void log(LogLevel, const std::string&) override {}
  // Lines whose "ev" is `ev` (parsed).
  std::vector<std::string> of(const std::string& ev) const {
    std::vector<std::string> out;
    for (const auto& l : lines)
      if (l.find("\"ev\":\"" + ev + "\"") != std::string::npos) out.push_back(l);
    return out;
  }
};

// A test image: magic byte, app descriptor version at 0x30, some payload.
std::string makeImage(const std::string& version, size_t size = 4096);
std::string md5Hex(const std::string& bytes);

}  // namespace fakes
