#include "pastillero/event_queue.h"

#include <cstdio>
#include <cstdlib>

namespace pastillero {

namespace {
const char* kNs = "evq";
std::string slotKey(uint32_t position) {
  char key[16];
  snprintf(key, sizeof key, "e%u", static_cast<unsigned>(position % EventQueue::kCapacity));
  return key;
}
}  // namespace

// One line per event, tab-separated: type, event id, timestamp, payload JSON (last: may hold
// anything but a newline, which cJSON's compact printing never emits).
std::string EventQueue::encode(const QueuedEvent& e) {
  return e.type + "\t" + e.eventId + "\t" + std::to_string(e.timestamp) + "\t" + e.payloadJson;
}

bool EventQueue::decode(const std::string& text, QueuedEvent& e) {
  const size_t a = text.find('\t');
  if (a == std::string::npos) return false;
  const size_t b = text.find('\t', a + 1);
  if (b == std::string::npos) return false;
  const size_t c = text.find('\t', b + 1);
  if (c == std::string::npos) return false;
  e.type = text.substr(0, a);
  e.eventId = text.substr(a + 1, b - a - 1);
  e.timestamp = std::strtoll(text.substr(b + 1, c - b - 1).c_str(), nullptr, 10);
  e.payloadJson = text.substr(c + 1);
  return !e.type.empty() && !e.eventId.empty();
}

void EventQueue::load() {
  uint32_t h = 0, t = 0;
  kv_.getU32(kNs, "head", h);
  kv_.getU32(kNs, "tail", t);
  if (t - h > kCapacity) h = t - kCapacity;  // never trust a corrupt pair beyond capacity
  head_ = h;
  tail_ = t;
}

bool EventQueue::push(const QueuedEvent& event, QueuedEvent* dropped) {
  if (size() >= kCapacity) {
    QueuedEvent oldest;
    if (dropped && front(oldest)) *dropped = oldest;
    pop();
  }
  if (!kv_.putString(kNs, slotKey(tail_).c_str(), encode(event))) return false;
  if (!kv_.putU32(kNs, "tail", tail_ + 1)) return false;
  tail_++;
  return true;
}

bool EventQueue::front(QueuedEvent& out) {
  while (!empty()) {
    std::string text;
    if (kv_.getString(kNs, slotKey(head_).c_str(), text) && decode(text, out)) return true;
    pop();  // unreadable slot (flash damage): skip rather than block the queue forever
  }
  return false;
}

void EventQueue::pop() {
  if (empty()) return;
  kv_.putU32(kNs, "head", head_ + 1);
  kv_.erase(kNs, slotKey(head_).c_str());
  head_++;
}

void Backoff::fail(uint64_t nowMs) {
  delay_ = delay_ == 0 ? first_ : (delay_ * 2 > max_ ? max_ : delay_ * 2);
  nextAt_ = nowMs + delay_;
}

}  // namespace pastillero
