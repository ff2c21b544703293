// Notes of loaded ELF objects (see elf_loaded_notes.h).
#include "elf_loaded_notes.h"

#if defined(BUILDINFO_HAVE_DL_ITERATE_PHDR)

#include <cstring>

namespace buildinfo {
namespace detail {
namespace {

// ELF gABI values, spelled out so that no <elf.h> macro name is needed.
constexpr std::uint32_t kPtLoad = 1;
constexpr std::uint32_t kPtNote = 4;
constexpr std::size_t kNoteHeaderSize = 12;  // namesz, descsz, type

std::uint32_t load_u32(const unsigned char* p) noexcept {
  std::uint32_t v;
  std::memcpy(&v, p, sizeof v);  // note words are in the process's byte order
  return v;
}

std::uint64_t align_up(std::uint64_t v, std::uint64_t a) noexcept { return (v + a - 1) / a * a; }

// Walks one PT_NOTE segment (gABI "Note Section"): name and descriptor are
// each padded to the segment's alignment, 4 or 8 (notes such as
// .note.gnu.property sit in 8-aligned segments), counted from the note's
// start as the loader does.
bool find_in_segment(const unsigned char* notes, std::uint64_t size, std::uint64_t alignment, const char* name,
                     std::uint32_t name_size, std::uint32_t type, note_contents& out) noexcept {
  const std::uint64_t a = alignment == 8 ? 8 : 4;
  std::uint64_t offset = 0;
  while (size - offset >= kNoteHeaderSize) {
    const unsigned char* note = notes + offset;
    const std::uint64_t namesz = load_u32(note);
    const std::uint64_t descsz = load_u32(note + 4);
    const std::uint32_t note_type = load_u32(note + 8);
    const std::uint64_t desc_offset = align_up(kNoteHeaderSize + namesz, a);
    // No overflow: desc_offset and descsz are both below 2^33.
    if (desc_offset + descsz > size - offset) return false;
    if (note_type == type && namesz == name_size && std::memcmp(note + kNoteHeaderSize, name, name_size) == 0) {
      out.desc = note + desc_offset;
      out.size = static_cast<std::size_t>(descsz);
      return true;
    }
    // The last note may lack its padding (lld does not pad an odd-sized one).
    const std::uint64_t next = align_up(desc_offset + descsz, a);
    offset += next > size - offset ? size - offset : next;
  }
  return false;
}

}  // namespace

bool object_contains(const dl_phdr_info& object, const void* address) noexcept {
  const std::uintptr_t target = reinterpret_cast<std::uintptr_t>(address);
  for (std::size_t i = 0; i < object.dlpi_phnum; ++i) {
    const auto& ph = object.dlpi_phdr[i];
    if (ph.p_type != kPtLoad) continue;
    const std::uintptr_t start = static_cast<std::uintptr_t>(object.dlpi_addr + ph.p_vaddr);
    if (target - start < ph.p_memsz) return true;  // unsigned: also false when target < start
  }
  return false;
}

bool find_loaded_note(const dl_phdr_info& object, const char* name, std::uint32_t name_size, std::uint32_t type,
                      note_contents& out) noexcept {
  for (std::size_t i = 0; i < object.dlpi_phnum; ++i) {
    const auto& ph = object.dlpi_phdr[i];
    if (ph.p_type != kPtNote) continue;
    const auto* notes = reinterpret_cast<const unsigned char*>(object.dlpi_addr + ph.p_vaddr);
    const std::uint64_t size = ph.p_filesz < ph.p_memsz ? ph.p_filesz : ph.p_memsz;
    if (find_in_segment(notes, size, ph.p_align, name, name_size, type, out)) return true;
  }
  return false;
}

}  // namespace detail
}  // namespace buildinfo

#endif  // BUILDINFO_HAVE_DL_ITERATE_PHDR
