/* Walking the notes of one ELF PT_NOTE segment, by the rules of FORMAT.md
 * ("Finding the slots of loaded modules"). Internal, and shared: the runtime
 * walks segments in memory (elf_loaded_notes.c), the tool walks them in
 * files of either byte order (tool/formats/elf/elf_image.cc), so that both find a note in the
 * same place. Plain C99; nothing is allocated, nothing is read outside
 * [notes, notes + size). */
#ifndef BUILDINFO_ELF_NOTE_WALK_H
#define BUILDINFO_ELF_NOTE_WALK_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ELF gABI values the callers of the walk need ("Program Header", "Note
 * Section"; NT_GNU_BUILD_ID: the note of owner "GNU" that holds the build-id). */
#define BUILDINFO_PT_LOAD 1u
#define BUILDINFO_PT_NOTE 4u
#define BUILDINFO_NT_GNU_BUILD_ID 3u

/* Whether [start, start + size) lies in the file bytes of a PT_LOAD
 * segment, [load_start, load_start + load_filesz): only a PT_NOTE segment
 * there holds the file's notes in memory (past p_filesz a PT_LOAD is
 * zero-filled). All four are addresses, or all file offsets. */
int buildinfo_in_load_file_bytes(uint64_t start, uint64_t size, uint64_t load_start, uint64_t load_filesz);

/* The byte order of the note words (the file's EI_DATA; in memory, the
 * process's own). */
typedef enum buildinfo_byte_order { BUILDINFO_LITTLE_ENDIAN, BUILDINFO_BIG_ENDIAN } buildinfo_byte_order;

/* The byte order of the running process. */
buildinfo_byte_order buildinfo_host_byte_order(void);

/* How a segment's notes are padded: the name and the descriptor to 4 bytes,
 * skipping in a segment with p_align 8 the 4 bytes of zero fill before an
 * 8-aligned note; or both to 8 bytes, as the gABI says for 64-bit objects. */
typedef enum buildinfo_note_padding { BUILDINFO_NOTE_PAD_4_SKIPPING_FILL, BUILDINFO_NOTE_PAD_8 } buildinfo_note_padding;

/* One note of the segment; name and desc point into it. */
typedef struct buildinfo_elf_note {
  uint64_t offset;    /* of the note header, from the segment's start */
  uint32_t name_size; /* namesz, its NUL included */
  uint32_t type;
  const unsigned char* name; /* name_size bytes */
  const unsigned char* desc;
  uint64_t desc_size; /* descsz */
} buildinfo_elf_note;

/* A walk through one segment, note by note from its start. */
typedef struct buildinfo_note_walk {
  const unsigned char* notes;
  uint64_t size;
  uint64_t offset; /* of the next note header */
  buildinfo_byte_order order;
  int eight_aligned; /* p_align == 8 */
  buildinfo_note_padding padding;
} buildinfo_note_walk;

/* Starts a walk over the `size` bytes of a segment with this p_align. */
void buildinfo_note_walk_start(buildinfo_note_walk* walk, const unsigned char* notes, uint64_t size, uint64_t p_align,
                               buildinfo_byte_order order, buildinfo_note_padding padding);

/* The next note into *note: 1, or 0 at the end of the segment. A note whose
 * name or descriptor would run past the segment ends the walk. */
int buildinfo_note_walk_next(buildinfo_note_walk* walk, buildinfo_elf_note* note);

/* The first note with this name (`name_size` bytes, NUL included) and type
 * in the segment: walked with 4-byte padding, then, when p_align is 8 and
 * that found nothing, with 8-byte padding. 1 and *out, or 0. */
int buildinfo_find_segment_note(const unsigned char* notes, uint64_t size, uint64_t p_align, buildinfo_byte_order order,
                                const char* name, uint32_t name_size, uint32_t type, buildinfo_elf_note* out);

#ifdef __cplusplus
}
#endif

#endif /* BUILDINFO_ELF_NOTE_WALK_H */
