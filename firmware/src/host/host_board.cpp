#include "host_board.h"

#include <cstdio>

namespace pastillero {
namespace host {

Input HostBoard::pollInput() {
  if (inputs_.empty()) return Input::None;
  const Input in = inputs_.front();
  inputs_.pop_front();
  return in;
}

void HostBoard::setBuzzer(bool on) { fprintf(stderr, "board: buzzer %s\n", on ? "on" : "off"); }
void HostBoard::setLed(bool on) { fprintf(stderr, "board: led %s\n", on ? "on" : "off"); }

// What a classic ESP32 running the sketch typically reports.
uint32_t HostBoard::freeHeap() { return 234567; }

}  // namespace host
}  // namespace pastillero
