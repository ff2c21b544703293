// Shared body of the per-format fuzz targets: scan a binary with one reader,
// then decode every slot it reports and compute its image digest.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "binary_format.h"
#include "byte_view.h"
#include "error.h"
#include "image_digest.h"
#include "slot_codec.h"

namespace buildinfo::fuzz {

// Decodes the slot header and payload of `slot`; malformed slots throw Error.
inline void decode_slot(ByteView file, const SlotLocation& slot) {
  try {
    const ByteView bytes = file.sub(slot.slot_offset, slot.capacity, "slot");
    const SlotHeader header = decode_slot_header(bytes);
    (void)slot_payload(bytes, header);
    (void)slot_signature(bytes, header);
  } catch (const Error&) {
  }
}

// The image digest of `slot`; structures the walker cannot follow throw Error.
inline void digest_slot(ByteView file, const BinaryFacts& facts, const SlotLocation& slot) {
  try {
    (void)image_digest(file, facts, slot);
  } catch (const Error&) {
  }
}

// The body every format target shares: when `matches` accepts the input,
// scans it with `scan`, then digests and decodes every slot found. Returns
// the facts for the target's own further checks, or nothing when the reader
// does not take the input or refuses it (Error).
inline std::optional<BinaryFacts> scan_and_check_slots(ByteView file, bool (*matches)(ByteView),
                                                       BinaryFacts (*scan)(ByteView)) {
  if (!matches(file)) return std::nullopt;
  BinaryFacts facts;
  try {
    facts = scan(file);
  } catch (const Error&) {
    return std::nullopt;
  }
  for (const SlotLocation& slot : facts.slots) {
    digest_slot(file, facts, slot);
    decode_slot(file, slot);
  }
  return facts;
}

}  // namespace buildinfo::fuzz
