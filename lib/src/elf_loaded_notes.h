/* Reading notes of loaded ELF objects in memory, through the program headers
 * dl_iterate_phdr reports (no file is opened). Internal to the runtime. */
#ifndef BUILDINFO_ELF_LOADED_NOTES_H
#define BUILDINFO_ELF_LOADED_NOTES_H

/* dl_iterate_phdr and getauxval are GNU extensions of glibc; musl and the
 * BSDs declare them unconditionally. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif

#include <stddef.h>
#include <stdint.h>

#include "elf_note_walk.h"

/* The loader API that lists loaded objects and their program headers exists
 * on ELF systems with a dynamic loader (glibc, musl, the BSDs, Android). */
#if defined(__ELF__) && defined(__has_include)
#if __has_include(<link.h>)
#include <link.h>
#define BUILDINFO_HAVE_DL_ITERATE_PHDR 1
#endif
#endif

#if defined(BUILDINFO_HAVE_DL_ITERATE_PHDR)

typedef struct buildinfo_note_contents {
  const unsigned char* desc;
  size_t size;
} buildinfo_note_contents;

/* Whether `address` lies in one of the object's PT_LOAD segments: how an
 * object is told apart from the others. */
int buildinfo_object_contains(const struct dl_phdr_info* object, const void* address);

/* The descriptor of the first note with this name (`name_size` bytes, NUL
 * included) and type in the object's PT_NOTE segments, bounds-checked. */
int buildinfo_find_loaded_note(const struct dl_phdr_info* object, const char* name, uint32_t name_size, uint32_t type,
                               buildinfo_note_contents* out);

#endif /* BUILDINFO_HAVE_DL_ITERATE_PHDR */
#endif /* BUILDINFO_ELF_LOADED_NOTES_H */
