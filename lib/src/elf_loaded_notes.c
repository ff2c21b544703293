/* Notes of loaded ELF objects (see elf_loaded_notes.h). */
#include "elf_loaded_notes.h"

#if defined(BUILDINFO_HAVE_DL_ITERATE_PHDR)

#include <string.h>

/* ELF gABI values, spelled out so that no <elf.h> macro name is needed. */
#define PT_LOAD_TYPE 1u
#define PT_NOTE_TYPE 4u
#define NOTE_HEADER_SIZE 12u /* namesz, descsz, type */

static uint32_t load_u32(const unsigned char* p) {
  uint32_t v;
  memcpy(&v, p, sizeof v); /* note words are in the process's byte order */
  return v;
}

static uint64_t align_up(uint64_t v, uint64_t a) { return (v + a - 1) / a * a; }

/* Walks one PT_NOTE segment (gABI "Note Section"): name and descriptor are
 * each padded to the segment's alignment, 4 or 8 (notes such as
 * .note.gnu.property sit in 8-aligned segments), counted from the note's
 * start as the loader does. */
static int find_in_segment(const unsigned char* notes, uint64_t size, uint64_t alignment, const char* name,
                           uint32_t name_size, uint32_t type, buildinfo_note_contents* out) {
  const uint64_t a = alignment == 8 ? 8 : 4;
  uint64_t offset = 0;
  while (size - offset >= NOTE_HEADER_SIZE) {
    const unsigned char* note = notes + offset;
    const uint64_t namesz = load_u32(note);
    const uint64_t descsz = load_u32(note + 4);
    const uint32_t note_type = load_u32(note + 8);
    const uint64_t desc_offset = align_up(NOTE_HEADER_SIZE + namesz, a);
    uint64_t next;
    /* No overflow: desc_offset and descsz are both below 2^33. */
    if (desc_offset + descsz > size - offset) return 0;
    if (note_type == type && namesz == name_size && memcmp(note + NOTE_HEADER_SIZE, name, name_size) == 0) {
      out->desc = note + desc_offset;
      out->size = (size_t)descsz;
      return 1;
    }
    /* The last note may lack its padding (lld does not pad an odd-sized one). */
    next = align_up(desc_offset + descsz, a);
    offset += next > size - offset ? size - offset : next;
  }
  return 0;
}

int buildinfo_object_contains(const struct dl_phdr_info* object, const void* address) {
  const uintptr_t target = (uintptr_t)address;
  size_t i;
  for (i = 0; i < object->dlpi_phnum; ++i) {
    const ElfW(Phdr)* ph = &object->dlpi_phdr[i];
    uintptr_t start;
    if (ph->p_type != PT_LOAD_TYPE) continue;
    start = (uintptr_t)(object->dlpi_addr + ph->p_vaddr);
    if (target - start < ph->p_memsz) return 1; /* unsigned: also false when target < start */
  }
  return 0;
}

int buildinfo_find_loaded_note(const struct dl_phdr_info* object, const char* name, uint32_t name_size,
                               uint32_t type, buildinfo_note_contents* out) {
  size_t i;
  for (i = 0; i < object->dlpi_phnum; ++i) {
    const ElfW(Phdr)* ph = &object->dlpi_phdr[i];
    const unsigned char* notes;
    uint64_t size;
    if (ph->p_type != PT_NOTE_TYPE) continue;
    notes = (const unsigned char*)(object->dlpi_addr + ph->p_vaddr);
    size = ph->p_filesz < ph->p_memsz ? ph->p_filesz : ph->p_memsz;
    if (find_in_segment(notes, size, ph->p_align, name, name_size, type, out)) return 1;
  }
  return 0;
}

#else

/* ISO C wants every translation unit to declare something. */
typedef int buildinfo_no_loaded_notes;

#endif /* BUILDINFO_HAVE_DL_ITERATE_PHDR */
