// The payload model: a flat map of dotted keys to strings, its canonical JSON
// form (sorted keys, no whitespace, UTF-8) and its validation (FORMAT.md).
#pragma once

#include <map>
#include <string>

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

// Parses a payload of the file `source`; throws Error(bad_input) naming it
// if it is not a flat object of strings.
Payload parse_payload(const std::string& json, const std::string& source);

}  // namespace buildinfo
