// The virtual dispenser: the firmware's portable core on Linux adapters, driven by stdin and
// reporting its state as JSON lines on stdout. Flags and protocol: firmware/README.md (and
// /work/coord/VIRTUAL_DISPENSER.md while that contract is being built).
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "curl_http.h"
#include "file_kv.h"
#include "file_updater.h"
#include "host_board.h"
#include "host_clock.h"
#include "mdns_discovery.h"
#include "pastillero/app.h"
#include "pastillero/util.h"

using namespace pastillero;

namespace {

const char* kUsage =
    "usage: pastillero-virtual --device-id ID --state DIR [options]\n"
    "  --device-id AA:BB:CC:DD:EE:FF   device id (required)\n"
    "  --state DIR                     NVS stand-in and flash slots (required)\n"
    "  --key KEY                       device/enrolment key, sent as X-API-Key\n"
    "  --server URL                    fixed/fallback server, e.g. http://127.0.0.1:8000\n"
    "  --discover                      find the server by mDNS first\n"
    "  --version V                     factory image version (default 1.0.0)\n"
    "  --chip MODEL                    chip reported (default ESP32)\n"
    "  --name NAME                     name reported in the heartbeat\n"
    "  --start 2026-03-29T00:30:00Z    virtual clock start (UTC); `advance` moves it\n"
    "  --heartbeat-s N                 base heartbeat interval (default 30; jitter to 2N)\n"
    "  --ota-check-s N                 OTA check interval (default 21600)\n"
    "  --dose-by press|compartment     how a dose is detected (default press)\n"
    "  --seed N                        jitter RNG seed\n"
    "stdin: press | compartment | advance SECONDS | ota | reboot | quit\n";

class StdoutSink : public EventSink {
 public:
  void stateLine(const std::string& json) override {
    fwrite(json.data(), 1, json.size(), stdout);
    fputc('\n', stdout);
    fflush(stdout);
  }
  void log(LogLevel level, const std::string& message) override {
    static const char* names[] = {"debug", "info", "warn", "error"};
    fprintf(stderr, "%s: %s\n", names[static_cast<int>(level)], message.c_str());
  }
};

[[noreturn]] void usage(const char* problem) {
  if (problem) fprintf(stderr, "pastillero-virtual: %s\n", problem);
  fputs(kUsage, problem ? stderr : stdout);
  exit(problem ? 2 : 0);
}

bool parseUint(const char* text, uint32_t& out) {
  char* end = nullptr;
  errno = 0;
  const unsigned long v = strtoul(text, &end, 10);
  if (errno || !end || *end || text[0] == '-' || v > 0xFFFFFFFFul) return false;
  out = static_cast<uint32_t>(v);
  return true;
}

[[noreturn]] void reexec(char** argv) {
  fflush(stdout);
  fflush(stderr);
  execv("/proc/self/exe", argv);
  fprintf(stderr, "pastillero-virtual: re-exec failed: %s\n", strerror(errno));
  _exit(3);
}

}  // namespace

