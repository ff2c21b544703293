// Reading notes of loaded ELF objects in memory, through the program headers
// dl_iterate_phdr reports (no file is opened). Internal to the runtime.
#ifndef BUILDINFO_ELF_LOADED_NOTES_H
#define BUILDINFO_ELF_LOADED_NOTES_H

#include <cstddef>
#include <cstdint>

// The loader API that lists loaded objects and their program headers exists
// on ELF systems with a dynamic loader (glibc, musl, the BSDs, Android).
#if defined(__ELF__) && defined(__has_include)
#if __has_include(<link.h>)
#include <link.h>
#define BUILDINFO_HAVE_DL_ITERATE_PHDR 1
#endif
#endif

#if defined(BUILDINFO_HAVE_DL_ITERATE_PHDR)

namespace buildinfo {
namespace detail {

struct note_contents {
  const unsigned char* desc = nullptr;
  std::size_t size = 0;
};

// Whether `address` lies in one of the object's PT_LOAD segments: how an
// object is told apart from the others.
bool object_contains(const dl_phdr_info& object, const void* address) noexcept;

// The descriptor of the first note with this name (`name_size` bytes, NUL
// included) and type in the object's PT_NOTE segments, bounds-checked.
bool find_loaded_note(const dl_phdr_info& object, const char* name, std::uint32_t name_size, std::uint32_t type,
                      note_contents& out) noexcept;

}  // namespace detail
}  // namespace buildinfo

#endif  // BUILDINFO_HAVE_DL_ITERATE_PHDR
#endif  // BUILDINFO_ELF_LOADED_NOTES_H
