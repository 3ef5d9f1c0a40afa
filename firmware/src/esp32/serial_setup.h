// First-boot setup over the serial console: the questions, the answers' validation and the line
// editing. Portable C++17 with no Arduino headers, so the host unit tests (firmware-tests) cover
// it; src/esp32/main.cpp only moves bytes between Serial and these classes and stores the result
// in NVS.
//
// The family (or whoever flashes the dispenser) answers five questions: Wi-Fi name, Wi-Fi
// password, the server's fixed address (optional: mDNS finds it), the enrolment key and the
// dispenser's name. An empty answer keeps the value shown in brackets; "-" clears an optional one.
// "cancelar"/"cancel" leaves without saving when the stored settings are already complete.
#pragma once

#include <string>

namespace pastillero {
namespace setup {

struct Settings {
  std::string ssid;
  std::string password;    // empty = open network
  std::string serverUrl;   // normalised "http://host:port", empty = mDNS only
  std::string apiKey;
  std::string deviceName;

  // Enough to run: Wi-Fi and a key (the server can be found by mDNS).
  bool complete() const { return !ssid.empty() && !apiKey.empty(); }
};

enum class Lang { Es, En };

// --- Validation of single answers. Each returns "" when valid, else a short reason in `lang`.
std::string checkSsid(const std::string& ssid, Lang lang);
std::string checkPassword(const std::string& password, Lang lang);
std::string checkApiKey(const std::string& key, Lang lang);
std::string checkDeviceName(const std::string& name, Lang lang);

// "192.168.1.10", "192.168.1.10:8000", "http://pc.local:8000/", "http://10.0.0.2:8000/api" ->
// "http://192.168.1.10:8000" etc.: http only (the device API is served on the LAN without TLS),
// port 8000 when none is given (the server's default), and the trailing "/" or "/api" removed
// (the core appends the API paths itself). Returns false with a reason on anything else.
bool normalizeServerUrl(const std::string& input, std::string& out, std::string& error, Lang lang);

// Removes leading/trailing spaces and tabs (terminals add them; SSIDs may contain inner spaces).
std::string trim(const std::string& s);

// A console command typed outside the wizard ("setup", "status", ...), lower-cased and trimmed.
std::string normalizeCommand(const std::string& line);

// --- Line editing for a raw serial stream: collects bytes into lines, handles backspace/DEL and
// CR, LF or CRLF endings, and caps the line length (extra bytes are dropped, not wrapped).
class LineReader {
 public:
  explicit LineReader(size_t maxLen = 128) : maxLen_(maxLen) {}
  enum class Result { None, Line, Erased, Stored };
  // Feeds one byte. Line: `line` holds a full line (without its ending). Erased: the last stored
  // byte was removed (echo "\b \b"). Stored: the byte was kept (echo it, or '*' for secrets).
  // None: the byte was ignored.
  Result push(char c, std::string& line);

 private:
  std::string buf_;
  size_t maxLen_;
  bool lastWasCr_ = false;
};

// --- The wizard: a small state machine fed one line at a time.
class Wizard {
 public:
  enum class Step { Ssid, Password, ServerUrl, ApiKey, DeviceName, Confirm, Saved, Cancelled };

  Wizard(const Settings& current, Lang lang);

  // Text to print before reading the next answer (a question with the current value in
  // brackets; secrets are masked). Empty once finished.
  std::string prompt() const;
  // Whether the answer to the current question should be echoed as '*'.
  bool secretInput() const { return step_ == Step::Password || step_ == Step::ApiKey; }
  // Feeds one answer. Returns a message to print ("" when none): an error (the same question is
  // asked again), or the summary before the confirmation.
  std::string feed(const std::string& line);

  Step step() const { return step_; }
  bool finished() const { return step_ == Step::Saved || step_ == Step::Cancelled; }
  bool saved() const { return step_ == Step::Saved; }
  const Settings& result() const { return draft_; }

  // The settings as printed by the summary and the `status` command: password and key masked.
  static std::string describe(const Settings& s, Lang lang);

 private:
  Settings original_;
  Settings draft_;
  Lang lang_;
  Step step_ = Step::Ssid;
};

}  // namespace setup
}  // namespace pastillero
