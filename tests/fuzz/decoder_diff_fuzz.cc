// Differential fuzz target: the same bytes go to every reader of the record
// that remains, and all must reach the same verdict.
//
// - Input that starts with the slot magic is a slot: the runtime's
//   parse_slot (what the program reads) and the tool's path through a slot
//   (decode_slot_header, unbound_bytes, read_payload: what `verify` and
//   `inspect` read) must agree on valid or not, not stamped, the fields and
//   the key id.
// - Any other input is a payload: the tool's read_payload, the runtime's
//   parse_slot on a slot that holds it, and nlohmann's JSON parser with
//   canonical_json as an independent definition of canonical form ("valid"
//   exactly when it parses to a flat object of strings whose canonical JSON
//   is the input) must agree on valid or not and on the fields. A payload the
//   decoder calls canonical-only defective must be a flat object of strings
//   to nlohmann too.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "buildinfo/buildinfo.h"
#include "buildinfo/slot_layout.h"
#include "formats/slot_codec.h"
#include "record/payload.h"
#include "support/error.h"
#include "support/hex.h"

namespace {

using Fields = std::map<std::string, std::string>;

struct RuntimeVerdict {
  int status = BUILDINFO_CORRUPT;
  Fields fields;
  std::string key_id;
};

RuntimeVerdict runtime_read(const uint8_t* slot, size_t size) {
  std::vector<void*> storage(buildinfo_parse_storage_size(size) / sizeof(void*) + 1);
  buildinfo_record record;
  RuntimeVerdict verdict;
  verdict.status = buildinfo_parse_slot(slot, size, storage.data(), storage.size() * sizeof(void*), &record);
  for (size_t i = 0; i < record.field_count; ++i)
    verdict.fields.emplace(std::string(record.fields[i].key, record.fields[i].key_size),
                           std::string(record.fields[i].value, record.fields[i].value_size));
  verdict.key_id.assign(record.key_id, record.key_id_size);
  return verdict;
}

// nlohmann's reading: whether `text` is a flat object of strings, its
// fields (the last of repeated keys, as nlohmann keeps them), and whether
// canonical_json of them gives the input back.
struct OracleVerdict {
  bool flat_object = false;
  bool canonical = false;
  Fields fields;
};

OracleVerdict oracle_read(const std::string& text) {
  OracleVerdict verdict;
  const nlohmann::json parsed = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded() || !parsed.is_object()) return verdict;
  for (const auto& [key, value] : parsed.items()) {
    if (!value.is_string()) return verdict;
    verdict.fields[key] = value.get<std::string>();
  }
  verdict.flat_object = true;
  verdict.canonical = buildinfo::canonical_json(verdict.fields) == text;
  return verdict;
}

void check_payload(const std::string& text) {
  const buildinfo::PayloadReading tool = buildinfo::read_payload(text);
  const OracleVerdict oracle = oracle_read(text);
  if (tool.canonical != oracle.canonical) __builtin_trap();
  if (tool.flat_object && !oracle.flat_object) __builtin_trap();
  if (tool.canonical && tool.fields != oracle.fields) __builtin_trap();

  // The runtime reads the same payload from a slot.
  if (text.empty() || text.size() > BUILDINFO_MAX_CAPACITY - BUILDINFO_HEADER_SIZE) return;
  buildinfo::SlotContents contents;
  contents.payload = text;
  const uint64_t capacity = std::max<uint64_t>(BUILDINFO_MIN_CAPACITY, BUILDINFO_HEADER_SIZE + text.size());
  const std::vector<uint8_t> slot = buildinfo::encode_slot(capacity, contents);
  const RuntimeVerdict runtime = runtime_read(slot.data(), slot.size());
  if ((runtime.status == BUILDINFO_OK) != tool.canonical) __builtin_trap();
  if (runtime.status != BUILDINFO_OK && runtime.status != BUILDINFO_CORRUPT) __builtin_trap();
  if (tool.canonical && runtime.fields != tool.fields) __builtin_trap();
}

void check_slot(const uint8_t* data, size_t size) {
  const RuntimeVerdict runtime = runtime_read(data, size);
  bool valid = false, stamped = false;
  Fields fields;
  std::string key_id;
  try {
    const buildinfo::ByteView slot(data, size);
    const buildinfo::SlotHeader header = buildinfo::decode_slot_header(slot);
    if (buildinfo::unbound_bytes(slot, header).nonzero == 0) {
      stamped = header.payload_length != 0;
      const buildinfo::PayloadReading reading = buildinfo::read_payload(buildinfo::slot_payload(slot, header));
      valid = !stamped || reading.canonical;
      fields = reading.fields;
      if (header.signature_algorithm != BUILDINFO_SIG_NONE)
        key_id = buildinfo::hex(header.key_id.data(), header.key_id.size());
    }
  } catch (const buildinfo::Error& e) {
    // The runtime tells a newer format version apart; the tool names it.
    if ((runtime.status == BUILDINFO_UNSUPPORTED) != (std::strstr(e.what(), "format version") != nullptr))
      __builtin_trap();
  }
  const bool runtime_valid = runtime.status == BUILDINFO_OK || runtime.status == BUILDINFO_NOT_STAMPED;
  if (runtime_valid != valid) __builtin_trap();
  if (!valid) return;
  if ((runtime.status == BUILDINFO_OK) != stamped) __builtin_trap();
  if (stamped && (runtime.fields != fields || runtime.key_id != key_id)) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size >= BUILDINFO_MAGIC_SIZE && std::memcmp(data, BUILDINFO_MAGIC, BUILDINFO_MAGIC_SIZE) == 0)
    check_slot(data, size);
  else
    check_payload(std::string(reinterpret_cast<const char*>(data), size));
  return 0;
}
