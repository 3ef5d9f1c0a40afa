#include <doctest/doctest.h>

#include "fakes.h"
#include "pastillero/locator.h"
#include "pastillero/protocol.h"
#include "pastillero/util.h"

using namespace pastillero;

TEST_CASE("heartbeat body: the seed's fields plus the optional telemetry") {
  HeartbeatInfo info;
  info.deviceId = "AA:BB:CC:DD:EE:FF";
  info.firmwareVersion = "1.2.0";
  info.ipAddress = "192.168.1.50";
  info.name = "Pastillero Cocina";
  info.chip = "ESP32-S3";
  info.hasScheduleVersion = true;
  info.scheduleVersion = 7;
  info.hasRssi = true;
  info.rssi = -61;
  info.freeHeap = 123456;
  info.uptimeS = 3600;
  info.resetReason = "ota";
  Json doc(cJSON_Parse(heartbeatBody(info).c_str()));
  const cJSON* j = doc.raw();
  REQUIRE(cJSON_IsObject(j));
  CHECK(jsonStr(j, "device_id") == "AA:BB:CC:DD:EE:FF");
  CHECK(jsonStr(j, "firmware_version") == "1.2.0");
  CHECK(jsonStr(j, "ip_address") == "192.168.1.50");
  CHECK(jsonStr(j, "status") == "online");
  CHECK(jsonStr(j, "name") == "Pastillero Cocina");
  CHECK(jsonStr(j, "chip") == "ESP32-S3");
  CHECK(jsonStr(j, "reset_reason") == "ota");
  int64_t v;
  CHECK((jsonInt(j, "schedule_version", v) && v == 7));
  CHECK((jsonInt(j, "rssi", v) && v == -61));
  CHECK((jsonInt(j, "free_heap", v) && v == 123456));
  CHECK((jsonInt(j, "uptime_s", v) && v == 3600));

  // No schedule applied, no RSSI, no IP: the fields are left out rather than sent empty.
  info.hasScheduleVersion = false;
  info.hasRssi = false;
  info.ipAddress.clear();
  Json doc2(cJSON_Parse(heartbeatBody(info).c_str()));
  CHECK(cJSON_GetObjectItem(doc2.raw(), "schedule_version") == nullptr);
  CHECK(cJSON_GetObjectItem(doc2.raw(), "rssi") == nullptr);
  CHECK(cJSON_GetObjectItem(doc2.raw(), "ip_address") == nullptr);
}

TEST_CASE("heartbeat answer: command, schedule version, time zone, token") {
  HeartbeatAnswer a;
  REQUIRE(parseHeartbeatAnswer(
      R"({"ok":true,"server_time":"2026-03-29T06:00:00Z","command":"reboot","schedule_version":7,)"
      R"("tz":{"name":"Europe/Madrid","posix":"CET-1CEST,M3.5.0,M10.5.0/3","utc_offset_s":7200},)"
      R"("device_token":"tok-123"})",
      a));
  CHECK(a.command == "reboot");
  CHECK(a.serverTime == "2026-03-29T06:00:00Z");
  CHECK(a.hasScheduleVersion);
  CHECK_FALSE(a.scheduleVersionNull);
  CHECK(a.scheduleVersion == 7);
  CHECK(a.tzPosix == "CET-1CEST,M3.5.0,M10.5.0/3");
  CHECK(a.tzName == "Europe/Madrid");
  CHECK(a.deviceToken == "tok-123");

  HeartbeatAnswer seed;  // the seed server's answer: no schedule fields at all
  REQUIRE(parseHeartbeatAnswer(R"({"ok":true,"server_time":"2026-03-29T06:00:00Z"})", seed));
  CHECK_FALSE(seed.hasScheduleVersion);
  CHECK(seed.command.empty());
  HeartbeatAnswer none;
  REQUIRE(parseHeartbeatAnswer(R"({"ok":true,"schedule_version":null,"tz":{"posix":"UTC0"}})", none));
  CHECK(none.hasScheduleVersion);
  CHECK(none.scheduleVersionNull);
  CHECK_FALSE(parseHeartbeatAnswer("not json", none));
  CHECK_FALSE(parseHeartbeatAnswer("[1,2]", none));
}

TEST_CASE("device schedule: the server's answer, stored compactly and read back") {
  const char* body =
      R"({"ok":true,"device_id":"AA:BB:CC:DD:EE:FF","schedule_version":7,)"
      R"("server_time":"2026-03-28T10:00:00Z",)"
      R"("tz":{"name":"Europe/Madrid","posix":"CET-1CEST,M3.5.0,M10.5.0/3","utc_offset_s":3600},)"
      R"("alarms":[{"id":11,"label":"Mañana","time":"08:00","hour":8,"minute":0,)"
      R"("days":["sun","mon","tue","wed","thu","fri","sat"],"days_mask":127,"window_min":60,)"
      R"("compartment":1,"pill_count":1,"next_at":"2026-03-29T06:00:00.000Z"},)"
      R"({"id":12,"label":"Noche","time":"21:30","hour":21,"minute":30,"days":["mon"],)"
      R"("days_mask":2,"window_min":45,"compartment":null,"pill_count":null,"next_at":null}]})";
  Schedule s;
  REQUIRE(parseDeviceSchedule(body, s));
  CHECK(s.present);
  CHECK(s.version == 7);
  CHECK(s.tzPosix == "CET-1CEST,M3.5.0,M10.5.0/3");
  REQUIRE(s.alarms.size() == 2);
  CHECK(s.alarms[0].id == 11);
  CHECK(s.alarms[0].label == "Mañana");
  CHECK(s.alarms[0].hour == 8);
  CHECK(s.alarms[0].daysMask == 127);
  CHECK(s.alarms[0].windowMin == 60);
  CHECK(s.alarms[1].minute == 30);
  CHECK(s.alarms[1].daysMask == 2);

  Schedule back;
  REQUIRE(decodeSchedule(encodeSchedule(s), back));
  CHECK(back.version == 7);
  CHECK(back.tzPosix == s.tzPosix);
  REQUIRE(back.alarms.size() == 2);
  CHECK(back.alarms[1].label == "Noche");
  CHECK(back.alarms[1].windowMin == 45);

  Schedule none;
  REQUIRE(parseDeviceSchedule(R"({"ok":true,"schedule_version":null,"alarms":[]})", none));
  CHECK_FALSE(none.present);
  Schedule nb;
  REQUIRE(decodeSchedule(encodeSchedule(none), nb));
  CHECK_FALSE(nb.present);

  Schedule bad;
  CHECK_FALSE(parseDeviceSchedule(R"({"schedule_version":1,"alarms":[{"id":1,"label":"x","hour":25,"minute":0,"days_mask":1}]})", bad));
  CHECK_FALSE(parseDeviceSchedule(R"({"schedule_version":"7"})", bad));
  CHECK_FALSE(parseDeviceSchedule("{", bad));
}

