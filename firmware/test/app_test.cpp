#include <doctest/doctest.h>

#include <memory>

#include "fakes.h"
#include "pastillero/app.h"
#include "pastillero/util.h"

using namespace pastillero;

namespace {

int64_t utc(const char* iso) {
  int64_t s = 0;
  REQUIRE(parseIsoUtc(iso, s));
  return s;
}

// A scripted server plus every fake port, and a way to reboot the "device".
struct Rig {
  fakes::MemKv kv;
  fakes::FakeClock clock;
  fakes::FakeHttp http;
  fakes::FakeDiscovery mdns;
  fakes::FakeUpdater updater;
  fakes::FakeBoard board;
  fakes::Sink sink;
  AppConfig cfg;
  std::unique_ptr<App> app;

  // Server state.
  bool down = false;
  int eventStatus = 200;
  int scheduleVersion = 0;  // 0 = null
  bool rebootPending = false;
  std::string tokenToIssue;
  std::string acceptedToken;  // once issued, the server accepts only this token (or the key)
  bool rejectTokens = false;
  std::string image;          // offered by /api/ota/update when not empty
  std::string imageMd5;       // overrides the real MD5 when not empty
  std::vector<std::string> events;  // bodies stored (event_id unique)
  std::vector<std::string> heartbeats;

  Rig() {
    cfg.deviceId = "AA:BB:CC:DD:EE:FF";
    cfg.apiKey = "key-1";
    cfg.fallbackUrl = "http://10.0.0.5:8000";
    cfg.discover = false;
    cfg.factoryVersion = "1.0.0";
    cfg.name = "Cocina";
    cfg.heartbeatS = 30;
    clock.epoch = utc("2026-03-29T05:50:00Z") * 1000;
    http.handler = [this](const HttpRequest& r) { return serve(r); };
  }

  bool authorised(const HttpRequest& r) const {
    for (const auto& h : r.headers) {
      if (h.name == "X-API-Key" && h.value == "key-1") return true;
      if (h.name == "Authorization" && !rejectTokens && h.value == "DeviceToken " + acceptedToken)
        return true;
    }
    return false;
  }

  HttpResponse serve(const HttpRequest& r) {
    HttpResponse res;
    if (down) {
      res.error = "Couldn't connect to server";
      return res;
    }
    if (!authorised(r)) {
      res.status = 401;
      res.body = R"({"ok":false,"error":{"code":"invalid-api-key"}})";
      return res;
    }
    if (r.url == "http://10.0.0.5:8000/api/devices/heartbeat") {
      heartbeats.push_back(r.body);
      Json j;
      j.boolean("ok", true).str("server_time", isoUtc(clock.epochS()));
      if (rebootPending) j.str("command", "reboot"), rebootPending = false;
      if (scheduleVersion) j.num("schedule_version", scheduleVersion);
      else j.null("schedule_version");
      j.obj("tz", std::move(Json().str("name", "Europe/Madrid").str("posix", "CET-1CEST,M3.5.0,M10.5.0/3")));
      if (!tokenToIssue.empty()) {
        j.str("device_token", tokenToIssue);
        acceptedToken = tokenToIssue;
        tokenToIssue.clear();
      }
      res.status = 200;
      res.body = j.print();
    } else if (r.url == "http://10.0.0.5:8000/api/devices/AA:BB:CC:DD:EE:FF/schedule") {
      res.status = 200;
      res.body = R"({"ok":true,"device_id":"AA:BB:CC:DD:EE:FF","schedule_version":)" +
                 std::to_string(scheduleVersion) +
                 R"(,"tz":{"name":"Europe/Madrid","posix":"CET-1CEST,M3.5.0,M10.5.0/3","utc_offset_s":3600},)"
                 R"("alarms":[{"id":11,"label":"Mañana","time":"08:00","hour":8,"minute":0,"days_mask":127,"window_min":30}]})";
    } else if (r.url == "http://10.0.0.5:8000/api/events") {
      res.status = eventStatus;
      if (eventStatus == 200) {
        Json body(cJSON_Parse(r.body.c_str()));
        const std::string id = jsonStr(body.raw(), "event_id");
        bool dup = false;
        for (const auto& e : events) dup = dup || e.find("\"event_id\":\"" + id + "\"") != std::string::npos;
        if (!dup) events.push_back(r.body);
        res.body = dup ? R"({"ok":true,"id":1,"duplicate":true})" : R"({"ok":true,"id":1})";
      }
    } else if (r.url == "http://10.0.0.5:8000/api/ota/update") {
      if (image.empty()) {
        res.status = 304;
      } else {
        res.status = 200;
        res.body = image;
        res.headers = {{"Content-Length", std::to_string(image.size())},
                       {"x-MD5", imageMd5.empty() ? fakes::md5Hex(image) : imageMd5},
                       {"Content-Disposition", "attachment; filename=\"pastillero-1.1.0.bin\""}};
      }
    } else {
      res.status = 404;
    }
    return res;
  }

