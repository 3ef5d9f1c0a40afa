#include "pastillero/app.h"

#include <memory>

#include "pastillero/alarm.h"
#include "pastillero/event_queue.h"
#include "pastillero/locator.h"
#include "pastillero/ota.h"
#include "pastillero/protocol.h"
#include "pastillero/tz.h"
#include "pastillero/util.h"

namespace pastillero {

namespace {
const char* kSys = "sys";
const char* kAuth = "auth";
const char* kSched = "sched";
constexpr uint32_t kHttpTimeoutMs = 8000;
constexpr uint64_t kRelocateMs = 10000;  // with no server known, look again this often at most
}  // namespace

struct App::Impl {
  Ports p;
  AppConfig cfg;
  ServerLocator locator;
  EventQueue queue;
  Backoff eventBackoff;
  AlarmEngine alarms;
  OtaFlow ota;
  Rng rng;

  uint32_t boot = 0;
  uint32_t seq = 0;
  std::string resetReason;
  std::string version;
  std::string token;
  Schedule schedule;
  std::string tzPosix = "UTC0";
  bool restarting = false;

  uint64_t nextHeartbeatMs = 0;
  uint64_t nextLocateMs = 0;
  uint64_t nextOtaMs = 0;
  bool heartbeatOk = false;  // one success this boot
  bool otaRequested = false;
  bool fetchSchedule = false;
  int hbFailures = 0;
  bool buzzer = false, led = false;

  Impl(const Ports& ports, const AppConfig& config)
      : p(ports),
        cfg(config),
        locator(ports.discovery, ports.kv, config.discover, config.fallbackUrl),
        queue(ports.kv),
        alarms(ports.kv),
        ota(ports.http, ports.updater, ports.kv),
        rng(config.seed ? config.seed : fnv1a(config.deviceId)) {}

  // ---- output -------------------------------------------------------------------------------
  Json line(const char* ev) {
    Json j;
    j.str("t", isoUtc(p.clock.epochS())).str("ev", ev);
    return j;
  }
  void emit(const Json& j) { p.sink.stateLine(j.print()); }
  void error(const std::string& what) {
    emit(line("error").str("what", what));
    p.sink.log(LogLevel::Warn, what);
  }

  // ---- events -------------------------------------------------------------------------------
  void queueEvent(const std::string& type, const Json& payload) {
    QueuedEvent e;
    e.type = type;
    e.eventId = std::to_string(boot) + "-" + std::to_string(++seq);
    e.timestamp = p.clock.timeValid() ? p.clock.epochS() : 0;
    e.payloadJson = payload.print();
    QueuedEvent dropped;
    if (!queue.push(e, &dropped)) {
      error("event queue: cannot store " + type);
      return;
    }
    if (!dropped.eventId.empty())
      error("event queue full: dropped " + dropped.type + " " + dropped.eventId);
    emit(line("event_queued").str("type", type).str("event_id", e.eventId));
  }

  HttpHeaders auth() const {
    if (!token.empty()) return {{"Authorization", "DeviceToken " + token}};
    return {{"X-API-Key", cfg.apiKey}};
  }

  // A 401 while using a device token: the server no longer knows it; use the enrolment key.
  bool dropTokenOn401(int status) {
    if (status != 401 || token.empty()) return false;
    token.clear();
    p.kv.erase(kAuth, "token");
    emit(line("token").boolean("stored", false));
    return true;
  }

  HttpResponse send(const std::string& method, const std::string& url, const std::string& body) {
    HttpRequest req;
    req.method = method;
    req.url = url;
    req.headers = auth();
    if (!body.empty()) req.headers.push_back({"Content-Type", "application/json"});
    req.body = body;
    req.timeoutMs = kHttpTimeoutMs;
    return p.http.request(req);
  }