int main(int argc, char** argv) {
  AppConfig cfg;
  cfg.factoryVersion = "1.0.0";
  cfg.discover = false;
  std::string stateDir, chip = "ESP32", start;
  for (int i = 1; i < argc; i++) {
    const std::string flag = argv[i];
    auto value = [&]() -> const char* {
      if (i + 1 >= argc) usage((flag + " needs a value").c_str());
      return argv[++i];
    };
    if (flag == "--help" || flag == "-h") usage(nullptr);
    else if (flag == "--device-id") cfg.deviceId = value();
    else if (flag == "--state") stateDir = value();
    else if (flag == "--key") cfg.apiKey = value();
    else if (flag == "--server") cfg.fallbackUrl = value();
    else if (flag == "--discover") cfg.discover = true;
    else if (flag == "--version") cfg.factoryVersion = value();
    else if (flag == "--chip") chip = value();
    else if (flag == "--name") cfg.name = value();
    else if (flag == "--start") start = value();
    else if (flag == "--heartbeat-s") {
      if (!parseUint(value(), cfg.heartbeatS) || cfg.heartbeatS == 0) usage("bad --heartbeat-s");
    } else if (flag == "--ota-check-s") {
      if (!parseUint(value(), cfg.otaCheckS) || cfg.otaCheckS == 0) usage("bad --ota-check-s");
    } else if (flag == "--dose-by") {
      const std::string v = value();
      if (v == "press") cfg.doseBy = DoseBy::SecondPress;
      else if (v == "compartment") cfg.doseBy = DoseBy::Compartment;
      else usage("--dose-by must be press or compartment");
    } else if (flag == "--seed") {
      if (!parseUint(value(), cfg.seed)) usage("bad --seed");
    } else {
      usage(("unknown flag " + flag).c_str());
    }
  }
  if (cfg.deviceId.empty()) usage("--device-id is required");
  if (stateDir.empty()) usage("--state is required");
  if (cfg.fallbackUrl.empty() && !cfg.discover)
    fprintf(stderr, "pastillero-virtual: no --server and no --discover: using the stored address\n");
  int64_t startMs = -1;
  if (!start.empty()) {
    int64_t s = 0;
    if (!parseIsoUtc(start, s)) usage("--start must be like 2026-03-29T00:30:00Z");
    startMs = s * 1000;
  }
  if (!host::makeDirs(stateDir)) usage("cannot create the --state directory");

  host::HostClock clock(startMs, stateDir + "/clock");
  host::FileKeyValueStore kv(stateDir);
  host::CurlHttpClient http;
  host::MdnsDiscovery discovery;
  host::FileUpdater updater(stateDir);
  host::HostBoard board(chip);
  StdoutSink sink;
  App app(Ports{http, kv, clock, discovery, updater, board, sink}, cfg);
  app.begin();

  std::string pending;
  bool eof = false;
  while (!eof) {
    if (board.restartRequested()) reexec(argv);
    app.loop();
    if (board.restartRequested()) reexec(argv);
    pollfd pfd{STDIN_FILENO, POLLIN, 0};
    if (poll(&pfd, 1, 20) <= 0) continue;
    char buf[4096];
    const ssize_t n = read(STDIN_FILENO, buf, sizeof buf);
    if (n <= 0) {
      if (n < 0 && errno == EINTR) continue;
      eof = true;
      break;
    }
    pending.append(buf, static_cast<size_t>(n));
    size_t nl;
    while ((nl = pending.find('\n')) != std::string::npos) {
      std::string line = pending.substr(0, nl);
      pending.erase(0, nl + 1);
      while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
      if (line.empty()) continue;
      const std::string cmd = line.substr(0, line.find(' '));
      const std::string arg = line.find(' ') == std::string::npos ? "" : line.substr(line.find(' ') + 1);
      if (cmd == "press") board.push(Input::ButtonPress);
      else if (cmd == "compartment") board.push(Input::CompartmentOpen);
      else if (cmd == "ota") app.requestOtaCheck();
      else if (cmd == "reboot") reexec(argv);  // a power cycle: nothing more is written
      else if (cmd == "quit") {
        eof = true;
        break;
      } else if (cmd == "advance") {
        uint32_t seconds = 0;
        if (!clock.virtualTime()) sink.stateLine(Json().str("t", isoUtc(clock.epochS())).str("ev", "error").str("what", "advance needs --start").print());
        else if (!parseUint(arg.c_str(), seconds)) sink.stateLine(Json().str("t", isoUtc(clock.epochS())).str("ev", "error").str("what", "advance needs whole seconds").print());
        else clock.advance(static_cast<int64_t>(seconds) * 1000);
      } else {
        sink.stateLine(Json().str("t", isoUtc(clock.epochS())).str("ev", "error").str("what", "unknown command: " + cmd).print());
      }
      // Handle each command before the next one: `press` then `press` are two presses, and an
      // `advance` lands before the following command is read.
      app.loop();
      if (board.restartRequested()) reexec(argv);
    }
  }
  fflush(stdout);
  return 0;
}
