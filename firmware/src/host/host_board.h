// Board for the virtual dispenser: inputs come from stdin commands (main.cpp pushes them), the
// buzzer and LED are printed to stderr, the system figures are plausible constants, and
// restart() only raises a flag: main.cpp then re-execs the program with its original argv.
#pragma once

#include <deque>
#include <string>

#include "pastillero/ports.h"

namespace pastillero {
namespace host {

class HostBoard : public Board {
 public:
  explicit HostBoard(const std::string& chip) : chip_(chip) {}
  void push(Input in) { inputs_.push_back(in); }
  Input pollInput() override;
  void setBuzzer(bool on) override;
  void setLed(bool on) override;
  std::string chipModel() override { return chip_; }
  bool networkUp() override { return true; }
  std::string ipAddress() override { return ""; }  // the server records the peer address
  bool rssi(int& dbm) override {
    dbm = -55;
    return true;
  }
  uint32_t freeHeap() override;
  std::string resetReason() override { return "poweron"; }
  void restart() override { restart_ = true; }
  bool restartRequested() const { return restart_; }

 private:
  std::string chip_;
  std::deque<Input> inputs_;
  bool restart_ = false;
};

}  // namespace host
}  // namespace pastillero
