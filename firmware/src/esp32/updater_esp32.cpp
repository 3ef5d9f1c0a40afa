// Updater port: Arduino's Update writes the inactive OTA slot and checks the MD5; esp_ota_* tells
// whether the running image still awaits confirmation. main.cpp defines verifyRollbackLater() so
// that Arduino does not confirm a new image before setup(): the core confirms it after the first
// successful heartbeat, and a reset before that makes the bootloader go back to the old image.
#include <Update.h>
#include <esp_ota_ops.h>

#include "adapters.h"

#if !defined(CONFIG_BOOTLOADER_APP_ROLLBACK_ENABLE)
#warning "This Arduino-ESP32 build has no bootloader rollback: a bad OTA image will not roll back by itself"
#endif

namespace pastillero {
namespace esp32 {
namespace {

// The core reports these strings in `ota_fail` events; keep them short and stable.
std::string describeUpdateError() {
  switch (Update.getError()) {
    case UPDATE_ERROR_MD5:
      return "md5 mismatch";
    case UPDATE_ERROR_MAGIC_BYTE:
      return "bad magic byte";
    case UPDATE_ERROR_SPACE:
      return "image does not fit";
    case UPDATE_ERROR_SIZE:
      return "size mismatch";
    case UPDATE_ERROR_ABORT:
      return "incomplete image";
    case UPDATE_ERROR_NO_PARTITION:
      return "no OTA partition";
    default:
      return Update.errorString();
  }
}

}  // namespace

bool Esp32Updater::begin(size_t size) {
  error_.clear();
  if (Update.isRunning()) Update.abort();
  if (!Update.begin(size, U_FLASH)) {
    error_ = describeUpdateError();
    return false;
  }
  return true;
}

size_t Esp32Updater::write(const uint8_t* data, size_t len) {
  const size_t n = Update.write(const_cast<uint8_t*>(data), len);
  if (n != len) error_ = describeUpdateError();
  return n;
}

bool Esp32Updater::end(const std::string& md5Hex) {
  if (!md5Hex.empty() && !Update.setMD5(md5Hex.c_str())) {
    error_ = "bad x-MD5 header";
    Update.abort();
    return false;
  }
  // end() compares the MD5 of what was written and, only when it matches, makes the new slot
  // the next boot partition (state "new" -> "pending verify" at its first boot).
  if (!Update.end()) {
    error_ = describeUpdateError();
    return false;
  }
  return true;
}

void Esp32Updater::abort() {
  if (Update.isRunning()) Update.abort();
}

bool Esp32Updater::runningPendingVerify() {
  esp_ota_img_states_t state;
  return esp_ota_get_state_partition(esp_ota_get_running_partition(), &state) == ESP_OK &&
         state == ESP_OTA_IMG_PENDING_VERIFY;
}

bool Esp32Updater::markValid() { return esp_ota_mark_app_valid_cancel_rollback() == ESP_OK; }

bool Esp32Updater::rollback() {
  // Nothing to write: the running image is still pending verification, and the restart the core
  // does next makes the bootloader mark it aborted and boot the previous one. (In practice the
  // bootloader has already done this at the first unconfirmed reset, before the core's own
  // count of unconfirmed boots could ask for it.)
  return runningPendingVerify() && esp_ota_check_rollback_is_possible();
}

uint32_t Esp32Updater::sketchSize() { return ESP.getSketchSize(); }
uint32_t Esp32Updater::freeSpace() { return ESP.getFreeSketchSpace(); }
uint32_t Esp32Updater::chipSize() { return ESP.getFlashChipSize(); }
std::string Esp32Updater::sketchMd5() { return ESP.getSketchMD5().c_str(); }

}  // namespace esp32
}  // namespace pastillero
