#include "pastillero/util.h"

#include <cctype>
#include <cstdio>
#include <cstdlib>

#include "pastillero/ports.h"
#include "pastillero/tz.h"

namespace pastillero {

std::string HttpResponse::header(const std::string& name) const {
  for (const auto& h : headers) {
    if (h.name.size() != name.size()) continue;
    bool same = true;
    for (size_t i = 0; i < name.size() && same; i++)
      same = std::tolower(static_cast<unsigned char>(h.name[i])) ==
             std::tolower(static_cast<unsigned char>(name[i]));
    if (same) return h.value;
  }
  return "";
}

std::string isoUtc(int64_t epochS) {
  const CivilTime c = civilFromEpoch(epochS);
  char buf[32];
  snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", c.year, c.month, c.day, c.hour,
           c.minute, c.second);
  return buf;
}

std::string isoLocalMinutes(int64_t localEpochS) {
  const CivilTime c = civilFromEpoch(localEpochS);
  char buf[32];
  snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d", c.year, c.month, c.day, c.hour, c.minute);
  return buf;
}

bool parseIsoUtc(const std::string& t, int64_t& epochS) {
  int y, mo, d, h, mi, s;
  if (t.size() < 19 || sscanf(t.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d", &y, &mo, &d, &h, &mi, &s) != 6)
    return false;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return false;
  size_t i = 19;
  if (i < t.size() && t[i] == '.') {
    i++;
    while (i < t.size() && std::isdigit(static_cast<unsigned char>(t[i]))) i++;
  }
  int64_t offset = 0;
  if (i < t.size() && (t[i] == 'Z' || t[i] == 'z')) {
    i++;
  } else if (i < t.size() && (t[i] == '+' || t[i] == '-')) {
    int oh = 0, om = 0;
    if (sscanf(t.c_str() + i + 1, "%2d:%2d", &oh, &om) != 2) return false;
    offset = (oh * 3600 + om * 60) * (t[i] == '-' ? -1 : 1);
    i += 6;
  } else {
    return false;
  }
  if (i != t.size()) return false;
  epochS = epochFromCivil(y, mo, d, h, mi, s) - offset;
  return true;
}

Json::Json() : obj_(cJSON_CreateObject()) {}
Json::Json(cJSON* adopt) : obj_(adopt) {}
Json::~Json() { cJSON_Delete(obj_); }
Json::Json(Json&& other) noexcept : obj_(other.obj_) { other.obj_ = nullptr; }

Json& Json::str(const char* key, const std::string& value) {
  cJSON_AddItemToObject(obj_, key, cJSON_CreateString(value.c_str()));
  return *this;
}
Json& Json::num(const char* key, double value) {
  cJSON_AddItemToObject(obj_, key, cJSON_CreateNumber(value));
  return *this;
}
Json& Json::boolean(const char* key, bool value) {
  cJSON_AddItemToObject(obj_, key, cJSON_CreateBool(value));
  return *this;
}
Json& Json::null(const char* key) {
  cJSON_AddItemToObject(obj_, key, cJSON_CreateNull());
  return *this;
}
Json& Json::obj(const char* key, Json&& value) {
  cJSON_AddItemToObject(obj_, key, value.obj_);
  value.obj_ = nullptr;
  return *this;
}
std::string Json::print() const {
  char* text = cJSON_PrintUnformatted(obj_);
  std::string out = text ? text : "{}";
  cJSON_free(text);
  return out;
}

std::string jsonStr(const cJSON* obj, const char* key, const std::string& fallback) {
  const cJSON* item = cJSON_GetObjectItemCaseSensitive(obj, key);
  return cJSON_IsString(item) && item->valuestring ? item->valuestring : fallback;
}

bool jsonInt(const cJSON* obj, const char* key, int64_t& out) {
  const cJSON* item = cJSON_GetObjectItemCaseSensitive(obj, key);
  if (!cJSON_IsNumber(item)) return false;
  out = static_cast<int64_t>(item->valuedouble);
  return true;
}

uint32_t Rng::next() {
  s_ ^= s_ << 13;
  s_ ^= s_ >> 17;
  s_ ^= s_ << 5;
  return s_;
}

uint32_t Rng::range(uint32_t lo, uint32_t hi) {
  if (hi <= lo) return lo;
  return lo + next() % (hi - lo + 1);
}

uint32_t fnv1a(const std::string& text) {
  uint32_t h = 2166136261u;
  for (unsigned char c : text) h = (h ^ c) * 16777619u;
  return h;
}

}  // namespace pastillero
