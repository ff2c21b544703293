/* Notes of loaded ELF objects (see elf_loaded_notes.h). */
#include "elf_loaded_notes.h"

#if defined(BUILDINFO_HAVE_DL_ITERATE_PHDR)

int buildinfo_object_contains(const struct dl_phdr_info* object, const void* address) {
  const uintptr_t target = (uintptr_t)address;
  size_t i;
  for (i = 0; i < object->dlpi_phnum; ++i) {
    const ElfW(Phdr)* ph = &object->dlpi_phdr[i];
    uintptr_t start;
    if (ph->p_type != BUILDINFO_PT_LOAD) continue;
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
    if (ph->p_type == BUILDINFO_PT_LOAD && buildinfo_in_load_file_bytes(vaddr, size, ph->p_vaddr, ph->p_filesz))
      return 1;
  }
  return 0;
}

int buildinfo_find_loaded_note(const struct dl_phdr_info* object, const char* name, uint32_t name_size, uint32_t type,
                               buildinfo_note_contents* out) {
  /* Note words are in the process's byte order. The walk's rules, shared
   * with the tool's reader of files (tool/formats/elf/elf_image.cc), are in elf_note_walk.c. */
  const buildinfo_byte_order order = buildinfo_host_byte_order();
  size_t i;
  for (i = 0; i < object->dlpi_phnum; ++i) {
    const ElfW(Phdr)* ph = &object->dlpi_phdr[i];
    buildinfo_elf_note note;
    uint64_t size;
    if (ph->p_type != BUILDINFO_PT_NOTE) continue;
    size = ph->p_filesz < ph->p_memsz ? ph->p_filesz : ph->p_memsz;
    if (!in_loaded_file_bytes(object, ph->p_vaddr, size)) continue;
    if (buildinfo_find_segment_note((const unsigned char*)(object->dlpi_addr + ph->p_vaddr), size, ph->p_align, order,
                                    name, name_size, type, &note)) {
      out->desc = note.desc;
      out->size = (size_t)note.desc_size;
      return 1;
    }
  }
  return 0;
}

#else

/* ISO C wants every translation unit to declare something. */
typedef int buildinfo_no_loaded_notes;

#endif /* BUILDINFO_HAVE_DL_ITERATE_PHDR */
