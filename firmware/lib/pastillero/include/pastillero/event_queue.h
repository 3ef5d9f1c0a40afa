// The persistent event queue: events survive reboots and outages and are delivered in order.
//
// Storage (KeyValueStore namespace "evq"): u32 "head" (position of the oldest undelivered event)
// and "tail" (next free position), one string per event in slot "e<position % kCapacity>".
// An event is written to its slot before "tail" moves, and "head" moves only after the server
// answered 2xx, so a power cut at any point loses nothing acknowledged; at worst an event is sent
// twice with the same event_id, which the server stores once.
//
// Drop policy: the queue holds kCapacity events (a few days of alarms offline). When it is full,
// the OLDEST event is dropped to make room (the newest ones say the most about the patient now),
// and the caller reports it on the state stream.
#pragma once

#include <cstdint>
#include <string>

#include "pastillero/ports.h"

namespace pastillero {

struct QueuedEvent {
  std::string type;         // "alarm_triggered", "dose_taken", ...
  std::string eventId;      // "<boot>-<seq>"
  int64_t timestamp = 0;    // device epoch seconds; 0 = the clock was not valid (not sent)
  std::string payloadJson;  // a JSON object, "" for none
};

class EventQueue {
 public:
  static constexpr uint32_t kCapacity = 64;

  explicit EventQueue(KeyValueStore& kv) : kv_(kv) {}
  void load();
  // Appends; when full, the oldest event is dropped first and returned in *dropped (if given).
  bool push(const QueuedEvent& event, QueuedEvent* dropped = nullptr);
  bool front(QueuedEvent& out);  // false when empty (or the slot is unreadable: then skipped)
  void pop();
  uint32_t size() const { return tail_ - head_; }
  bool empty() const { return size() == 0; }

  static std::string encode(const QueuedEvent& e);
  static bool decode(const std::string& text, QueuedEvent& e);

 private:
  KeyValueStore& kv_;
  uint32_t head_ = 0, tail_ = 0;
};

// Exponential backoff: 1 s doubling to 60 s, reset by success.
class Backoff {
 public:
  Backoff(uint32_t firstMs = 1000, uint32_t maxMs = 60000) : first_(firstMs), max_(maxMs) {}
  bool ready(uint64_t nowMs) const { return nowMs >= nextAt_; }
  void fail(uint64_t nowMs);
  void succeed() { delay_ = 0, nextAt_ = 0; }
  uint32_t delayMs() const { return delay_; }

 private:
  uint32_t first_, max_, delay_ = 0;
  uint64_t nextAt_ = 0;
};

}  // namespace pastillero