  // ---- boot ---------------------------------------------------------------------------------
  void begin() {
    p.kv.getU32(kSys, "boot", boot);
    boot++;
    p.kv.putU32(kSys, "boot", boot);

    std::string marker;
    p.kv.getString(kSys, "rst", marker);
    if (!marker.empty()) p.kv.erase(kSys, "rst");
    resetReason = marker == "ota" ? "ota"
                  : marker == "rollback" ? "rollback"
                  : marker == "remote" ? "software"
                  : p.board.resetReason();

    p.kv.getString(kAuth, "token", token);
    queue.load();
    alarms.load();
    loadSchedule();

    std::string otaVersion;
    const OtaBoot otaBoot = ota.atBoot(otaVersion);
    version = p.updater.runningVersion();
    if (version.empty()) version = cfg.factoryVersion;

    if (otaBoot == OtaBoot::RollbackNow && p.updater.rollback()) {
      emit(line("boot").num("boot", boot).str("version", version).str("reset_reason", resetReason));
      ota.noteRollback(otaVersion);
      restart("rollback");
      return;
    }
    emit(line("boot").num("boot", boot).str("version", version).str("reset_reason", resetReason));
    queueEvent("reboot", Json().str("reason", resetReason).num("boot_count", boot));
    if (otaBoot == OtaBoot::RolledBack) {
      emit(line("ota").str("state", "rolled_back").str("version", otaVersion));
      queueEvent("ota_fail", Json().str("version", otaVersion).str("error", "rolled back"));
    }
  }

  void restart(const char* reason) {
    p.kv.putString(kSys, "rst", reason);
    emit(line("restarting").str("reason", reason));
    restarting = true;
    p.board.setBuzzer(false);
    p.board.setLed(false);
    p.board.restart();
  }

  // ---- schedule -----------------------------------------------------------------------------
  void loadSchedule() {
    std::string text;
    if (p.kv.getString(kSched, "cur", text)) decodeSchedule(text, schedule);
    std::string tz;
    if (p.kv.getString(kSched, "tz", tz) && !tz.empty()) tzPosix = tz;
    applySchedule();
  }

  void applySchedule() {
    PosixTz tz;
    if (!parsePosixTz(tzPosix, tz)) {
      error("bad time zone: " + tzPosix);
      parsePosixTz("UTC0", tz);
    }
    alarms.setSchedule(schedule, tz);
  }

  void setTz(const std::string& posix) {
    PosixTz check;
    if (posix.empty() || posix == tzPosix || !parsePosixTz(posix, check)) return;
    tzPosix = posix;
    p.kv.putString(kSched, "tz", posix);
    applySchedule();
  }

  void fetchScheduleNow() {
    const HttpResponse r = send("GET", locator.api("/devices/" + cfg.deviceId + "/schedule"), "");
    if (dropTokenOn401(r.status)) return;  // retried after the next heartbeat
    if (r.status != 200) {
      error("schedule fetch: " + (r.status ? "http " + std::to_string(r.status) : r.error));
      return;
    }
    Schedule s;
    if (!parseDeviceSchedule(r.body, s)) {
      error("schedule fetch: unreadable answer");
      return;
    }
    fetchSchedule = false;
    schedule = s;
    p.kv.putString(kSched, "cur", encodeSchedule(schedule));
    if (!s.tzPosix.empty()) {
      PosixTz check;
      if (parsePosixTz(s.tzPosix, check)) {
        tzPosix = s.tzPosix;
        p.kv.putString(kSched, "tz", tzPosix);
      }
    }
    applySchedule();
    Json j = line("schedule");
    if (s.present) j.num("version", static_cast<double>(s.version));
    else j.null("version");
    emit(j.num("alarms", static_cast<double>(s.alarms.size())).str("tz", tzPosix));
  }

