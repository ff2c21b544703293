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

/* How the notes of a PT_NOTE segment are laid out (gABI, "Note Section":
 * namesz, descsz, type, then the name and the descriptor, each padded).
 *
 * Linux objects pad name and descriptor to 4 bytes, 64-bit ones included;
 * only .note.gnu.property is 8-aligned. GNU ld (binutils 2.40) gives the
 * 8-aligned note sections a PT_NOTE segment of their own (p_align 8) and
 * the 4-aligned ones another (p_align 4). mold 1.10 puts both into one
 * PT_NOTE with p_align 8, so a walk that pads every note there to 8 bytes,
 * as binutils' readelf 2.40 does, loses its way after the first 4-aligned
 * note whose size is not a multiple of 8 (NT_GNU_BUILD_ID: 36 bytes) and
 * misses every note after it.
 *
 * So every segment is walked with 4-byte padding first, as LLVM 14's note
 * reader does (llvm/Object/ELFTypes.h, Elf_Nhdr_Impl::Align: "in practice
 * all variants align both the name and descriptor to 4-bytes"). In a
 * segment with p_align 8 only an 8-aligned note section can then break the
 * walk: it starts at an 8-byte boundary, so after a 4-aligned note that
 * ends 4 bytes past one, 4 zero bytes of fill come first; a header at such
 * an offset with namesz 0 is taken as that fill and skipped. The 8-aligned
 * notes Linux writes (NT_GNU_PROPERTY_TYPE_0: name "GNU", a descriptor of a
 * multiple of 8 bytes) are laid out alike with either padding. When that
 * walk does not find the note, a segment with p_align 8 is walked again
 * with the gABI's 8-byte padding, for notes that follow it strictly (names
 * of 5 to 8 bytes, descriptors of 4 mod 8 bytes). The tool's ELF reader
 * (tool/elf.cc) walks segments by the same rules, so that it finds a slot
 * exactly where this code does. */
typedef enum note_padding { PAD_4_SKIPPING_FILL, PAD_8 } note_padding;

static int find_in_segment(const unsigned char* notes, uint64_t size, int segment_8_aligned, note_padding padding,
                           const char* name, uint32_t name_size, uint32_t type, buildinfo_note_contents* out) {
  const uint64_t a = padding == PAD_8 ? 8 : 4;
  uint64_t offset = 0;
  while (size - offset >= NOTE_HEADER_SIZE) {
    const unsigned char* note = notes + offset;
    const uint64_t namesz = load_u32(note);
    const uint64_t descsz = load_u32(note + 4);
    const uint32_t note_type = load_u32(note + 8);
    const uint64_t desc_offset = align_up(NOTE_HEADER_SIZE + namesz, a);
    uint64_t next;
    if (padding == PAD_4_SKIPPING_FILL && segment_8_aligned && offset % 8 == 4 && namesz == 0) {
      offset += 4; /* fill before an 8-aligned note section */
      continue;
    }
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

/* Whether [vaddr, vaddr + size) lies in the file-backed part of one of the
 * object's PT_LOAD segments, so that reading it reads the file's bytes: a
 * PT_NOTE segment outside them is not mapped, or not from the file. */
static int in_loaded_file_bytes(const struct dl_phdr_info* object, uint64_t vaddr, uint64_t size) {
  size_t i;
  for (i = 0; i < object->dlpi_phnum; ++i) {
    const ElfW(Phdr)* ph = &object->dlpi_phdr[i];
    if (ph->p_type != PT_LOAD_TYPE || vaddr < ph->p_vaddr) continue;
    if (vaddr - ph->p_vaddr <= ph->p_filesz && size <= ph->p_filesz - (vaddr - ph->p_vaddr)) return 1;
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
    if (!in_loaded_file_bytes(object, ph->p_vaddr, ph->p_filesz < ph->p_memsz ? ph->p_filesz : ph->p_memsz)) continue;
    notes = (const unsigned char*)(object->dlpi_addr + ph->p_vaddr);
    size = ph->p_filesz < ph->p_memsz ? ph->p_filesz : ph->p_memsz;
    if (find_in_segment(notes, size, ph->p_align == 8, PAD_4_SKIPPING_FILL, name, name_size, type, out)) return 1;
    if (ph->p_align == 8 && find_in_segment(notes, size, 1, PAD_8, name, name_size, type, out)) return 1;
  }
  return 0;
}

#else

/* ISO C wants every translation unit to declare something. */
typedef int buildinfo_no_loaded_notes;

#endif /* BUILDINFO_HAVE_DL_ITERATE_PHDR */
