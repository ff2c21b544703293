// The tool's side of the slot format (FORMAT.md): find the note that wraps a
// slot inside a section, decode a slot header, encode a stamped slot.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "formats/binary_format.h"
#include "support/byte_view.h"

namespace buildinfo {

struct SlotHeader {
  uint32_t version = 0;
  uint32_t header_size = 0;
  uint32_t capacity = 0;
  uint32_t payload_length = 0;
  uint32_t signature_algorithm = 0;
  uint32_t signature_length = 0;
  std::array<uint8_t, 32> key_id{};
};

// Checks that the section at [section_offset, +section_size) holds a
// buildinfo note (header in `note_endian`, name "buildinfo", slot magic) and
// fills the slot fields of a SlotLocation. Throws malformed() naming the defect.
SlotLocation locate_slot_in_section(ByteView file, const std::string& section_name, uint64_t section_offset,
                                    uint64_t section_size, Endian note_endian);

// Decodes and checks the header of the slot bytes `slot` (capacity bytes).
SlotHeader decode_slot_header(ByteView slot);

// The bytes of a slot that neither the signature nor image.sha256 binds,
// which must therefore be zero (FORMAT.md, "Bound bytes"): the header's
// flags and reserved words, header bytes past the 64 this version defines,
// and the padding after the signature; in an unsigned stamp also the
// signature length, the key id and any signature bytes; in a slot that is
// not stamped, everything after the capacity field.
struct UnboundBytes {
  uint64_t nonzero = 0;     // how many of them are not zero
  uint64_t first = 0;       // slot offset of the first nonzero one
  std::string first_field;  // what that byte is ("padding", "flags"...)
  uint64_t checked = 0;     // how many bytes were checked
};
UnboundBytes unbound_bytes(ByteView slot, const SlotHeader& header);

// The payload bytes of a stamped slot (empty when not stamped).
std::string slot_payload(ByteView slot, const SlotHeader& header);
// The signature bytes of a stamped slot.
std::vector<uint8_t> slot_signature(ByteView slot, const SlotHeader& header);

struct SlotContents {
  std::string payload;
  uint32_t signature_algorithm = 0;
  std::array<uint8_t, 32> key_id{};
  std::vector<uint8_t> signature;
};

// The full slot bytes (exactly `capacity` long) holding `contents`. Throws
// Error(bad_input) naming `file` and both sizes when the contents do not fit.
std::vector<uint8_t> encode_slot(uint64_t capacity, const SlotContents& contents, const std::string& file = "");

}  // namespace buildinfo
