#include "serial_setup.h"

#include <cctype>
#include <cstdlib>

namespace pastillero {
namespace setup {
namespace {

// One message per language; the console never mixes the two on one screen.
const char* tr(Lang lang, const char* es, const char* en) { return lang == Lang::Es ? es : en; }

bool isHex(const std::string& s) {
  for (char c : s) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

bool hasControlChars(const std::string& s) {
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) return true;
  }
  return false;
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string mask(const std::string& secret) {
  if (secret.empty()) return "";
  // Enough to recognise which key is stored, not enough to use it.
  if (secret.size() <= 6) return std::string(secret.size(), '*');
  return secret.substr(0, 2) + std::string(secret.size() - 4, '*') + secret.substr(secret.size() - 2);
}

bool isCancel(const std::string& answer) {
  const std::string a = lower(answer);
  return a == "cancelar" || a == "cancel";
}

bool isClear(const std::string& answer) { return answer == "-"; }

}  // namespace

std::string trim(const std::string& s) {
  size_t b = 0;
  size_t e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t')) --e;
  return s.substr(b, e - b);
}

std::string normalizeCommand(const std::string& line) { return lower(trim(line)); }

std::string checkSsid(const std::string& ssid, Lang lang) {
  // 802.11 limits the SSID to 32 bytes (UTF-8 names count every byte).
  if (ssid.empty()) return tr(lang, "El nombre de la red no puede estar vacío.", "The network name cannot be empty.");
  if (ssid.size() > 32) return tr(lang, "El nombre de la red tiene como máximo 32 bytes.", "The network name is at most 32 bytes.");
  if (hasControlChars(ssid)) return tr(lang, "El nombre de la red tiene caracteres no válidos.", "The network name has invalid characters.");
  return "";
}

std::string checkPassword(const std::string& password, Lang lang) {
  // WPA/WPA2 passphrases are 8-63 printable ASCII characters, or exactly 64 hex digits (the raw
  // PSK). Empty means an open network.
  if (password.empty()) return "";
  if (password.size() == 64) {
    if (isHex(password)) return "";
    return tr(lang, "Una clave de 64 caracteres debe ser hexadecimal.", "A 64-character password must be hexadecimal.");
  }
  if (password.size() < 8 || password.size() > 63) {
    return tr(lang, "La contraseña Wi-Fi tiene de 8 a 63 caracteres.", "A Wi-Fi password has 8 to 63 characters.");
  }
  for (char c : password) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u > 0x7e) {
      return tr(lang, "La contraseña Wi-Fi solo admite caracteres ASCII imprimibles.", "A Wi-Fi password takes printable ASCII characters only.");
    }
  }
  return "";
}

std::string checkApiKey(const std::string& key, Lang lang) {
  if (key.empty()) return tr(lang, "La clave es obligatoria (la muestra la página de ajustes del panel).", "The key is required (the dashboard's settings page shows it).");
  if (key.size() > 128) return tr(lang, "La clave tiene como máximo 128 caracteres.", "The key is at most 128 characters.");
  for (char c : key) {
    const auto u = static_cast<unsigned char>(c);
    // It travels in an HTTP header: visible ASCII only.
    if (u <= 0x20 || u > 0x7e) return tr(lang, "La clave no admite espacios ni caracteres especiales.", "The key takes no spaces or special characters.");
  }
  return "";
}

std::string checkDeviceName(const std::string& name, Lang lang) {
  if (name.empty()) return tr(lang, "El nombre no puede estar vacío.", "The name cannot be empty.");
  if (name.size() > 64) return tr(lang, "El nombre tiene como máximo 64 bytes.", "The name is at most 64 bytes.");
  if (hasControlChars(name)) return tr(lang, "El nombre tiene caracteres no válidos.", "The name has invalid characters.");
  return "";
}

