// The payload model: a flat map of dotted keys to strings, its canonical JSON
// form (sorted keys, no whitespace, UTF-8) and its validation (FORMAT.md).
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "support/error.h"

namespace buildinfo {

using Payload = std::map<std::string, std::string>;

// The value of the `format` key this tool writes.
constexpr const char* kPayloadFormat = "1";
// The prefix under which `--set KEY=VALUE` entries are stored.
constexpr const char* kCustomPrefix = "custom.";

// Keys: 1..128 bytes of [a-z0-9_.-], starting with a letter, no empty
// dotted part. Throws Error(bad_input) naming the key otherwise.
void validate_key(const std::string& key);

// Values must be valid UTF-8 (JSON text); throws Error(bad_input) naming the key.
void validate_value(const std::string& key, const std::string& value);

// Canonical JSON: {"a":"1","b":"2"}, keys sorted bytewise, no whitespace.
std::string canonical_json(const Payload& payload);

// A payload read by the grammar of FORMAT.md (the decoder the runtime
// uses too, lib/src/slot_decode.h).
struct PayloadReading {
  bool canonical = false;    // valid: a flat object of strings in canonical form
  bool flat_object = false;  // a flat JSON object of strings, canonical or not
  std::string defect;        // what is wrong, when not canonical
  uint64_t defect_offset = 0;
  Payload fields;  // when canonical
};
PayloadReading read_payload(const std::string& bytes);

// The error for a payload of the file `source` that is not canonical.
Error payload_error(const PayloadReading& reading, const std::string& source);

// The fields of a canonical payload of the file `source`; throws
// Error(bad_input) naming it and the defect otherwise.
Payload parse_payload(const std::string& bytes, const std::string& source);

}  // namespace buildinfo
