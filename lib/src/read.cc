// buildinfo::read() and the C API: parse this module's slot once, in memory.
#include <cstdlib>
#include <cstring>

#include "buildinfo/buildinfo.h"
#include "buildinfo/buildinfo.hpp"
#include "buildinfo/slot_layout.h"

// Defined next to the slot (BUILDINFO_DEFINE_SLOT), hidden in this module.
BUILDINFO_EXTERN_C BUILDINFO_LOCAL_FUNCTION const unsigned char* buildinfo_slot_bytes(uint32_t* slot_capacity);

namespace buildinfo {
namespace {

// The compiler sees the slot's initializer (an empty header) and, under LTO,
// would fold every read of it to "not stamped". An empty asm that claims to
// change the pointer hides where it points, so the bytes are really loaded.
const unsigned char* opaque(const unsigned char* p) noexcept {
#if defined(__GNUC__) || defined(__clang__)
  __asm__ volatile("" : "+r"(p) : : "memory");
  return p;
#else
  const unsigned char* volatile laundered = p;
  return laundered;
#endif
}

record parse_own_slot() noexcept {
  record r;
  std::uint32_t capacity = 0;
  const unsigned char* slot = opaque(buildinfo_slot_bytes(&capacity));
  const std::size_t storage_size = parse_storage_size(capacity);
  // One allocation for the life of the process, never freed.
  void* storage = std::malloc(storage_size);
  if (parse_slot(slot, capacity, storage, storage == nullptr ? 0 : storage_size, r) != status::ok)
    std::free(storage);
  return r;
}

}  // namespace

const record& read() noexcept {
  // C++11 guarantees thread-safe one-time initialization.
  static const record parsed = parse_own_slot();
  return parsed;
}

}  // namespace buildinfo

extern "C" {

int buildinfo_status(void) { return static_cast<int>(buildinfo::read().state()); }

const char* buildinfo_status_text(int status) {
  // to_string returns views of string literals, so data() is NUL-terminated.
  return buildinfo::to_string(static_cast<buildinfo::status>(status)).data();
}

const char* buildinfo_get(const char* key) {
  if (key == nullptr) return nullptr;
  const buildinfo::record& r = buildinfo::read();
  const std::string_view wanted(key);
  for (const buildinfo::field& f : r)
    if (f.key == wanted) return f.value.data();  // values are NUL-terminated in storage
  return nullptr;
}

size_t buildinfo_field_count(void) { return buildinfo::read().size(); }

const char* buildinfo_field_key(size_t index) {
  const buildinfo::record& r = buildinfo::read();
  return index < r.size() ? r.begin()[index].key.data() : nullptr;
}

const char* buildinfo_field_value(size_t index) {
  const buildinfo::record& r = buildinfo::read();
  return index < r.size() ? r.begin()[index].value.data() : nullptr;
}

}  // extern "C"