  // ---- heartbeat ----------------------------------------------------------------------------
  void heartbeat(uint64_t now) {
    nextHeartbeatMs = now + static_cast<uint64_t>(rng.range(cfg.heartbeatS, 2 * cfg.heartbeatS)) * 1000;
    HeartbeatInfo info;
    info.deviceId = cfg.deviceId;
    info.firmwareVersion = version;
    info.ipAddress = p.board.ipAddress();
    info.name = cfg.name;
    info.chip = p.board.chipModel();
    info.hasScheduleVersion = schedule.present;
    info.scheduleVersion = schedule.version;
    info.hasRssi = p.board.rssi(info.rssi);
    info.freeHeap = p.board.freeHeap();
    info.uptimeS = now / 1000;
    info.resetReason = resetReason;
    const HttpResponse r = send("POST", locator.api("/devices/heartbeat"), heartbeatBody(info));
    HeartbeatAnswer answer;
    if (r.status == 200 && parseHeartbeatAnswer(r.body, answer)) {
      hbFailures = 0;
      locator.success();
      emit(line("heartbeat").num("status", r.status));
      onHeartbeatAnswer(answer, now);
      return;
    }
    if (dropTokenOn401(r.status)) {
      nextHeartbeatMs = now;  // again at once, with the key
      return;
    }
    hbFailures++;
    emit(line("heartbeat_failed")
             .str("error", r.status ? "http " + std::to_string(r.status) : r.error)
             .num("failures", hbFailures));
    if (locator.failure()) nextLocateMs = 0;  // look for it again at once
  }

  void onHeartbeatAnswer(const HeartbeatAnswer& a, uint64_t now) {
    int64_t serverS;
    if (!p.clock.timeValid() && parseIsoUtc(a.serverTime, serverS)) p.clock.setEpochMs(serverS * 1000);
    if (!a.deviceToken.empty() && a.deviceToken != token) {
      token = a.deviceToken;
      p.kv.putString(kAuth, "token", token);
      emit(line("token").boolean("stored", true));
    }
    if (!a.tzPosix.empty()) setTz(a.tzPosix);
    if (a.hasScheduleVersion) {
      const bool same = a.scheduleVersionNull ? !schedule.present
                                              : schedule.present && schedule.version == a.scheduleVersion;
      fetchSchedule = !same;
    }
    if (ota.pending()) {
      const std::string v = ota.pendingVersion();
      if (ota.confirm()) {
        queueEvent("ota_done", Json().str("version", v));
        emit(line("ota").str("state", "confirmed").str("version", v));
      } else {
        error("ota: could not mark the image valid");
      }
    }
    if (!heartbeatOk) {
      heartbeatOk = true;
      nextOtaMs = now;  // the boot-time check, after the first good heartbeat
    }
    if (a.command == "reboot") {
      emit(line("command").str("command", "reboot"));
      queueEvent("reboot", Json().str("reason", "remote"));
      restart("remote");
    }
  }

  // ---- OTA ----------------------------------------------------------------------------------
  void otaCheck(uint64_t now) {
    otaRequested = false;
    nextOtaMs = now + static_cast<uint64_t>(cfg.otaCheckS) * 1000;
    OtaResult r = ota.check(locator.api("/ota/update"), cfg.deviceId, version, auth(),
                            [&](const std::string& v) {
                              Json payload;
                              if (!v.empty()) payload.str("version", v);
                              queueEvent("ota_start", payload);
                              Json j = line("ota");
                              j.str("state", "downloading");
                              if (!v.empty()) j.str("version", v);
                              emit(j);
                            });
    switch (r.kind) {
      case OtaResult::NoUpdate:
        emit(line("ota").str("state", "no_update").str("version", version));
        break;
      case OtaResult::Installed:
        emit(line("ota").str("state", "installed").str("version", r.version));
        restart("ota");
        break;
      case OtaResult::Failed: {
        Json payload;
        if (!r.version.empty()) payload.str("version", r.version);
        queueEvent("ota_fail", payload.str("error", r.error));
        Json j = line("ota");
        j.str("state", "failed");
        if (!r.version.empty()) j.str("version", r.version);
        emit(j.str("error", r.error));
        break;
      }
      case OtaResult::Refused:
        if (dropTokenOn401(r.status)) otaRequested = true;
        else error("ota check: " + r.error);
        break;
      case OtaResult::Unreachable:
        error("ota check: " + r.error);
        break;
    }
  }

