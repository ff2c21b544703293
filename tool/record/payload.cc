// Payload validation and its canonical JSON encoding.
#include "record/payload.h"

#include <vector>

#include <nlohmann/json.hpp>

#include "../../lib/src/slot_decode.h"

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
    throw Error(ErrorKind::bad_input,
                "invalid key '" + key + "': use 1-128 characters of a-z 0-9 _ - . starting with a letter");
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

PayloadReading read_payload(const std::string& bytes) {
  std::vector<buildinfo_field> fields(buildinfo_payload_max_fields(bytes.size()));
  std::vector<char> text(bytes.size());
  const buildinfo_payload_storage storage{fields.data(), fields.size(), text.data(), text.size()};
  buildinfo_payload_result result;
  const buildinfo_payload_defect defect =
      buildinfo_decode_payload(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), &storage, &result);
  PayloadReading reading;
  reading.canonical = defect == BUILDINFO_PAYLOAD_CANONICAL;
  reading.flat_object = reading.canonical || buildinfo_payload_defect_is_canonical_only(defect) != 0;
  if (!reading.canonical) {
    reading.defect = buildinfo_payload_defect_text(defect);
    reading.defect_offset = result.defect_offset;
    return reading;
  }
  for (size_t i = 0; i < result.field_count; ++i)
    reading.fields.emplace(std::string(fields[i].key, fields[i].key_size),
                           std::string(fields[i].value, fields[i].value_size));
  return reading;
}

Error payload_error(const PayloadReading& reading, const std::string& source) {
  return Error(ErrorKind::bad_input, source,
               std::string(reading.flat_object ? "payload is not in canonical form: "
                                               : "payload is not a flat JSON object of strings: ") +
                   reading.defect + " at payload offset " + std::to_string(reading.defect_offset));
}

Payload parse_payload(const std::string& bytes, const std::string& source) {
  PayloadReading reading = read_payload(bytes);
  if (!reading.canonical) throw payload_error(reading, source);
  return std::move(reading.fields);
}

}  // namespace buildinfo
