// for_each_module on Windows: the process's loaded images, each read through
// its section table in memory for the .bldinfo section.
#if defined(_WIN32)

#ifndef PSAPI_VERSION
#define PSAPI_VERSION 2  // EnumProcessModules is K32EnumProcessModules in kernel32 (Windows 7 and later)
#endif
#include <windows.h>
#include <psapi.h>

#include "module_record.h"

namespace buildinfo {
namespace {

const char kModuleAnchor = 0;  // an object of this module, to recognise it

// The slot in the module's .bldinfo section in memory.
bool find_slot(HMODULE module, const unsigned char** slot, std::size_t* slot_size) noexcept {
  const auto* base = reinterpret_cast<const unsigned char*>(module);
  const auto* dos = reinterpret_cast<const IMAGE_DOS_HEADER*>(base);
  if (dos->e_magic != IMAGE_DOS_SIGNATURE) return false;
  const auto* nt = reinterpret_cast<const IMAGE_NT_HEADERS*>(base + dos->e_lfanew);
  if (nt->Signature != IMAGE_NT_SIGNATURE) return false;
  const IMAGE_SECTION_HEADER* sections = IMAGE_FIRST_SECTION(nt);
  for (WORD i = 0; i < nt->FileHeader.NumberOfSections; ++i) {
    if (std::memcmp(sections[i].Name, BUILDINFO_PE_SECTION, sizeof(BUILDINFO_PE_SECTION) - 1) != 0) continue;
    return detail::slot_in_note(base + sections[i].VirtualAddress, sections[i].Misc.VirtualSize, slot, slot_size);
  }
  return false;
}

// The module's path in UTF-8, in a buffer the caller frees; nullptr if unknown.
char* module_path(HMODULE module) noexcept {
  const DWORD capacity = 32768;  // the longest path Windows allows, in UTF-16 units
  auto* wide = static_cast<wchar_t*>(std::malloc(capacity * sizeof(wchar_t)));
  if (wide == nullptr) return nullptr;
  char* utf8 = nullptr;
  const DWORD length = GetModuleFileNameW(module, wide, capacity);
  if (length > 0 && length < capacity) {
    const int bytes = WideCharToMultiByte(CP_UTF8, 0, wide, static_cast<int>(length), nullptr, 0, nullptr, nullptr);
    utf8 = bytes > 0 ? static_cast<char*>(std::malloc(static_cast<std::size_t>(bytes) + 1)) : nullptr;
    if (utf8 != nullptr) {
      WideCharToMultiByte(CP_UTF8, 0, wide, static_cast<int>(length), utf8, bytes, nullptr, nullptr);
      utf8[bytes] = '\0';
    }
  }
  std::free(wide);
  return utf8;
}

}  // namespace

std::size_t for_each_module(module_visitor visit, void* context) noexcept {
  if (visit == nullptr) return 0;
  HMODULE self = nullptr;
  GetModuleHandleExA(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                     &kModuleAnchor, &self);
  // The list can grow between the two calls: ask again with room for it.
  const HANDLE process = GetCurrentProcess();
  DWORD needed = 0;
  HMODULE* modules = nullptr;
  for (DWORD room = 64 * sizeof(HMODULE);; room = needed) {
    std::free(modules);
    modules = static_cast<HMODULE*>(std::malloc(room));
    if (modules == nullptr || !EnumProcessModules(process, modules, room, &needed)) {
      std::free(modules);
      return 0;
    }
    if (needed <= room) break;
  }
  std::size_t count = 0;
  for (DWORD i = 0; i < needed / sizeof(HMODULE); ++i) {
    const unsigned char* slot = nullptr;
    std::size_t slot_size = 0;
    if (!find_slot(modules[i], &slot, &slot_size)) continue;
    char* path = module_path(modules[i]);
    count += detail::visit_slot(path, slot, slot_size, modules[i] == self, visit, context);
    std::free(path);
  }
  std::free(modules);
  return count;
}

}  // namespace buildinfo

#endif  // _WIN32
