#include "pastillero/protocol.h"

#include <cstdlib>
#include <sstream>

#include "pastillero/util.h"

namespace pastillero {

std::string heartbeatBody(const HeartbeatInfo& info) {
  Json j;
  j.str("device_id", info.deviceId).str("firmware_version", info.firmwareVersion);
  if (!info.ipAddress.empty()) j.str("ip_address", info.ipAddress);
  j.str("status", "online");
  if (!info.name.empty()) j.str("name", info.name);
  if (!info.chip.empty()) j.str("chip", info.chip);
  if (info.hasScheduleVersion) j.num("schedule_version", static_cast<double>(info.scheduleVersion));
  if (info.hasRssi) j.num("rssi", info.rssi);
  j.num("free_heap", info.freeHeap);
  j.num("uptime_s", static_cast<double>(info.uptimeS));
  if (!info.resetReason.empty()) j.str("reset_reason", info.resetReason);
  return j.print();
}

bool parseHeartbeatAnswer(const std::string& body, HeartbeatAnswer& out) {
  Json doc(cJSON_Parse(body.c_str()));
  const cJSON* root = doc.raw();
  if (!cJSON_IsObject(root)) return false;
  HeartbeatAnswer a;
  a.serverTime = jsonStr(root, "server_time");
  a.command = jsonStr(root, "command");
  const cJSON* sv = cJSON_GetObjectItemCaseSensitive(root, "schedule_version");
  if (sv) {
    a.hasScheduleVersion = cJSON_IsNumber(sv) || cJSON_IsNull(sv);
    a.scheduleVersionNull = !cJSON_IsNumber(sv);
    if (cJSON_IsNumber(sv)) a.scheduleVersion = static_cast<int64_t>(sv->valuedouble);
  }
  const cJSON* tz = cJSON_GetObjectItemCaseSensitive(root, "tz");
  if (cJSON_IsObject(tz)) {
    a.tzPosix = jsonStr(tz, "posix");
    a.tzName = jsonStr(tz, "name");
  }
  a.deviceToken = jsonStr(root, "device_token");
  out = a;
  return true;
}

bool parseDeviceSchedule(const std::string& body, Schedule& out) {
  Json doc(cJSON_Parse(body.c_str()));
  const cJSON* root = doc.raw();
  if (!cJSON_IsObject(root)) return false;
  Schedule s;
  const cJSON* sv = cJSON_GetObjectItemCaseSensitive(root, "schedule_version");
  if (cJSON_IsNumber(sv)) {
    s.present = true;
    s.version = static_cast<int64_t>(sv->valuedouble);
  } else if (!cJSON_IsNull(sv)) {
    return false;
  }
  const cJSON* tz = cJSON_GetObjectItemCaseSensitive(root, "tz");
  if (cJSON_IsObject(tz)) s.tzPosix = jsonStr(tz, "posix");
  const cJSON* alarms = cJSON_GetObjectItemCaseSensitive(root, "alarms");
  if (alarms && !cJSON_IsArray(alarms)) return false;
  const cJSON* item = nullptr;
  cJSON_ArrayForEach(item, alarms) {
    ScheduledAlarm a;
    int64_t v;
    a.label = jsonStr(item, "label");
    if (a.label.empty() || !jsonInt(item, "id", a.id)) return false;
    if (jsonInt(item, "hour", v)) a.hour = static_cast<int>(v);
    else return false;
    if (jsonInt(item, "minute", v)) a.minute = static_cast<int>(v);
    else return false;
    if (a.hour < 0 || a.hour > 23 || a.minute < 0 || a.minute > 59) return false;
    if (!jsonInt(item, "days_mask", v) || v < 0 || v > 127) return false;
    a.daysMask = static_cast<uint8_t>(v);
    if (jsonInt(item, "window_min", v) && v > 0) a.windowMin = static_cast<int>(v);
    s.alarms.push_back(a);
  }
  out = s;
  return true;
}

// Line 1: "v<version>" or "none"; line 2: the POSIX TZ; then one alarm per line:
// id \t hour \t minute \t days_mask \t window_min \t label   (labels never hold control chars)
std::string encodeSchedule(const Schedule& s) {
  std::string out = s.present ? "v" + std::to_string(s.version) : std::string("none");
  out += "\n" + s.tzPosix;
  for (const auto& a : s.alarms) {
    out += "\n" + std::to_string(a.id) + "\t" + std::to_string(a.hour) + "\t" +
           std::to_string(a.minute) + "\t" + std::to_string(a.daysMask) + "\t" +
           std::to_string(a.windowMin) + "\t" + a.label;
  }
  return out;
}

bool decodeSchedule(const std::string& text, Schedule& out) {
  std::istringstream in(text);
  std::string line;
  Schedule s;
  if (!std::getline(in, line)) return false;
  if (line.size() > 1 && line[0] == 'v') {
    s.present = true;
    s.version = std::strtoll(line.c_str() + 1, nullptr, 10);
  } else if (line != "none") {
    return false;
  }
  if (!std::getline(in, s.tzPosix)) s.tzPosix.clear();  // written as an empty last line
  while (std::getline(in, line)) {
    ScheduledAlarm a;
    std::istringstream f(line);
    std::string field[6];
    for (int i = 0; i < 5; i++)
      if (!std::getline(f, field[i], '\t')) return false;
    std::getline(f, field[5]);
    a.id = std::strtoll(field[0].c_str(), nullptr, 10);
    a.hour = std::atoi(field[1].c_str());
    a.minute = std::atoi(field[2].c_str());
    a.daysMask = static_cast<uint8_t>(std::atoi(field[3].c_str()));
    a.windowMin = std::atoi(field[4].c_str());
    a.label = field[5];
    s.alarms.push_back(a);
  }
  out = s;
  return true;
}

std::string eventBody(const std::string& deviceId, const std::string& type,
                      const std::string& eventId, int64_t timestamp,
                      const std::string& payloadJson) {
  Json j;
  j.str("device_id", deviceId).str("type", type).str("event_id", eventId);
  if (timestamp > 0) j.num("timestamp", static_cast<double>(timestamp));
  if (!payloadJson.empty()) {
    cJSON* payload = cJSON_Parse(payloadJson.c_str());
    if (cJSON_IsObject(payload)) cJSON_AddItemToObject(j.raw(), "payload", payload);
    else cJSON_Delete(payload);
  }
  return j.print();
}

}  // namespace pastillero
