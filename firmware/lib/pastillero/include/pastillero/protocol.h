// The device API's JSON, both directions: heartbeat request/answer, the device schedule answer,
// event bodies. Pure functions over strings so the unit tests pin the exact wire format the
// server (src/main/core/devices, events, schedules) accepts.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace pastillero {

struct HeartbeatInfo {
  std::string deviceId, firmwareVersion, ipAddress, name, chip, resetReason;
  bool hasScheduleVersion = false;
  int64_t scheduleVersion = 0;
  bool hasRssi = false;
  int rssi = 0;
  uint32_t freeHeap = 0;
  uint64_t uptimeS = 0;
};
std::string heartbeatBody(const HeartbeatInfo& info);

struct HeartbeatAnswer {
  std::string serverTime;   // "" when absent
  std::string command;      // "reboot" or ""
  bool hasScheduleVersion = false;  // the field was present (a number or null)
  bool scheduleVersionNull = true;
  int64_t scheduleVersion = 0;
  std::string tzPosix, tzName;
  std::string deviceToken;  // "" when absent
};
bool parseHeartbeatAnswer(const std::string& body, HeartbeatAnswer& out);

struct ScheduledAlarm {
  int64_t id = 0;
  std::string label;
  int hour = 0, minute = 0;
  uint8_t daysMask = 0;  // bit n = tm_wday n (bit 0 = Sunday)
  int windowMin = 30;
};

struct Schedule {
  bool present = false;  // false: the server has none for us (schedule_version null)
  int64_t version = 0;
  std::string tzPosix;   // from the schedule answer's tz.posix
  std::vector<ScheduledAlarm> alarms;
};
// Parses GET /api/devices/{id}/schedule. False when the document is not usable.
bool parseDeviceSchedule(const std::string& body, Schedule& out);
// A compact line format for NVS (the JSON can exceed an NVS string).
std::string encodeSchedule(const Schedule& s);
bool decodeSchedule(const std::string& text, Schedule& out);

std::string eventBody(const std::string& deviceId, const std::string& type,
                      const std::string& eventId, int64_t timestamp,
                      const std::string& payloadJson);

}  // namespace pastillero
