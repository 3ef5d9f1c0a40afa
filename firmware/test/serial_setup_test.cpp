// Unit tests of the ESP32 first-boot setup's portable part (src/esp32/serial_setup.cpp: the
// questions, the answers' validation, the serial line editing). The ESP32 build compiles that file
// with PlatformIO; here it is compiled into this test unit directly, so the host CMake needs no
// entry for it (do not also add it to a target: its symbols would be defined twice).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "../src/esp32/serial_setup.cpp"

using pastillero::setup::LineReader;
using pastillero::setup::Lang;
using pastillero::setup::Settings;
using pastillero::setup::Wizard;
using pastillero::setup::normalizeServerUrl;

namespace {
std::string url(const std::string& in) {
  std::string out, err;
  return normalizeServerUrl(in, out, err, Lang::En) ? out : "ERR";
}
std::vector<std::string> lines(LineReader& r, const std::string& bytes) {
  std::vector<std::string> got;
  std::string line;
  for (char c : bytes) {
    if (r.push(c, line) == LineReader::Result::Line) got.push_back(line);
  }
  return got;
}
}  // namespace

TEST_CASE("server address: bare IP, port, scheme and /api are normalised") {
  CHECK(url("192.168.1.10") == "http://192.168.1.10:8000");
  CHECK(url("192.168.1.10:8080") == "http://192.168.1.10:8080");
  CHECK(url(" http://PC-Salon.local:8000/ ") == "http://pc-salon.local:8000");
  CHECK(url("http://10.0.0.2:8000/api") == "http://10.0.0.2:8000");
  CHECK(url("http://10.0.0.2:8000/api/") == "http://10.0.0.2:8000");
}

TEST_CASE("server address: rejects https, other paths, bad ports and junk") {
  CHECK(url("https://10.0.0.2:8000") == "ERR");
  CHECK(url("ftp://10.0.0.2") == "ERR");
  CHECK(url("10.0.0.2:0") == "ERR");
  CHECK(url("10.0.0.2:65536") == "ERR");
  CHECK(url("10.0.0.2:80a") == "ERR");
  CHECK(url("10.0.0.2:") == "ERR");
  CHECK(url("10.0.0.2/dashboard") == "ERR");
  CHECK(url("my server") == "ERR");
  CHECK(url("") == "ERR");
}

TEST_CASE("Wi-Fi password rules: open, 8-63 printable ASCII, or 64 hex") {
  using pastillero::setup::checkPassword;
  CHECK(checkPassword("", Lang::En).empty());
  CHECK(checkPassword("12345678", Lang::En).empty());
  CHECK_FALSE(checkPassword("1234567", Lang::En).empty());
  CHECK_FALSE(checkPassword(std::string(64, 'z'), Lang::En).empty());
  CHECK(checkPassword(std::string(64, 'a'), Lang::En).empty());
  CHECK_FALSE(checkPassword("contraseña1", Lang::En).empty());  // non-ASCII
  CHECK(pastillero::setup::checkSsid(std::string(32, 'x'), Lang::En).empty());
  CHECK_FALSE(pastillero::setup::checkSsid(std::string(33, 'x'), Lang::En).empty());
}

TEST_CASE("line reader: CR, LF and CRLF endings, backspace over UTF-8, length cap") {
  LineReader r(8);
  CHECK(lines(r, "setup\r\nstatus\nota\r") == std::vector<std::string>{"setup", "status", "ota"});
  CHECK(lines(r, "\nabc\b\bx\r\n") == std::vector<std::string>{"ax"});  // stray LF after CR ignored
  CHECK(lines(r, "Se\xc3\xb1\x7f" "n\n") == std::vector<std::string>{"Sen"});
  CHECK(lines(r, "0123456789\n") == std::vector<std::string>{"01234567"});
}

TEST_CASE("wizard: first boot collects every answer, re-asks on errors, saves on yes") {
  Wizard w(Settings{}, Lang::Es);
  CHECK(w.step() == Wizard::Step::Ssid);
  CHECK_FALSE(w.feed("").empty());  // no SSID yet: an error, same question
  CHECK(w.step() == Wizard::Step::Ssid);
  CHECK(w.feed("  Casa Garcia ").empty());
  CHECK(w.secretInput());
  CHECK_FALSE(w.feed("corta").empty());
  CHECK(w.feed("una clave larga").empty());
  CHECK(w.feed("192.168.1.10").empty());
  CHECK_FALSE(w.feed("").empty());  // the key is required
  CHECK(w.feed("k3y-abc").empty());
  const std::string summary = w.feed("Pastillero Cocina");
  CHECK(summary.find("Casa Garcia") != std::string::npos);
  CHECK(summary.find("una clave larga") == std::string::npos);  // masked
  CHECK(w.step() == Wizard::Step::Confirm);
  CHECK(w.feed("s").empty());
  REQUIRE(w.saved());
  CHECK(w.result().ssid == "Casa Garcia");
  CHECK(w.result().password == "una clave larga");
  CHECK(w.result().serverUrl == "http://192.168.1.10:8000");
  CHECK(w.result().apiKey == "k3y-abc");
  CHECK(w.result().deviceName == "Pastillero Cocina");
}

TEST_CASE("wizard: empty answers keep stored values, '-' clears optional ones, cancel keeps all") {
  Settings stored{"Casa", "secreto123", "http://10.0.0.2:8000", "key1", "Cocina"};
  Wizard w(stored, Lang::En);
  CHECK(w.prompt().find("[Casa]") != std::string::npos);
  w.feed("");
  CHECK(w.prompt().find("secreto123") == std::string::npos);
  w.feed("");
  w.feed("-");
  w.feed("");
  w.feed("");
  w.feed("y");
  REQUIRE(w.saved());
  CHECK(w.result().password == "secreto123");
  CHECK(w.result().serverUrl.empty());
  CHECK(w.result().apiKey == "key1");

  Wizard c(stored, Lang::En);
  c.feed("Otra");
  c.feed("cancel");
  CHECK(c.step() == Wizard::Step::Cancelled);
  CHECK(c.result().ssid == "Casa");

  Wizard first(Settings{}, Lang::En);
  CHECK_FALSE(first.feed("cancel").empty());  // nothing stored: cannot leave
  CHECK_FALSE(first.finished());
}

TEST_CASE("wizard: 'n' at the confirmation starts over with the typed values as defaults") {
  Wizard w(Settings{}, Lang::En);
  w.feed("Casa");
  w.feed("");
  w.feed("");
  w.feed("key1");
  w.feed("");
  CHECK(w.result().deviceName == "Pastillero");
  CHECK_FALSE(w.feed("n").empty());
  CHECK(w.step() == Wizard::Step::Ssid);
  CHECK(w.prompt().find("[Casa]") != std::string::npos);
}
