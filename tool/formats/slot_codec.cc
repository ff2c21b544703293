// The tool's side of the slot format: locate, decode and encode (FORMAT.md).
#include "formats/slot_codec.h"

#include <cstring>

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
    throw file.malformed(where + " (offset " + std::to_string(section_offset) + ", size " + std::to_string(section_size) +
                    ") lies outside the file");
  if (section_size < BUILDINFO_NOTE_HEADER_SIZE + BUILDINFO_HEADER_SIZE)
    throw file.malformed(where + " is too small to hold a buildinfo slot");
  ByteView section = file.sub(section_offset, section_size, where.c_str());
  const uint32_t namesz = section.read<uint32_t>(0, note_endian, "note namesz");
  const uint32_t descsz = section.read<uint32_t>(4, note_endian, "note descsz");
  const uint32_t type = section.read<uint32_t>(8, note_endian, "note type");
  if (namesz != BUILDINFO_NOTE_NAME_SIZE || type != BUILDINFO_NOTE_TYPE ||
      section.fixed_string(12, BUILDINFO_NOTE_NAME_PADDED, "note name") != BUILDINFO_NOTE_NAME)
    throw file.malformed(where + " does not start with a buildinfo note");
  if (descsz < BUILDINFO_HEADER_SIZE || descsz > section_size - BUILDINFO_NOTE_HEADER_SIZE)
    throw file.malformed(where + ": note size " + std::to_string(descsz) + " does not fit the section");
  ByteView slot = section.sub(BUILDINFO_NOTE_HEADER_SIZE, descsz, "slot");
  const SlotHeader header = decode_slot_header(slot);
  if (header.capacity != descsz)
    throw file.malformed(where + ": slot capacity " + std::to_string(header.capacity) + " differs from note size " +
                    std::to_string(descsz));

  SlotLocation location{};
  location.section = section_name;
  location.section_offset = section_offset;
  location.section_size = section_size;
  location.slot_offset = section_offset + BUILDINFO_NOTE_HEADER_SIZE;
  location.capacity = descsz;
  location.slice_offset = 0;
  location.slice_size = file.size();
  return location;
}

SlotHeader decode_slot_header(ByteView slot) {
  if (slot.size() < BUILDINFO_HEADER_SIZE) throw slot.malformed("slot is smaller than its header");
  if (std::memcmp(slot.data(), BUILDINFO_MAGIC, BUILDINFO_MAGIC_SIZE) != 0)
    throw slot.malformed("slot header magic is not BLDINFO");
  SlotHeader h;
  h.version = slot.le<uint16_t>(BUILDINFO_OFF_VERSION, "slot version");
  h.header_size = slot.le<uint16_t>(BUILDINFO_OFF_HEADER_SIZE, "slot header size");
  h.capacity = slot.le<uint32_t>(BUILDINFO_OFF_CAPACITY, "slot capacity");
  h.payload_length = slot.le<uint32_t>(BUILDINFO_OFF_PAYLOAD_LENGTH, "payload length");
  h.signature_algorithm = slot.le<uint16_t>(BUILDINFO_OFF_SIG_ALGORITHM, "signature algorithm");
  h.signature_length = slot.le<uint16_t>(BUILDINFO_OFF_SIG_LENGTH, "signature length");
  std::memcpy(h.key_id.data(), slot.data() + BUILDINFO_OFF_KEY_ID, BUILDINFO_KEY_ID_SIZE);
  if (h.version != BUILDINFO_FORMAT_VERSION)
    throw slot.malformed("slot format version " + std::to_string(h.version) + " is not supported (this tool reads " +
                    std::to_string(BUILDINFO_FORMAT_VERSION) + ")");
  if (h.header_size < BUILDINFO_HEADER_SIZE || h.header_size > h.capacity)
    throw slot.malformed("slot header size " + std::to_string(h.header_size) + " is invalid");
  if (h.capacity > slot.size())
    throw slot.malformed("slot capacity " + std::to_string(h.capacity) + " exceeds its section");
  const uint64_t used = uint64_t{h.header_size} + h.payload_length + h.signature_length;
  if (used > h.capacity)
    throw slot.malformed("slot payload (" + std::to_string(h.payload_length) + " bytes) and signature (" +
                    std::to_string(h.signature_length) + " bytes) overrun the slot capacity " +
                    std::to_string(h.capacity));
  return h;
}

UnboundBytes unbound_bytes(ByteView slot, const SlotHeader& h) {
  struct Field {
    uint64_t begin;
    uint64_t end;
    const char* name;
  };
  const uint64_t payload_end = uint64_t{h.header_size} + h.payload_length;
  const uint64_t signature_end = payload_end + h.signature_length;
  std::vector<Field> fields;
  if (h.payload_length == 0) {
    // An empty slot is the magic, version, header size and capacity, then zeros.
    fields.push_back({BUILDINFO_OFF_PAYLOAD_LENGTH, h.capacity, "a slot whose payload_length is 0"});
  } else {
    if (h.signature_algorithm == BUILDINFO_SIG_NONE) {
      fields.push_back({BUILDINFO_OFF_SIG_LENGTH, BUILDINFO_OFF_KEY_ID, "signature_length of an unsigned stamp"});
      fields.push_back({BUILDINFO_OFF_KEY_ID, BUILDINFO_OFF_FLAGS, "key_id of an unsigned stamp"});
    }
    fields.push_back({BUILDINFO_OFF_FLAGS, BUILDINFO_OFF_RESERVED, "flags"});
    fields.push_back({BUILDINFO_OFF_RESERVED, BUILDINFO_HEADER_SIZE, "reserved"});
    fields.push_back({BUILDINFO_HEADER_SIZE, h.header_size, "header bytes past offset 64"});
    if (h.signature_algorithm == BUILDINFO_SIG_NONE)
      fields.push_back({payload_end, signature_end, "signature bytes of an unsigned stamp"});
    fields.push_back({signature_end, h.capacity, "padding"});
  }
  UnboundBytes result;
  for (const Field& f : fields) {
    if (f.end <= f.begin) continue;
    ByteView bytes = slot.sub(f.begin, f.end - f.begin, f.name);
    result.checked += bytes.size();
    for (uint64_t i = 0; i < bytes.size(); ++i) {
      if (bytes.data()[i] == 0) continue;
      if (result.nonzero++ == 0) {
        result.first = f.begin + i;
        result.first_field = f.name;
      }
    }
  }
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
  const uint64_t needed = uint64_t{BUILDINFO_HEADER_SIZE} + contents.payload.size() + contents.signature.size();
  if (needed > capacity)
    throw Error(ErrorKind::bad_input, file, "record needs " + std::to_string(needed) + " bytes but the slot holds " +
                                         std::to_string(capacity) +
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