bool normalizeServerUrl(const std::string& input, std::string& out, std::string& error, Lang lang) {
  std::string s = trim(input);
  const std::string bad = tr(lang, "Dirección no válida. Ejemplo: 192.168.1.10:8000", "Invalid address. Example: 192.168.1.10:8000");
  if (s.empty()) {
    error = bad;
    return false;
  }
  const std::string low = lower(s);
  if (low.rfind("https://", 0) == 0) {
    error = tr(lang, "Use http://: el servidor atiende a los dispensadores sin TLS en la red local.", "Use http://: the server serves dispensers without TLS on the local network.");
    return false;
  }
  if (low.rfind("http://", 0) == 0) {
    s = s.substr(7);
  } else if (s.find("://") != std::string::npos) {
    error = bad;
    return false;
  }
  // host[:port][/path]
  std::string path;
  const size_t slash = s.find('/');
  if (slash != std::string::npos) {
    path = s.substr(slash);
    s = s.substr(0, slash);
  }
  while (!path.empty() && path.back() == '/') path.pop_back();
  if (lower(path) == "/api") path.clear();
  if (!path.empty()) {
    error = bad;
    return false;
  }
  std::string host = s;
  std::string port = "8000";
  const size_t colon = s.rfind(':');
  if (colon != std::string::npos) {
    host = s.substr(0, colon);
    port = s.substr(colon + 1);
    if (port.empty() || port.size() > 5) {
      error = bad;
      return false;
    }
    for (char c : port) {
      if (!std::isdigit(static_cast<unsigned char>(c))) {
        error = bad;
        return false;
      }
    }
    const long p = std::strtol(port.c_str(), nullptr, 10);
    if (p < 1 || p > 65535) {
      error = bad;
      return false;
    }
    port = std::to_string(p);
  }
  if (host.empty() || host.size() > 253) {
    error = bad;
    return false;
  }
  for (char c : host) {
    const auto u = static_cast<unsigned char>(c);
    if (!(std::isalnum(u) || c == '.' || c == '-')) {
      error = bad;
      return false;
    }
  }
  out = "http://" + lower(host) + ":" + port;
  error.clear();
  return true;
}

LineReader::Result LineReader::push(char c, std::string& line) {
  if (c == '\n' && lastWasCr_) {  // the LF of a CRLF pair
    lastWasCr_ = false;
    return Result::None;
  }
  lastWasCr_ = (c == '\r');
  if (c == '\r' || c == '\n') {
    line = buf_;
    buf_.clear();
    return Result::Line;
  }
  if (c == '\b' || c == 0x7f) {
    if (buf_.empty()) return Result::None;
    // Drop a whole UTF-8 sequence, not just its last byte (names like "Cocina Señora").
    while (!buf_.empty() && (static_cast<unsigned char>(buf_.back()) & 0xC0) == 0x80) buf_.pop_back();
    if (!buf_.empty()) buf_.pop_back();
    return Result::Erased;
  }
  const auto u = static_cast<unsigned char>(c);
  if (u < 0x20) return Result::None;  // other control bytes (ESC sequences' lead, tabs...)
  if (buf_.size() >= maxLen_) return Result::None;
  buf_.push_back(c);
  return Result::Stored;
}

Wizard::Wizard(const Settings& current, Lang lang) : original_(current), draft_(current), lang_(lang) {
  if (draft_.deviceName.empty()) draft_.deviceName = "Pastillero";
}

std::string Wizard::prompt() const {
  auto withCurrent = [this](const char* es, const char* en, const std::string& shown) {
    std::string p = tr(lang_, es, en);
    if (!shown.empty()) p += " [" + shown + "]";
    return p + ": ";
  };
  switch (step_) {
    case Step::Ssid:
      return withCurrent("Red Wi-Fi (SSID)", "Wi-Fi network (SSID)", draft_.ssid);
    case Step::Password:
      return withCurrent("Contraseña Wi-Fi (vacía = red abierta, - = borrar)",
                         "Wi-Fi password (empty = open network, - = clear)", mask(draft_.password));
    case Step::ServerUrl:
      return withCurrent("Dirección fija del servidor, p. ej. 192.168.1.10:8000 (opcional: se busca por mDNS; - = ninguna)",
                         "Server's fixed address, e.g. 192.168.1.10:8000 (optional: found by mDNS; - = none)",
                         draft_.serverUrl);
    case Step::ApiKey:
      return withCurrent("Clave de los dispensadores (página de ajustes del panel)",
                         "Dispenser key (the dashboard's settings page)", mask(draft_.apiKey));
    case Step::DeviceName:
      return withCurrent("Nombre del dispensador", "Dispenser name", draft_.deviceName);
    case Step::Confirm:
      return tr(lang_, "¿Guardar y reiniciar? (s/n): ", "Save and restart? (y/n): ");
    case Step::Saved:
    case Step::Cancelled:
      break;
  }
  return "";
}

