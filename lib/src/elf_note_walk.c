/* Walking the notes of an ELF PT_NOTE segment (see elf_note_walk.h).
 *
 * A note is laid out as the gABI says ("Note Section"): namesz, descsz and
 * type, 4 bytes each, then the name and the descriptor, each padded.
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
 * walk does not find a note, a segment with p_align 8 is walked again with
 * the gABI's 8-byte padding, for notes that follow it strictly (names of 5
 * to 8 bytes, descriptors of 4 mod 8 bytes). */
#include "elf_note_walk.h"

#include <string.h>

#define NOTE_HEADER_SIZE 12u /* namesz, descsz, type */

buildinfo_byte_order buildinfo_host_byte_order(void) {
  const uint16_t probe = 1;
  unsigned char first;
  memcpy(&first, &probe, 1);
  return first == 1 ? BUILDINFO_LITTLE_ENDIAN : BUILDINFO_BIG_ENDIAN;
}

int buildinfo_in_load_file_bytes(uint64_t start, uint64_t size, uint64_t load_start, uint64_t load_filesz) {
  return start >= load_start && start - load_start <= load_filesz && size <= load_filesz - (start - load_start);
}

static uint32_t load_u32(const unsigned char* p, buildinfo_byte_order order) {
  if (order == BUILDINFO_LITTLE_ENDIAN)
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
  return (uint32_t)p[3] | (uint32_t)p[2] << 8 | (uint32_t)p[1] << 16 | (uint32_t)p[0] << 24;
}

static uint64_t align_up(uint64_t v, uint64_t a) { return (v + a - 1) / a * a; }

void buildinfo_note_walk_start(buildinfo_note_walk* walk, const unsigned char* notes, uint64_t size, uint64_t p_align,
                               buildinfo_byte_order order, buildinfo_note_padding padding) {
  walk->notes = notes;
  walk->size = size;
  walk->offset = 0;
  walk->order = order;
  walk->eight_aligned = p_align == 8;
  walk->padding = padding;
}

int buildinfo_note_walk_next(buildinfo_note_walk* walk, buildinfo_elf_note* note) {
  const uint64_t a = walk->padding == BUILDINFO_NOTE_PAD_8 ? 8 : 4;
  while (walk->size - walk->offset >= NOTE_HEADER_SIZE) {
    const unsigned char* header = walk->notes + walk->offset;
    const uint64_t namesz = load_u32(header, walk->order);
    const uint64_t descsz = load_u32(header + 4, walk->order);
    const uint64_t room = walk->size - walk->offset;
    uint64_t desc_offset, next;
    if (walk->padding == BUILDINFO_NOTE_PAD_4_SKIPPING_FILL && walk->eight_aligned && walk->offset % 8 == 4 &&
        namesz == 0) {
      walk->offset += 4; /* fill before an 8-aligned note section */
      continue;
    }
    /* No overflow: desc_offset and descsz are both below 2^33. */
    desc_offset = align_up(NOTE_HEADER_SIZE + namesz, a);
    if (desc_offset + descsz > room) {
      walk->offset = walk->size; /* trailing padding or junk */
      return 0;
    }
    note->offset = walk->offset;
    note->name_size = (uint32_t)namesz;
    note->type = load_u32(header + 8, walk->order);
    note->name = header + NOTE_HEADER_SIZE;
    note->desc = header + desc_offset;
    note->desc_size = descsz;
    /* The last note may lack its padding (lld does not pad an odd-sized one). */
    next = align_up(desc_offset + descsz, a);
    walk->offset += next > room ? room : next;
    return 1;
  }
  return 0;
}

static int find_with_padding(const unsigned char* notes, uint64_t size, uint64_t p_align, buildinfo_byte_order order,
                             buildinfo_note_padding padding, const char* name, uint32_t name_size, uint32_t type,
                             buildinfo_elf_note* out) {
  buildinfo_note_walk walk;
  buildinfo_elf_note note;
  buildinfo_note_walk_start(&walk, notes, size, p_align, order, padding);
  while (buildinfo_note_walk_next(&walk, &note)) {
    if (note.type != type || note.name_size != name_size || memcmp(note.name, name, name_size) != 0) continue;
    *out = note;
    return 1;
  }
  return 0;
}

int buildinfo_find_segment_note(const unsigned char* notes, uint64_t size, uint64_t p_align, buildinfo_byte_order order,
                                const char* name, uint32_t name_size, uint32_t type, buildinfo_elf_note* out) {
  if (find_with_padding(notes, size, p_align, order, BUILDINFO_NOTE_PAD_4_SKIPPING_FILL, name, name_size, type, out))
    return 1;
  return p_align == 8 &&
         find_with_padding(notes, size, p_align, order, BUILDINFO_NOTE_PAD_8, name, name_size, type, out);
}
