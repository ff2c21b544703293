// Payload validation and its canonical JSON encoding.
#include "record/payload.h"

#include <nlohmann/json.hpp>

#include "support/error.h"

namespace buildinfo {
namespace {

bool valid_utf8(const std::string& s) {
  size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    size_t extra;
    uint32_t cp;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xe0) == 0xc0) {
      extra = 1;
      cp = c & 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
      extra = 2;
      cp = c & 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
      extra = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (s.size() - i <= extra) return false;
    for (size_t k = 1; k <= extra; ++k) {
      const unsigned char cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3f);
    }
    // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
    static const uint32_t kMinimum[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMinimum[extra] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    i += extra + 1;
  }
  return true;
}

}  // namespace

void validate_key(const std::string& key) {
  bool ok = !key.empty() && key.size() <= 128 && key.front() >= 'a' && key.front() <= 'z' && key.back() != '.';
  for (size_t i = 0; ok && i < key.size(); ++i) {
    const char c = key[i];
    ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
    if (c == '.' && i + 1 < key.size() && key[i + 1] == '.') ok = false;
  }
  if (!ok)
    throw Error(ErrorKind::bad_input, "invalid key '" + key +
                                         "': use 1-128 characters of a-z 0-9 _ - . starting with a letter");
}

void validate_value(const std::string& key, const std::string& value) {
  if (!valid_utf8(value)) throw Error(ErrorKind::bad_input, "value of '" + key + "' is not valid UTF-8");
}

std::string canonical_json(const Payload& payload) {
  // nlohmann's object is a std::map: keys come out sorted bytewise, and
  // dump() without indent writes no whitespace and keeps UTF-8 as is.
  nlohmann::json object = nlohmann::json::object();
  for (const auto& [key, value] : payload) object[key] = value;
  return object.dump();
}

Payload parse_payload(const std::string& json, const std::string& source) {
  nlohmann::json object;
  try {
    object = nlohmann::json::parse(json);
  } catch (const nlohmann::json::exception& e) {
    throw Error(ErrorKind::bad_input, source, std::string("payload is not valid JSON (") + e.what() + ")");
  }
  if (!object.is_object()) throw Error(ErrorKind::bad_input, source, "payload is not a JSON object");
  Payload payload;
  for (const auto& [key, value] : object.items()) {
    if (!value.is_string()) throw Error(ErrorKind::bad_input, source, "payload value of '" + key + "' is not a string");
    payload[key] = value.get<std::string>();
  }
  return payload;
}

}  // namespace buildinfo