  // ---- events out ---------------------------------------------------------------------------
  void sendOneEvent(uint64_t now) {
    QueuedEvent e;
    if (!queue.front(e)) return;
    const HttpResponse r = send(
        "POST", locator.api("/events"),
        eventBody(cfg.deviceId, e.type, e.eventId, e.timestamp, e.payloadJson));
    if (r.ok()) {
      queue.pop();
      eventBackoff.succeed();
      emit(line("event_sent").str("type", e.type).str("event_id", e.eventId).num("status", r.status));
      return;
    }
    if (dropTokenOn401(r.status)) return;
    // Retry later: no answer, server trouble, rate limit, or a key problem (not the event's
    // fault, so it is kept). Any other 4xx means the server will never take this event.
    if (r.status == 0 || r.status >= 500 || r.status == 429 || r.status == 401) {
      eventBackoff.fail(now);
      return;
    }
    queue.pop();
    error("event " + e.eventId + " (" + e.type + ") refused: http " + std::to_string(r.status));
  }

  // ---- loop ---------------------------------------------------------------------------------
  void loop() {
    if (restarting) return;
    const uint64_t now = p.clock.monotonicMs();
    const bool timeOk = p.clock.timeValid();
    const int64_t utc = p.clock.epochS();

    for (Input in = p.board.pollInput(); in != Input::None; in = p.board.pollInput())
      handleAlarmActions(alarms.input(in, cfg.doseBy, utc));
    if (timeOk) handleAlarmActions(alarms.tick(utc));
    updateOutputs(utc);

    if (!p.board.networkUp()) return;
    if (!locator.known()) {
      if (now < nextLocateMs) return;
      nextLocateMs = now + kRelocateMs;
      bool changed = false;
      if (!locator.ensure(changed)) return;
      if (changed) emit(line("server").str("via", locator.via()).str("url", locator.origin()));
      nextHeartbeatMs = now;
    }
    if (now >= nextHeartbeatMs) {
      heartbeat(now);
      if (restarting || !locator.known()) return;
    }
    if (fetchSchedule && heartbeatOk) fetchScheduleNow();
    if (heartbeatOk && (otaRequested || now >= nextOtaMs)) {
      otaCheck(now);
      if (restarting) return;
    }
    if (!queue.empty() && eventBackoff.ready(now)) sendOneEvent(now);
  }

  void handleAlarmActions(const std::vector<AlarmAction>& actions) {
    for (const auto& a : actions) {
      const char* state = a.kind == AlarmAction::Ring    ? "ringing"
                           : a.kind == AlarmAction::Ack  ? "acked"
                           : a.kind == AlarmAction::Taken ? "taken"
                                                          : "given_up";
      emit(line("alarm")
               .str("state", state)
               .str("label", a.cycle.label)
               .str("local", isoLocalMinutes(a.cycle.localWall))
               .num("ring", a.cycle.ring));
      const char* type = a.kind == AlarmAction::Ring    ? "alarm_triggered"
                         : a.kind == AlarmAction::Ack  ? "alarm_ack"
                         : a.kind == AlarmAction::Taken ? "dose_taken"
                                                        : nullptr;
      if (type) queueEvent(type, Json().str("alarm_label", a.cycle.label));
    }
  }

  void updateOutputs(int64_t utc) {
    const bool b = alarms.buzzer(utc), l = alarms.led();
    if (b != buzzer) p.board.setBuzzer(buzzer = b);
    if (l != led) p.board.setLed(led = l);
  }
};

App::App(const Ports& ports, const AppConfig& config) : impl_(new Impl(ports, config)) {}
App::~App() = default;
void App::begin() { impl_->begin(); }
void App::loop() { impl_->loop(); }
void App::requestOtaCheck() { impl_->otaRequested = true; }
bool App::restartRequested() const { return impl_->restarting; }
uint32_t App::bootCount() const { return impl_->boot; }

}  // namespace pastillero