std::string Wizard::feed(const std::string& rawLine) {
  if (finished()) return "";
  // Passwords may start or end with spaces: keep them as typed. Everything else is trimmed.
  const std::string answer = step_ == Step::Password ? rawLine : trim(rawLine);

  if (isCancel(trim(rawLine))) {
    if (original_.complete()) {
      step_ = Step::Cancelled;
      draft_ = original_;
      return tr(lang_, "Configuración sin cambios.", "Settings left unchanged.");
    }
    return tr(lang_, "Falta la configuración mínima (red Wi-Fi y clave): no se puede cancelar.",
              "The minimum settings (Wi-Fi network and key) are missing: cannot cancel.");
  }

  switch (step_) {
    case Step::Ssid: {
      if (answer.empty() && !draft_.ssid.empty()) {
        step_ = Step::Password;
        return "";
      }
      const std::string err = checkSsid(answer, lang_);
      if (!err.empty()) return err;
      draft_.ssid = answer;
      step_ = Step::Password;
      return "";
    }
    case Step::Password: {
      if (answer.empty()) {
        // Keep the stored one; on first setup that means an open network.
        step_ = Step::ServerUrl;
        return "";
      }
      if (isClear(answer)) {
        draft_.password.clear();
        step_ = Step::ServerUrl;
        return "";
      }
      const std::string err = checkPassword(answer, lang_);
      if (!err.empty()) return err;
      draft_.password = answer;
      step_ = Step::ServerUrl;
      return "";
    }
    case Step::ServerUrl: {
      if (answer.empty()) {
        step_ = Step::ApiKey;
        return "";
      }
      if (isClear(answer)) {
        draft_.serverUrl.clear();
        step_ = Step::ApiKey;
        return "";
      }
      std::string url;
      std::string err;
      if (!normalizeServerUrl(answer, url, err, lang_)) return err;
      draft_.serverUrl = url;
      step_ = Step::ApiKey;
      return "";
    }
    case Step::ApiKey: {
      if (answer.empty() && !draft_.apiKey.empty()) {
        step_ = Step::DeviceName;
        return "";
      }
      const std::string err = checkApiKey(answer, lang_);
      if (!err.empty()) return err;
      draft_.apiKey = answer;
      step_ = Step::DeviceName;
      return "";
    }
    case Step::DeviceName: {
      if (!answer.empty()) {
        const std::string err = checkDeviceName(answer, lang_);
        if (!err.empty()) return err;
        draft_.deviceName = answer;
      }
      step_ = Step::Confirm;
      return describe(draft_, lang_);
    }
    case Step::Confirm: {
      const std::string a = lower(answer);
      if (a == "s" || a == "si" || a == "sí" || a == "y" || a == "yes") {
        step_ = Step::Saved;
        return "";
      }
      if (a == "n" || a == "no") {
        step_ = Step::Ssid;  // start over, keeping what was typed as the bracketed defaults
        return tr(lang_, "De nuevo desde el principio.", "Again from the start.");
      }
      return tr(lang_, "Responda s o n.", "Answer y or n.");
    }
    case Step::Saved:
    case Step::Cancelled:
      break;
  }
  return "";
}

std::string Wizard::describe(const Settings& s, Lang lang) {
  const std::string none = tr(lang, "(ninguna)", "(none)");
  std::string out;
  out += tr(lang, "  Red Wi-Fi:   ", "  Wi-Fi:       ");
  out += s.ssid.empty() ? none : s.ssid;
  out += "\n";
  out += tr(lang, "  Contraseña:  ", "  Password:    ");
  out += s.password.empty() ? tr(lang, "(red abierta)", "(open network)") : mask(s.password);
  out += "\n";
  out += tr(lang, "  Servidor:    ", "  Server:      ");
  out += s.serverUrl.empty() ? tr(lang, "(solo mDNS)", "(mDNS only)") : s.serverUrl;
  out += "\n";
  out += tr(lang, "  Clave:       ", "  Key:         ");
  out += s.apiKey.empty() ? none : mask(s.apiKey);
  out += "\n";
  out += tr(lang, "  Nombre:      ", "  Name:        ");
  out += s.deviceName;
  out += "\n";
  return out;
}

}  // namespace setup
}  // namespace pastillero
