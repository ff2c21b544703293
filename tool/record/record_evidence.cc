// Finding a stamped slot by its bytes (FORMAT.md, "Section contents" and
// "The slot"), whatever the headers of the file say.
#include "record/record_evidence.h"

#include <algorithm>
#include <cstring>

#include "buildinfo/slot_layout.h"

namespace buildinfo {
namespace {

uint32_t word(const uint8_t* p, Endian e) {
  return e == Endian::little ? uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24
                             : uint32_t{p[3]} | uint32_t{p[2]} << 8 | uint32_t{p[1]} << 16 | uint32_t{p[0]} << 24;
}

bool valid_capacity(uint64_t capacity) { return BUILDINFO_CAPACITY_IN_RANGE(capacity); }

// Whether the `capacity` bytes at `slot` lie in the file and are not those
// of an empty slot.
bool nonempty(ByteView file, uint64_t slot, uint64_t capacity) {
  if (!valid_capacity(capacity) || !file.contains(slot, capacity)) return false;
  const uint8_t* p = file.data() + slot;
  return std::any_of(p + BUILDINFO_OFF_PAYLOAD_LENGTH, p + capacity, [](uint8_t b) { return b != 0; });
}

// The capacity a note header at `note` gives its slot, or 0.
uint64_t note_capacity(ByteView file, uint64_t note) {
  if (!file.contains(note, BUILDINFO_NOTE_HEADER_SIZE)) return 0;
  const uint8_t* p = file.data() + note;
  if (std::memcmp(p + 12, BUILDINFO_NOTE_NAME "\0\0", BUILDINFO_NOTE_NAME_PADDED) != 0) return 0;
  for (Endian e : {Endian::little, Endian::big})
    if (word(p, e) == BUILDINFO_NOTE_NAME_SIZE && word(p + 8, e) == BUILDINFO_NOTE_TYPE) return word(p + 4, e);
  return 0;
}

// The capacity field of a slot header at `slot`, or 0 when the bytes there
// are not a version 1 slot header.
uint64_t header_capacity(ByteView file, uint64_t slot) {
  if (!file.contains(slot, BUILDINFO_HEADER_SIZE)) return 0;
  const uint8_t* p = file.data() + slot;
  if (std::memcmp(p, BUILDINFO_MAGIC, BUILDINFO_MAGIC_SIZE) != 0) return 0;
  if (p[BUILDINFO_OFF_VERSION] != BUILDINFO_FORMAT_VERSION || p[BUILDINFO_OFF_VERSION + 1] != 0) return 0;
  if (p[BUILDINFO_OFF_HEADER_SIZE] != BUILDINFO_HEADER_SIZE || p[BUILDINFO_OFF_HEADER_SIZE + 1] != 0) return 0;
  return word(p + BUILDINFO_OFF_CAPACITY, Endian::little);
}

// The capacity of a slot at `slot`: its note's size and its own capacity
// field agree unless one is damaged, and the smaller valid one stays inside
// the real slot (so an empty slot with a damaged size still reads as empty).
uint64_t slot_capacity(ByteView file, uint64_t slot) {
  uint64_t capacity = 0;
  const uint64_t candidates[] = {
      slot >= BUILDINFO_NOTE_HEADER_SIZE ? note_capacity(file, slot - BUILDINFO_NOTE_HEADER_SIZE) : 0,
      header_capacity(file, slot)};
  for (uint64_t c : candidates)
    if (valid_capacity(c) && (capacity == 0 || c < capacity)) capacity = c;
  return capacity;
}

// Every offset at which `pattern` occurs, in order, to `visit` until it says stop.
template <typename Visit>
bool each_occurrence(ByteView file, const void* pattern, size_t length, Visit visit) {
  const uint8_t* begin = file.data();
  const uint8_t* end = begin + file.size();
  for (const uint8_t* at = begin; static_cast<size_t>(end - at) >= length; ++at) {
    at = static_cast<const uint8_t*>(::memmem(at, static_cast<size_t>(end - at), pattern, length));
    if (at == nullptr) return false;
    if (visit(static_cast<uint64_t>(at - begin))) return true;
  }
  return false;
}

}  // namespace

std::optional<uint64_t> find_nonempty_slot(ByteView file) {
  std::optional<uint64_t> found;
  auto keep = [&found](uint64_t slot) {
    if (!found || slot < *found) found = slot;
    return true;
  };
  // By the note's name: the slot follows the 24-byte note header.
  each_occurrence(file, BUILDINFO_NOTE_NAME "\0\0", BUILDINFO_NOTE_NAME_PADDED, [&](uint64_t name) {
    if (name < 12) return false;
    const uint64_t slot = name - 12 + BUILDINFO_NOTE_HEADER_SIZE;
    return nonempty(file, slot, slot_capacity(file, slot)) && keep(slot);
  });
  // By the slot's own header, for a damaged note header.
  each_occurrence(file, BUILDINFO_MAGIC, BUILDINFO_MAGIC_SIZE, [&](uint64_t slot) {
    if (found && *found <= slot) return true;
    return nonempty(file, slot, slot_capacity(file, slot)) && keep(slot);
  });
  return found;
}

}  // namespace buildinfo
