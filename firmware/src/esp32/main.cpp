// The ESP32 sketch: reads the settings from NVS (asking for them over serial on first boot),
// joins Wi-Fi, builds the adapters and runs the portable core's App. Everything the dispenser
// decides (server discovery, heartbeats, events, schedule, alarms, OTA) happens in the core.
//
// Serial console (115200 baud), besides the state lines the core prints:
//   setup    re-enter the setup (also: hold the button during the first 3 s after power-on)
//   status   show the settings (secrets masked), Wi-Fi and version
//   ota      check for a firmware update now
//   reboot   restart
#include <Arduino.h>
#include <WiFi.h>
#include <esp_mac.h>

#include <memory>

#include "adapters.h"
#include "board.h"
#include "pastillero/app.h"
#include "serial_setup.h"

#ifndef PASTILLERO_FW_VERSION
#define PASTILLERO_FW_VERSION "0.0.0-dev"
#endif

// Keep a new OTA image in "pending verify" until the core has seen a successful heartbeat on it
// (Esp32Updater::markValid). C linkage is required: the Arduino core declares this hook weak in C,
// and a C++-mangled definition would be silently ignored (the image would be confirmed at boot).
extern "C" bool verifyRollbackLater() { return true; }

namespace {

using namespace pastillero;
using pastillero::setup::Lang;
using pastillero::setup::LineReader;
using pastillero::setup::Settings;
using pastillero::setup::Wizard;

#ifdef PASTILLERO_CONSOLE_EN
constexpr Lang kLang = Lang::En;
#else
constexpr Lang kLang = Lang::Es;  // user-facing: Spanish first
#endif

// The setup's own NVS namespace. The core keeps its state in other namespaces.
constexpr const char* kSetupNs = "setup";
constexpr uint32_t kHoldForSetupMs = 3000;
constexpr uint32_t kWizardIdleMs = 5 * 60 * 1000;

esp32::Esp32Http http;
esp32::Esp32Store store;
esp32::Esp32Clock wallClock;
esp32::Esp32Board board;
esp32::SerialSink sink;
esp32::Esp32Updater updater(PASTILLERO_FW_VERSION);
std::unique_ptr<esp32::Esp32Discovery> discovery;
std::unique_ptr<App> app;

LineReader console;
Settings settings;
std::string deviceId;
wl_status_t lastWifi = WL_IDLE_STATUS;

const char* tr(const char* es, const char* en) { return kLang == Lang::Es ? es : en; }

Settings loadSettings() {
  Settings s;
  store.getString(kSetupNs, "ssid", s.ssid);
  store.getString(kSetupNs, "pass", s.password);
  store.getString(kSetupNs, "server", s.serverUrl);
  store.getString(kSetupNs, "key", s.apiKey);
  store.getString(kSetupNs, "name", s.deviceName);
  return s;
}

bool saveSettings(const Settings& s) {
  if (!(store.putString(kSetupNs, "ssid", s.ssid) && store.putString(kSetupNs, "pass", s.password) &&
        store.putString(kSetupNs, "server", s.serverUrl) && store.putString(kSetupNs, "key", s.apiKey) &&
        store.putString(kSetupNs, "name", s.deviceName))) {
    return false;
  }
  // The core keeps the fixed address it was given in its own namespace ("srv"/"fixed", see
  // pastillero/locator.h) and reads it back when none is passed. Clearing the address here must
  // clear that copy too, or the old address would stay in use.
  if (s.serverUrl.empty()) store.erase("srv", "fixed");
  return true;
}

std::string readDeviceId() {
  // The station MAC from eFuse: the same id before and after Wi-Fi starts, and the one
  // HTTPUpdate sends as x-ESP32-STA-MAC.
  uint8_t mac[6] = {0};
  esp_read_mac(mac, ESP_MAC_WIFI_STA);
  char buf[18];
  snprintf(buf, sizeof(buf), "%02X:%02X:%02X:%02X:%02X:%02X", mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
  return buf;
}

// "pastillero-a1b2c3": this dispenser's own mDNS and DHCP host name.
std::string hostName(const std::string& id) {
  std::string tail;
  for (size_t i = 9; i < id.size(); i++) {
    if (id[i] != ':') tail += static_cast<char>(tolower(static_cast<unsigned char>(id[i])));
  }
  return "pastillero-" + tail;
}

// Blocks until the wizard finishes. Saving restarts the device so every part starts from the new
// settings; cancelling returns. Alarms do not ring while the setup is open.
void runSetup() {
  board.setBuzzer(false);
  board.setLed(true);
  Serial.println();
  Serial.println(tr("=== Configuración del pastillero ===", "=== Dispenser setup ==="));
  Serial.println(tr("Intro deja el valor entre corchetes. 'cancelar' sale sin guardar.",
                    "Enter keeps the value in brackets. 'cancel' leaves without saving."));
  Wizard wizard(settings, kLang);
  uint32_t lastInput = millis();
  Serial.print(wizard.prompt().c_str());
  while (!wizard.finished()) {
    if (Serial.available() <= 0) {
      // Someone held the button by accident at power-up and walked away: go back to work.
      if (settings.complete() && millis() - lastInput > kWizardIdleMs) {
        Serial.println();
        Serial.println(tr("Sin respuesta: configuración sin cambios.", "No answer: settings left unchanged."));
        break;
      }
      delay(10);
      continue;
    }
    lastInput = millis();
    std::string line;
    const char c = static_cast<char>(Serial.read());
    switch (console.push(c, line)) {
      case LineReader::Result::Stored:
        Serial.write(wizard.secretInput() ? '*' : c);
        break;
      case LineReader::Result::Erased:
        Serial.print("\b \b");
        break;
      case LineReader::Result::Line: {
        Serial.println();
        const std::string msg = wizard.feed(line);
        if (!msg.empty()) Serial.println(msg.c_str());
        if (!wizard.finished()) Serial.print(wizard.prompt().c_str());
        break;
      }
      case LineReader::Result::None:
        break;
    }
  }
  board.setLed(false);
  if (!wizard.saved()) return;
  if (!saveSettings(wizard.result())) {
    Serial.println(tr("ERROR: no se pudo guardar en la memoria (NVS).", "ERROR: could not save to memory (NVS)."));
    return;
  }
  Serial.println(tr("Guardado. Reiniciando...", "Saved. Restarting..."));
  board.restart();
}

// True when the button is held for kHoldForSetupMs from power-up; the LED blinks meanwhile so
// the person holding it sees that something is about to happen.
bool heldAtBoot() {
  if (!board.buttonHeld()) return false;
  Serial.println(tr("Botón pulsado: siga 3 s para abrir la configuración...",
                    "Button held: keep holding 3 s to open the setup..."));
  const uint32_t start = millis();
  while (millis() - start < kHoldForSetupMs) {
    board.setLed(((millis() - start) / 150) % 2 == 0);
    if (!board.buttonHeld()) {
      board.setLed(false);
      return false;
    }
    delay(10);
  }
  board.setLed(false);
  return true;
}

void printStatus() {
  Serial.printf("Pastillero %s - %s - %s\n", PASTILLERO_FW_VERSION, PASTILLERO_BOARD_NAME, ESP.getChipModel());
  Serial.printf("%s %s\n", tr("Id:", "Id:"), deviceId.c_str());
  Serial.print(Wizard::describe(settings, kLang).c_str());
  if (WiFi.status() == WL_CONNECTED) {
    Serial.printf("Wi-Fi: %s, %s, %d dBm\n", tr("conectado", "connected"), WiFi.localIP().toString().c_str(),
                  WiFi.RSSI());
  } else {
    Serial.printf("Wi-Fi: %s\n", tr("sin conexión", "not connected"));
  }
  if (app) Serial.printf("%s %u\n", tr("Arranque n.º", "Boot #"), static_cast<unsigned>(app->bootCount()));
}

void handleConsole() {
  while (Serial.available() > 0) {
    std::string line;
    const char c = static_cast<char>(Serial.read());
    if (console.push(c, line) != LineReader::Result::Line) continue;
    const std::string cmd = pastillero::setup::normalizeCommand(line);
    if (cmd.empty()) continue;
    if (cmd == "setup" || cmd == "configurar") {
      runSetup();
    } else if (cmd == "status" || cmd == "estado") {
      printStatus();
    } else if (cmd == "ota") {
      if (app) app->requestOtaCheck();
    } else if (cmd == "reboot" || cmd == "reiniciar") {
      board.restart();
    } else {
      Serial.println(tr("Órdenes: setup, status, ota, reboot", "Commands: setup, status, ota, reboot"));
    }
  }
}

void logWifiChanges() {
  const wl_status_t now = WiFi.status();
  if (now == lastWifi) return;
  lastWifi = now;
  if (now == WL_CONNECTED) {
    Serial.printf("# [I] wifi connected: %s, %d dBm\n", WiFi.localIP().toString().c_str(), WiFi.RSSI());
  } else if (now == WL_NO_SSID_AVAIL) {
    Serial.printf("# [W] wifi: network \"%s\" not found (type 'setup' to change it)\n", settings.ssid.c_str());
  } else if (now == WL_CONNECT_FAILED) {
    Serial.println("# [W] wifi: connection failed (wrong password? type 'setup' to change it)");
  } else if (now == WL_DISCONNECTED || now == WL_CONNECTION_LOST) {
    Serial.println("# [W] wifi: disconnected, retrying");
  }
}

}  // namespace

void setup() {
  Serial.begin(115200);
  delay(200);  // let a USB-serial monitor attach before the first lines
  board.begin();
  deviceId = readDeviceId();
  Serial.println();
  Serial.printf("Pastillero %s - %s - %s - %s\n", PASTILLERO_FW_VERSION, PASTILLERO_BOARD_NAME, ESP.getChipModel(),
                deviceId.c_str());

  settings = loadSettings();
  if (!settings.complete()) {
    Serial.println(tr("Primera puesta en marcha: faltan la red Wi-Fi y la clave.",
                      "First start: the Wi-Fi network and the key are missing."));
    runSetup();  // restarts once saved; cannot be cancelled without settings
  } else if (heldAtBoot()) {
    runSetup();
  }

  const std::string host = hostName(deviceId);
  WiFi.setHostname(host.c_str());  // before mode(): the name is applied when the interface starts
  WiFi.mode(WIFI_STA);
  WiFi.setAutoReconnect(true);
  WiFi.begin(settings.ssid.c_str(), settings.password.empty() ? nullptr : settings.password.c_str());
  wallClock.begin();  // after WiFi.mode(): SNTP needs the network stack up

  discovery.reset(new esp32::Esp32Discovery(host));

  AppConfig config;
  config.deviceId = deviceId;
  config.apiKey = settings.apiKey;
  config.fallbackUrl = settings.serverUrl;
  config.discover = true;
  config.factoryVersion = PASTILLERO_FW_VERSION;
  config.name = settings.deviceName;
  config.heartbeatS = 30;
  config.otaCheckS = 6 * 60 * 60;
  config.doseBy = DOSE_BY_COMPARTMENT ? DoseBy::Compartment : DoseBy::SecondPress;

  app.reset(new App(Ports{http, store, wallClock, *discovery, updater, board, sink}, config));
  app->begin();
}

void loop() {
  board.sample();
  handleConsole();
  logWifiChanges();
  app->loop();
  delay(10);
}
