// Small helpers shared by the core: time formatting, a JSON object builder for state lines and
// request bodies (over cJSON), and a deterministic RNG for the heartbeat jitter.
#pragma once

#include <cstdint>
#include <string>

#include "pastillero/json.h"

namespace pastillero {

// "2026-03-29T08:00:00Z" (seconds precision, UTC).
std::string isoUtc(int64_t epochS);
// "2026-03-29T08:00" from a local epoch (wall time counted as UTC).
std::string isoLocalMinutes(int64_t localEpochS);
// Parses "2026-03-29T08:00:00Z" / "...00.123Z" / "...+01:00"; false when malformed.
bool parseIsoUtc(const std::string& text, int64_t& epochS);

// Owns a cJSON object; add fields fluently, then print compactly.
class Json {
 public:
  Json();
  explicit Json(cJSON* adopt);
  ~Json();
  Json(const Json&) = delete;
  Json& operator=(const Json&) = delete;
  Json(Json&& other) noexcept;

  Json& str(const char* key, const std::string& value);
  Json& num(const char* key, double value);
  Json& boolean(const char* key, bool value);
  Json& null(const char* key);
  Json& obj(const char* key, Json&& value);  // takes the value over
  std::string print() const;
  cJSON* raw() const { return obj_; }

 private:
  cJSON* obj_;
};

// cJSON readers that tolerate missing/mistyped fields.
std::string jsonStr(const cJSON* obj, const char* key, const std::string& fallback = "");
bool jsonInt(const cJSON* obj, const char* key, int64_t& out);  // false unless a number

// xorshift32: small, seedable, identical on both builds.
class Rng {
 public:
  explicit Rng(uint32_t seed) : s_(seed ? seed : 0x9E3779B9u) {}
  uint32_t next();
  uint32_t range(uint32_t lo, uint32_t hi);  // inclusive
 private:
  uint32_t s_;
};

uint32_t fnv1a(const std::string& text);

}  // namespace pastillero