TEST_CASE("event body: id, type, device timestamp in seconds, payload object") {
  Json doc(cJSON_Parse(eventBody("AA:BB", "dose_taken", "3-12", 1774764000, R"({"alarm_label":"Mañana"})").c_str()));
  const cJSON* j = doc.raw();
  CHECK(jsonStr(j, "device_id") == "AA:BB");
  CHECK(jsonStr(j, "type") == "dose_taken");
  CHECK(jsonStr(j, "event_id") == "3-12");
  int64_t ts;
  CHECK((jsonInt(j, "timestamp", ts) && ts == 1774764000));
  CHECK(jsonStr(cJSON_GetObjectItem(j, "payload"), "alarm_label") == "Mañana");
  Json noTime(cJSON_Parse(eventBody("AA:BB", "reboot", "1-1", 0, "").c_str()));
  CHECK(cJSON_GetObjectItem(noTime.raw(), "timestamp") == nullptr);
  CHECK(cJSON_GetObjectItem(noTime.raw(), "payload") == nullptr);
}

TEST_CASE("server locator: mDNS first, fixed fallback, rediscovery after 3 failures") {
  fakes::MemKv kv;
  fakes::FakeDiscovery mdns;
  mdns.answer = {{"Pastillero._pastillero._tcp.local", "pc.local", "192.168.1.10", 8000, "/api"}};
  ServerLocator loc(mdns, kv, true, "http://10.0.0.5:9000/");
  bool changed = false;
  REQUIRE(loc.ensure(changed));
  CHECK(changed);
  CHECK(loc.via() == "mdns");
  CHECK(loc.origin() == "http://192.168.1.10:8000");
  CHECK(loc.api("/devices/heartbeat") == "http://192.168.1.10:8000/api/devices/heartbeat");
  REQUIRE(loc.ensure(changed));
  CHECK_FALSE(changed);
  CHECK(mdns.queries == 1);

  // The server moved: three failures, then the next ensure() asks mDNS again.
  mdns.answer = {{"", "pc.local", "192.168.1.77", 8001, ""}};
  CHECK_FALSE(loc.failure());
  loc.success();
  CHECK_FALSE(loc.failure());
  CHECK_FALSE(loc.failure());
  CHECK(loc.failure());
  CHECK_FALSE(loc.known());
  REQUIRE(loc.ensure(changed));
  CHECK(mdns.queries == 2);
  CHECK(loc.origin() == "http://192.168.1.77:8001");
  CHECK(loc.api("/events") == "http://192.168.1.77:8001/api/events");

  // Nobody answers mDNS (or only without an A record): the fixed address from setup.
  mdns.answer = {{"x", "pc.local", "", 8000, "/api"}};
  for (int i = 0; i < 3; i++) loc.failure();
  REQUIRE(loc.ensure(changed));
  CHECK(loc.via() == "fallback");
  CHECK(loc.origin() == "http://10.0.0.5:9000");
}

TEST_CASE("server locator: the fixed address is stored; the last mDNS answer is a fallback too") {
  fakes::MemKv kv;
  fakes::FakeDiscovery mdns;
  { ServerLocator setup(mdns, kv, false, "http://10.0.0.5:9000"); }
  ServerLocator later(mdns, kv, false, "");  // a later boot without the flag
  bool changed;
  REQUIRE(later.ensure(changed));
  CHECK(later.origin() == "http://10.0.0.5:9000");
  CHECK(mdns.queries == 0);

  fakes::MemKv kv2;
  fakes::FakeDiscovery mdns2;
  mdns2.answer = {{"", "pc.local", "192.168.1.10", 8000, "/api"}};
  { ServerLocator first(mdns2, kv2, true, ""); REQUIRE(first.ensure(changed)); }
  mdns2.answer.clear();
  ServerLocator second(mdns2, kv2, true, "");
  REQUIRE(second.ensure(changed));
  CHECK(second.via() == "fallback");
  CHECK(second.origin() == "http://192.168.1.10:8000");

  fakes::MemKv empty;
  ServerLocator nothing(mdns2, empty, true, "");
  CHECK_FALSE(nothing.ensure(changed));
}

TEST_CASE("server locator: without discovery, failures never drop the fixed address") {
  fakes::MemKv kv;
  fakes::FakeDiscovery mdns;
  ServerLocator loc(mdns, kv, false, "http://10.0.0.5:9000");
  bool changed;
  REQUIRE(loc.ensure(changed));
  for (int i = 0; i < 10; i++) CHECK_FALSE(loc.failure());
  CHECK(loc.known());
  CHECK(mdns.queries == 0);
}