  void boot() {
    app.reset(new App(Ports{http, kv, clock, mdns, updater, board, sink}, cfg));
    app->begin();
  }
  // Power cycle after a restart() (or a plug pulled).
  void reboot() {
    board.restarted = false;
    updater.powerCycle();
    clock.reboot();
    boot();
  }
  void run(int seconds) {
    for (int i = 0; i < seconds * 10 && !board.restarted; i++) {
      clock.advance(100);
      app->loop();
    }
  }
  std::vector<std::string> eventTypes() const {
    std::vector<std::string> out;
    for (const auto& e : events) {
      Json j(cJSON_Parse(e.c_str()));
      out.push_back(jsonStr(j.raw(), "type"));
    }
    return out;
  }
  bool has(const std::string& needle) const {
    for (const auto& l : sink.lines)
      if (l.find(needle) != std::string::npos) return true;
    return false;
  }
};

}  // namespace

TEST_CASE("app: boot, heartbeat with telemetry, reboot event delivered with its id") {
  Rig rig;
  rig.boot();
  CHECK(rig.sink.lines[0].find(R"("ev":"boot","boot":1,"version":"1.0.0","reset_reason":"poweron")") != std::string::npos);
  rig.run(2);
  CHECK(rig.has(R"("ev":"server","via":"fallback","url":"http://10.0.0.5:8000")"));
  CHECK(rig.has(R"("ev":"heartbeat","status":200)"));
  REQUIRE(rig.heartbeats.size() == 1);
  Json hb(cJSON_Parse(rig.heartbeats[0].c_str()));
  CHECK(jsonStr(hb.raw(), "chip") == "ESP32");
  CHECK(jsonStr(hb.raw(), "reset_reason") == "poweron");
  CHECK(jsonStr(hb.raw(), "firmware_version") == "1.0.0");
  CHECK(jsonStr(hb.raw(), "name") == "Cocina");
  int64_t v;
  CHECK((jsonInt(hb.raw(), "rssi", v) && v == -61));
  CHECK(cJSON_GetObjectItem(hb.raw(), "schedule_version") == nullptr);
  REQUIRE(rig.events.size() == 1);
  Json e(cJSON_Parse(rig.events[0].c_str()));
  CHECK(jsonStr(e.raw(), "type") == "reboot");
  CHECK(jsonStr(e.raw(), "event_id") == "1-1");
  CHECK((jsonInt(e.raw(), "timestamp", v) && v == utc("2026-03-29T05:50:00Z")));
  const cJSON* payload = cJSON_GetObjectItem(e.raw(), "payload");
  CHECK(jsonStr(payload, "reason") == "poweron");
  CHECK((jsonInt(payload, "boot_count", v) && v == 1));
  // Heartbeats keep coming every 30-60 s.
  rig.run(125);
  CHECK(rig.heartbeats.size() >= 3);
  CHECK(rig.heartbeats.size() <= 5);
}

TEST_CASE("app: obeys command reboot; the next boot counts up and says software") {
  Rig rig;
  rig.boot();
  rig.run(2);
  rig.rebootPending = true;
  rig.run(61);
  CHECK(rig.board.restarted);
  CHECK(rig.has(R"("ev":"command","command":"reboot")"));
  CHECK(rig.has(R"("ev":"restarting","reason":"remote")"));
  rig.reboot();
  CHECK(rig.app->bootCount() == 2);
  CHECK(rig.sink.of("boot").back().find(R"("boot":2,"version":"1.0.0","reset_reason":"software")") != std::string::npos);
  rig.run(5);
  // The remote reboot event (queued before restarting) and the new boot's event, in order.
  const auto types = rig.eventTypes();
  REQUIRE(types.size() == 3);
  CHECK(types[1] == "reboot");
  CHECK(rig.events[1].find(R"("reason":"remote")") != std::string::npos);
  CHECK(rig.events[2].find(R"("event_id":"2-1")") != std::string::npos);
  CHECK(rig.events[2].find(R"("reason":"software","boot_count":2)") != std::string::npos);
}

TEST_CASE("app: fetches the schedule, rings offline at 08:00 local, delivers every event once") {
  Rig rig;
  rig.scheduleVersion = 7;
  rig.boot();
  rig.run(3);
  CHECK(rig.has(R"("ev":"schedule","version":7,"alarms":1,"tz":"CET-1CEST,M3.5.0,M10.5.0/3")"));
  CHECK(rig.http.to("/schedule").size() == 1);
  rig.run(65);
  CHECK(rig.heartbeats.size() >= 2);
  CHECK(rig.http.to("/schedule").size() == 1);  // same version: not fetched again
  Json hb(cJSON_Parse(rig.heartbeats.back().c_str()));
  int64_t v;
  CHECK((jsonInt(hb.raw(), "schedule_version", v) && v == 7));

  // The server goes away; the alarm rings at 08:00 CEST (06:00 UTC) all the same.
  rig.down = true;
  rig.clock.epoch = utc("2026-03-29T05:59:58Z") * 1000;
  rig.run(3);
  CHECK(rig.has(R"("ev":"alarm","state":"ringing","label":"Mañana","local":"2026-03-29T08:00","ring":1)"));
  CHECK(rig.board.buzzer);
  rig.board.inputs.push_back(Input::ButtonPress);
  rig.run(1);
  CHECK(rig.has(R"("state":"acked")"));
  CHECK_FALSE(rig.board.buzzer);
  rig.board.inputs.push_back(Input::ButtonPress);
  rig.run(1);
  CHECK(rig.has(R"("state":"taken")"));
  CHECK_FALSE(rig.board.led);
  rig.run(65);
  CHECK(rig.has(R"("ev":"heartbeat_failed","error":"Couldn't connect to server")"));
  CHECK(rig.events.size() == 1);  // only the boot's reboot event got through

  // Back online: alarm_triggered, alarm_ack, dose_taken arrive once each, in order.
  rig.down = false;
  rig.run(120);
  const auto types = rig.eventTypes();
  REQUIRE(types.size() == 4);
  CHECK(types[1] == "alarm_triggered");
  CHECK(types[2] == "alarm_ack");
  CHECK(types[3] == "dose_taken");
  CHECK(rig.events[3].find(R"("payload":{"alarm_label":"Mañana"})") != std::string::npos);
  Json taken(cJSON_Parse(rig.events[3].c_str()));
  CHECK((jsonInt(taken.raw(), "timestamp", v) && v >= utc("2026-03-29T06:00:00Z") && v < utc("2026-03-29T06:00:10Z")));
}

TEST_CASE("app: a 5xx is retried with backoff, another 4xx drops the event") {
  Rig rig;
  rig.eventStatus = 503;
  rig.boot();
  rig.run(10);
  // 1 + 2 + 4 s of backoff within 10 s: a handful of tries, not one per loop.
  const size_t tries = rig.http.to("/api/events").size();
  CHECK(tries >= 3);
  CHECK(tries <= 5);
  CHECK(rig.events.empty());
  rig.eventStatus = 422;
  rig.run(20);
  CHECK(rig.has(R"(refused: http 422)"));
  const size_t after = rig.http.to("/api/events").size();
  rig.run(20);
  CHECK(rig.http.to("/api/events").size() == after);  // dropped, not retried
}

TEST_CASE("app: stores a device token, uses it, and falls back to the key on 401") {
  Rig rig;
  rig.tokenToIssue = "tok-9";
  rig.boot();
  rig.run(2);
  CHECK(rig.has(R"("ev":"token","stored":true)"));
  CHECK(rig.kv.data["auth/token"] == "tok-9");
  rig.run(61);
  const HttpRequest last = rig.http.to("/heartbeat").back();
  bool usedToken = false, usedKey = false;
  for (const auto& h : last.headers) {
    usedToken = usedToken || (h.name == "Authorization" && h.value == "DeviceToken tok-9");
    usedKey = usedKey || h.name == "X-API-Key";
  }
  CHECK(usedToken);
  CHECK_FALSE(usedKey);
  rig.rejectTokens = true;
  const size_t before = rig.heartbeats.size();
  rig.run(61);
  CHECK(rig.kv.data.count("auth/token") == 0);
  CHECK(rig.heartbeats.size() > before);  // the retry with the key went through
}

TEST_CASE("app: rediscovers the server after three failed heartbeats") {
  Rig rig;
  rig.cfg.discover = true;
  rig.mdns.answer = {{"", "pc.local", "10.0.0.5", 8000, "/api"}};
  rig.boot();
  rig.run(2);
  CHECK(rig.has(R"("via":"mdns","url":"http://10.0.0.5:8000")"));
  CHECK(rig.mdns.queries == 1);
  rig.down = true;
  rig.run(200);
  CHECK(rig.has(R"("failures":3)"));
  CHECK(rig.mdns.queries >= 2);
}

TEST_CASE("app: OTA refuses an image whose MD5 does not match") {
  Rig rig;
  rig.image = fakes::makeImage("1.1.0");
  rig.imageMd5 = std::string(32, '0');
  rig.boot();
  rig.run(3);
  CHECK(rig.has(R"("ev":"ota","state":"downloading","version":"1.1.0")"));
  CHECK(rig.has(R"("ev":"ota","state":"failed","version":"1.1.0","error":"md5 mismatch")"));
  CHECK_FALSE(rig.board.restarted);
  CHECK(rig.updater.boot == -1);  // nothing installed
  rig.run(10);
  const auto types = rig.eventTypes();
  REQUIRE(types.size() == 3);
  CHECK(types[1] == "ota_start");
  CHECK(types[2] == "ota_fail");
  CHECK(rig.events[2].find(R"("payload":{"version":"1.1.0","error":"md5 mismatch"})") != std::string::npos);
  // HTTPUpdate's request headers.
  const HttpRequest req = rig.http.to("/api/ota/update").front();
  std::map<std::string, std::string> h;
  for (const auto& x : req.headers) h[x.name] = x.value;
  CHECK(h["x-ESP32-version"] == "1.0.0");
  CHECK(h["x-ESP32-STA-MAC"] == "AA:BB:CC:DD:EE:FF");
  CHECK(h["x-ESP32-mode"] == "sketch");
  CHECK(h["x-ESP32-free-space"] == "1310720");
  CHECK(h["X-API-Key"] == "key-1");
}

TEST_CASE("app: OTA installs, reboots into the new version, confirms after a heartbeat") {
  Rig rig;
  rig.image = fakes::makeImage("1.1.0");
  rig.boot();
  rig.run(3);
  CHECK(rig.has(R"("ev":"ota","state":"installed","version":"1.1.0")"));
  CHECK(rig.has(R"("ev":"restarting","reason":"ota")"));
  REQUIRE(rig.board.restarted);
  rig.image.clear();
  rig.reboot();
  CHECK(rig.sink.of("boot").back().find(R"("boot":2,"version":"1.1.0","reset_reason":"ota")") != std::string::npos);
  CHECK(rig.updater.runningPendingVerify());
  rig.run(3);
  CHECK(rig.has(R"("ev":"ota","state":"confirmed","version":"1.1.0")"));
  CHECK_FALSE(rig.updater.pending);
  Json hb(cJSON_Parse(rig.heartbeats.back().c_str()));
  CHECK(jsonStr(hb.raw(), "firmware_version") == "1.1.0");
  rig.run(10);
  const auto types = rig.eventTypes();
  // reboot(1), ota_start, reboot(2, ota), ota_done
  REQUIRE(types.size() == 4);
  CHECK(types[1] == "ota_start");
  CHECK(types[3] == "ota_done");
  CHECK(rig.events[3].find(R"("version":"1.1.0")") != std::string::npos);
  // Later boots: a plain boot of the confirmed image.
  rig.reboot();
  CHECK(rig.sink.of("boot").back().find(R"("version":"1.1.0","reset_reason":"poweron")") != std::string::npos);
}

TEST_CASE("app: an image that never reaches a heartbeat rolls back after two boots") {
  Rig rig;
  rig.image = fakes::makeImage("1.1.0");
  rig.boot();
  rig.run(3);
  REQUIRE(rig.board.restarted);
  rig.image.clear();
  rig.down = true;  // the new image cannot reach the server
  rig.reboot();     // boot 1 of the new image
  rig.run(5);
  CHECK(rig.sink.of("boot").back().find(R"("version":"1.1.0")") != std::string::npos);
  rig.reboot();  // boot 2
  rig.run(5);
  CHECK_FALSE(rig.board.restarted);
  rig.reboot();  // boot 3: gives up on it
  CHECK(rig.board.restarted);
  CHECK(rig.has(R"("ev":"restarting","reason":"rollback")"));
  rig.reboot();
  CHECK(rig.sink.of("boot").back().find(R"("version":"1.0.0","reset_reason":"rollback")") != std::string::npos);
  CHECK(rig.has(R"("ev":"ota","state":"rolled_back","version":"1.1.0")"));
  rig.down = false;
  rig.run(30);
  bool failReported = false;
  for (const auto& e : rig.events)
    failReported = failReported || (e.find(R"("type":"ota_fail")") != std::string::npos &&
                                    e.find(R"("error":"rolled back")") != std::string::npos);
  CHECK(failReported);
  Json hb(cJSON_Parse(rig.heartbeats.back().c_str()));
  CHECK(jsonStr(hb.raw(), "firmware_version") == "1.0.0");
  // No ota_done for the abandoned image.
  for (const auto& t : rig.eventTypes()) CHECK(t != "ota_done");
}

TEST_CASE("app: takes the server's clock when its own is not set") {
  Rig rig;
  rig.clock.valid = false;
  const int64_t serverNow = rig.clock.epoch;
  rig.clock.epoch = 0;
  // The fake server answers with the "device" clock; give it the real time instead.
  rig.http.handler = [&rig, serverNow](const HttpRequest& r) {
    const int64_t own = rig.clock.epoch;
    rig.clock.epoch = serverNow;
    HttpResponse res = rig.serve(r);
    rig.clock.epoch = own;
    return res;
  };
  rig.boot();
  rig.run(2);
  CHECK(rig.clock.valid);
  CHECK(rig.clock.epoch / 1000 >= serverNow / 1000);
}
