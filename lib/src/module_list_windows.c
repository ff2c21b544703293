/* buildinfo_for_each_module on Windows: the process's loaded images, each
 * read through its section table in memory for the .bldinfo section. Only
 * kernel32 is needed. */
#if defined(_WIN32)

#ifndef PSAPI_VERSION
#define PSAPI_VERSION 2 /* EnumProcessModules is K32EnumProcessModules in kernel32 (Windows 7 and later) */
#endif
/* windows.h first, in a block of its own: psapi.h needs its types. */
#include <windows.h>

#include <psapi.h>
#include <stdlib.h>
#include <string.h>

#include "buildinfo/slot_layout.h"
#include "module_visit.h"

static const char kModuleAnchor = 0; /* an object of this module, to recognise it */

/* The slot in the module's .bldinfo section in memory. */
static int find_slot(HMODULE module, const unsigned char** slot, size_t* slot_size) {
  const unsigned char* base = (const unsigned char*)module;
  const IMAGE_DOS_HEADER* dos = (const IMAGE_DOS_HEADER*)base;
  const IMAGE_NT_HEADERS* nt;
  const IMAGE_SECTION_HEADER* sections;
  WORD i;
  if (dos->e_magic != IMAGE_DOS_SIGNATURE) return 0;
  nt = (const IMAGE_NT_HEADERS*)(base + dos->e_lfanew);
  if (nt->Signature != IMAGE_NT_SIGNATURE) return 0;
  sections = IMAGE_FIRST_SECTION(nt);
  for (i = 0; i < nt->FileHeader.NumberOfSections; ++i) {
    if (memcmp(sections[i].Name, BUILDINFO_PE_SECTION, sizeof(BUILDINFO_PE_SECTION) - 1) != 0) continue;
    return buildinfo_slot_in_note(base + sections[i].VirtualAddress, sections[i].Misc.VirtualSize, slot, slot_size);
  }
  return 0;
}

/* The module's path in UTF-8, in a buffer the caller frees; NULL if unknown. */
static char* module_path(HMODULE module) {
  const DWORD capacity = 32768; /* the longest path Windows allows, in UTF-16 units */
  wchar_t* wide = (wchar_t*)malloc(capacity * sizeof(wchar_t));
  char* utf8 = NULL;
  DWORD length;
  if (wide == NULL) return NULL;
  length = GetModuleFileNameW(module, wide, capacity);
  if (length > 0 && length < capacity) {
    const int bytes = WideCharToMultiByte(CP_UTF8, 0, wide, (int)length, NULL, 0, NULL, NULL);
    utf8 = bytes > 0 ? (char*)malloc((size_t)bytes + 1) : NULL;
    if (utf8 != NULL) {
      WideCharToMultiByte(CP_UTF8, 0, wide, (int)length, utf8, bytes, NULL, NULL);
      utf8[bytes] = '\0';
    }
  }
  free(wide);
  return utf8;
}

size_t buildinfo_for_each_module(buildinfo_module_visitor visit, void* context) {
  HMODULE self = NULL;
  HMODULE* modules = NULL;
  const HANDLE process = GetCurrentProcess();
  DWORD needed = 0, room, i;
  size_t count = 0;
  if (visit == NULL) return 0;
  GetModuleHandleExA(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                     &kModuleAnchor, &self);
  /* The list can grow between the two calls: ask again with room for it. */
  for (room = 64 * sizeof(HMODULE);; room = needed) {
    free(modules);
    modules = (HMODULE*)malloc(room);
    if (modules == NULL || !EnumProcessModules(process, modules, room, &needed)) {
      free(modules);
      return 0;
    }
    if (needed <= room) break;
  }
  for (i = 0; i < needed / sizeof(HMODULE); ++i) {
    const unsigned char* slot = NULL;
    size_t slot_size = 0;
    char* path;
    if (!find_slot(modules[i], &slot, &slot_size)) continue;
    path = module_path(modules[i]);
    count += buildinfo_visit_slot(path, slot, slot_size, modules[i] == self, visit, context);
    free(path);
  }
  free(modules);
  return count;
}

#else

typedef int buildinfo_no_windows_module_list; /* ISO C wants a declaration */

#endif /* _WIN32 */
