#include <doctest/doctest.h>

#include "fakes.h"
#include "pastillero/event_queue.h"

using namespace pastillero;

namespace {
QueuedEvent ev(const std::string& id, const std::string& type = "dose_taken") {
  return {type, id, 1774771200, "{\"alarm_label\":\"Mañana\\tx\"}"};
}
}  // namespace

TEST_CASE("event queue: ordered, persistent across a reboot, popped only when told") {
  fakes::MemKv kv;
  {
    EventQueue q(kv);
    q.load();
    CHECK(q.push(ev("1-1", "reboot")));
    CHECK(q.push(ev("1-2")));
    CHECK(q.push(ev("1-3")));
    QueuedEvent f;
    REQUIRE(q.front(f));
    CHECK(f.eventId == "1-1");
    q.pop();
  }
  EventQueue again(kv);
  again.load();
  CHECK(again.size() == 2);
  QueuedEvent f;
  REQUIRE(again.front(f));
  CHECK(f.eventId == "1-2");
  CHECK(f.type == "dose_taken");
  CHECK(f.timestamp == 1774771200);
  CHECK(f.payloadJson == "{\"alarm_label\":\"Mañana\\tx\"}");
  REQUIRE(again.front(f));  // front does not consume
  CHECK(f.eventId == "1-2");
  again.pop();
  again.pop();
  CHECK(again.empty());
  CHECK_FALSE(again.front(f));
  // Delivered events leave no slot behind.
  for (const auto& kvp : kv.data) CHECK(kvp.first.rfind("evq/e", 0) != 0);
}

TEST_CASE("event queue: when full, the oldest event is dropped and reported") {
  fakes::MemKv kv;
  EventQueue q(kv);
  q.load();
  for (uint32_t i = 1; i <= EventQueue::kCapacity; i++) CHECK(q.push(ev("2-" + std::to_string(i))));
  CHECK(q.size() == EventQueue::kCapacity);
  QueuedEvent dropped;
  CHECK(q.push(ev("2-999"), &dropped));
  CHECK(dropped.eventId == "2-1");
  CHECK(q.size() == EventQueue::kCapacity);
  QueuedEvent f;
  REQUIRE(q.front(f));
  CHECK(f.eventId == "2-2");
  EventQueue again(kv);
  again.load();
  CHECK(again.size() == EventQueue::kCapacity);
  std::string last;
  while (again.front(f)) last = f.eventId, again.pop();
  CHECK(last == "2-999");
}

TEST_CASE("event queue: a corrupt slot is skipped instead of blocking the queue") {
  fakes::MemKv kv;
  EventQueue q(kv);
  q.load();
  q.push(ev("3-1"));
  q.push(ev("3-2"));
  kv.data["evq/e0"] = "garbage";
  QueuedEvent f;
  REQUIRE(q.front(f));
  CHECK(f.eventId == "3-2");
}

TEST_CASE("backoff: 1 s doubling to 60 s, reset by success") {
  Backoff b;
  uint64_t now = 1000;
  CHECK(b.ready(now));
  const uint32_t expected[] = {1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000};
  for (uint32_t want : expected) {
    b.fail(now);
    CHECK(b.delayMs() == want);
    CHECK_FALSE(b.ready(now + want - 1));
    CHECK(b.ready(now + want));
    now += want;
  }
  b.succeed();
  CHECK(b.ready(0));
  b.fail(0);
  CHECK(b.delayMs() == 1000);
}
