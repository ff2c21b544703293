// The tool's side of the slot format: locate, decode and encode (FORMAT.md).
#include "formats/slot_codec.h"

#include <cstring>

#include "../../lib/src/slot_decode.h"
#include "buildinfo/slot_layout.h"

namespace buildinfo {
namespace {

void put_le(std::vector<uint8_t>& out, uint64_t offset, uint64_t value, unsigned bytes) {
  for (unsigned i = 0; i < bytes; ++i) out[offset + i] = static_cast<uint8_t>(value >> (8 * i));
}

}  // namespace

SlotLocation locate_slot_in_section(ByteView file, const std::string& section_name, uint64_t section_offset,
                                    uint64_t section_size, Endian note_endian) {
  const std::string where = "section " + section_name;
  if (!file.contains(section_offset, section_size))
    throw file.malformed(where + " (offset " + std::to_string(section_offset) + ", size " +
                         std::to_string(section_size) + ") lies outside the file");
  ByteView section = file.sub(section_offset, section_size, where.c_str());
  size_t slot_offset = 0;
  size_t descsz = 0;
  const buildinfo_note_defect defect = buildinfo_decode_slot_note(
      section.data(), section.size(), note_endian == Endian::little ? BUILDINFO_LITTLE_ENDIAN : BUILDINFO_BIG_ENDIAN,
      &slot_offset, &descsz);
  if (defect != BUILDINFO_NOTE_VALID)
    throw file.malformed(where + " " + buildinfo_note_defect_text(defect) + " (size " + std::to_string(section_size) +
                         ")");
  ByteView slot = section.sub(slot_offset, descsz, "slot");
  const SlotHeader header = decode_slot_header(slot);
  if (header.capacity != descsz)
    throw file.malformed(where + ": slot capacity " + std::to_string(header.capacity) + " differs from note size " +
                         std::to_string(descsz));

  SlotLocation location{};
  location.section = section_name;
  location.section_offset = section_offset;
  location.section_size = section_size;
  location.slot_offset = section_offset + slot_offset;
  location.capacity = descsz;
  location.slice_offset = 0;
  location.slice_size = file.size();
  return location;
}

SlotHeader decode_slot_header(ByteView slot) {
  buildinfo_slot_header raw;
  const buildinfo_slot_defect defect = buildinfo_decode_slot_header(slot.data(), slot.size(), &raw);
  SlotHeader h;
  h.version = raw.version;
  h.header_size = raw.header_size;
  h.capacity = raw.capacity;
  h.payload_length = raw.payload_length;
  h.signature_algorithm = raw.signature_algorithm;
  h.signature_length = raw.signature_length;
  if (raw.key_id != nullptr) std::memcpy(h.key_id.data(), raw.key_id, BUILDINFO_KEY_ID_SIZE);
  // The decoder's defect, with the numbers that show it.
  switch (defect) {
    case BUILDINFO_SLOT_VALID: return h;
    case BUILDINFO_SLOT_TOO_SMALL:
    case BUILDINFO_SLOT_BAD_MAGIC: throw slot.malformed(buildinfo_slot_defect_text(defect));
    case BUILDINFO_SLOT_UNSUPPORTED_VERSION:
      throw slot.malformed("slot format version " + std::to_string(h.version) + " is not supported (this tool reads " +
                           std::to_string(BUILDINFO_FORMAT_VERSION) + ")");
    case BUILDINFO_SLOT_CAPACITY_OUT_OF_RANGE:
      throw slot.malformed("slot capacity " + std::to_string(h.capacity) + " is outside " +
                           std::to_string(BUILDINFO_MIN_CAPACITY) + " to " + std::to_string(BUILDINFO_MAX_CAPACITY) +
                           " bytes");
    case BUILDINFO_SLOT_BAD_HEADER_SIZE:
      throw slot.malformed("slot header size " + std::to_string(h.header_size) + " is invalid (below " +
                           std::to_string(BUILDINFO_HEADER_SIZE) + " or past the capacity " +
                           std::to_string(h.capacity) + ")");
    case BUILDINFO_SLOT_CAPACITY_OVERRUN:
      throw slot.malformed("slot capacity " + std::to_string(h.capacity) + " exceeds its section");
    case BUILDINFO_SLOT_CONTENTS_OVERRUN:
      throw slot.malformed("slot payload (" + std::to_string(h.payload_length) + " bytes) and signature (" +
                           std::to_string(h.signature_length) + " bytes) overrun the slot capacity " +
                           std::to_string(h.capacity));
  }
  throw slot.malformed(buildinfo_slot_defect_text(defect));
}

UnboundBytes unbound_bytes(ByteView slot, const SlotHeader& header) {
  // `header` came from decode_slot_header, which checked these bounds; a
  // header from elsewhere is checked here before the bytes are read.
  if (header.capacity > slot.size() ||
      uint64_t{header.header_size} + header.payload_length + header.signature_length > header.capacity ||
      header.header_size < BUILDINFO_HEADER_SIZE)
    throw slot.malformed("slot header does not fit the slot");
  const buildinfo_slot_header raw{header.version,
                                  header.header_size,
                                  header.capacity,
                                  header.payload_length,
                                  header.signature_algorithm,
                                  header.signature_length,
                                  slot.data() + BUILDINFO_OFF_KEY_ID};
  buildinfo_unbound_bytes counted;
  buildinfo_count_unbound_bytes(slot.data(), &raw, &counted);
  UnboundBytes result;
  result.checked = counted.checked;
  result.nonzero = counted.nonzero;
  result.first = counted.first;
  if (counted.nonzero != 0) result.first_field = buildinfo_unbound_field_text(counted.first_field);
  return result;
}

std::string slot_payload(ByteView slot, const SlotHeader& header) {
  ByteView bytes = slot.sub(header.header_size, header.payload_length, "payload");
  return std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

std::vector<uint8_t> slot_signature(ByteView slot, const SlotHeader& header) {
  ByteView bytes = slot.sub(uint64_t{header.header_size} + header.payload_length, header.signature_length, "signature");
  return std::vector<uint8_t>(bytes.data(), bytes.data() + bytes.size());
}

std::vector<uint8_t> encode_slot(uint64_t capacity, const SlotContents& contents, const std::string& file) {
  if (!BUILDINFO_CAPACITY_IN_RANGE(capacity))
    throw Error(ErrorKind::bad_input, file,
                "slot capacity " + std::to_string(capacity) + " is outside " + std::to_string(BUILDINFO_MIN_CAPACITY) +
                    " to " + std::to_string(BUILDINFO_MAX_CAPACITY) + " bytes");
  const uint64_t needed = uint64_t{BUILDINFO_HEADER_SIZE} + contents.payload.size() + contents.signature.size();
  if (needed > capacity)
    throw Error(ErrorKind::bad_input, file,
                "record needs " + std::to_string(needed) + " bytes but the slot holds " + std::to_string(capacity) +
                    " bytes; raise the slot capacity (buildinfo_stamp SLOT_SIZE) or drop --set entries");
  if (contents.signature.size() > UINT16_MAX) throw Error(ErrorKind::bad_input, file, "signature is too long");

  std::vector<uint8_t> slot(capacity, 0);
  std::memcpy(slot.data(), BUILDINFO_MAGIC, BUILDINFO_MAGIC_SIZE);
  put_le(slot, BUILDINFO_OFF_VERSION, BUILDINFO_FORMAT_VERSION, 2);
  put_le(slot, BUILDINFO_OFF_HEADER_SIZE, BUILDINFO_HEADER_SIZE, 2);
  put_le(slot, BUILDINFO_OFF_CAPACITY, capacity, 4);
  put_le(slot, BUILDINFO_OFF_PAYLOAD_LENGTH, contents.payload.size(), 4);
  put_le(slot, BUILDINFO_OFF_SIG_ALGORITHM, contents.signature_algorithm, 2);
  put_le(slot, BUILDINFO_OFF_SIG_LENGTH, contents.signature.size(), 2);
  if (contents.signature_algorithm != BUILDINFO_SIG_NONE)
    std::memcpy(slot.data() + BUILDINFO_OFF_KEY_ID, contents.key_id.data(), BUILDINFO_KEY_ID_SIZE);
  std::memcpy(slot.data() + BUILDINFO_HEADER_SIZE, contents.payload.data(), contents.payload.size());
  if (!contents.signature.empty())
    std::memcpy(slot.data() + BUILDINFO_HEADER_SIZE + contents.payload.size(), contents.signature.data(),
                contents.signature.size());
  return slot;
}

}  // namespace buildinfo
