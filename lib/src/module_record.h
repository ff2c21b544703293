// Shared by the per-platform module lists: parse one module's slot into a
// short-lived buffer and hand it to the visitor. Internal to the runtime.
#ifndef BUILDINFO_MODULE_RECORD_H
#define BUILDINFO_MODULE_RECORD_H

#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "buildinfo/modules.hpp"
#include "buildinfo/slot_layout.h"

namespace buildinfo {
namespace detail {

// The slot inside `note` (a note header, then the slot: the wrapper every
// format uses, slot_layout.h, in the process's byte order), when `note` is
// such a note that fits its `size` bytes.
inline bool slot_in_note(const unsigned char* note, std::size_t size, const unsigned char** slot,
                         std::size_t* slot_size) noexcept {
  if (size < BUILDINFO_NOTE_HEADER_SIZE) return false;
  std::uint32_t namesz, descsz, type;
  std::memcpy(&namesz, note, 4);
  std::memcpy(&descsz, note + 4, 4);
  std::memcpy(&type, note + 8, 4);
  if (namesz != BUILDINFO_NOTE_NAME_SIZE || type != BUILDINFO_NOTE_TYPE ||
      std::memcmp(note + 12, BUILDINFO_NOTE_NAME, BUILDINFO_NOTE_NAME_SIZE) != 0 ||
      descsz > size - BUILDINFO_NOTE_HEADER_SIZE)
    return false;
  *slot = note + BUILDINFO_NOTE_HEADER_SIZE;
  *slot_size = descsz;  // the slot's capacity
  return true;
}

// Parses `slot` and calls `visit`; returns 1 (one module visited).
inline std::size_t visit_slot(const char* path, const unsigned char* slot, std::size_t slot_size, bool self,
                              module_visitor visit, void* context) noexcept {
  record parsed;
  const std::size_t storage_size = parse_storage_size(slot_size);
  void* storage = std::malloc(storage_size);
  parse_slot(slot, slot_size, storage, storage == nullptr ? 0 : storage_size, parsed);
  visit(loaded_module{path == nullptr ? std::string_view() : std::string_view(path), parsed, self}, context);
  std::free(storage);
  return 1;
}

}  // namespace detail
}  // namespace buildinfo

#endif  // BUILDINFO_MODULE_RECORD_H
