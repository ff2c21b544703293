// A description of a binary by LIEF, for `inspect`: breadth, not speed. The
// LIEF plug-in (buildinfo-lief.so, lief_plugin.cc) reads it; this is its
// typed result (plugin_abi.h's buildinfo_lief_description) on the tool's side.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace buildinfo {

struct LiefSection {
  std::string name;  // Mach-O: "segment,section"
  uint64_t offset = 0;
  uint64_t size = 0;          // LIEF's (PE: SizeOfRawData)
  uint64_t address = 0;       // virtual address
  uint64_t virtual_size = 0;  // PE: VirtualSize; 0 for the other formats
};

// Format, architecture, OS/ABI, entry point, sections, imported libraries
// and code-signature presence as LIEF sees them (a universal Mach-O file:
// the first slice). Strings are UTF-8: the plug-in has replaced each byte
// sequence of the file's that is not with U+FFFD.
struct LiefDescription {
  std::optional<std::string> error;  // set: LIEF could not describe the file, nothing else is
  std::string format;                // "ELF", "PE", "MACHO"; empty when unknown
  std::string architecture;
  uint32_t bits = 0;  // 64, 32 or 0 (unknown)
  std::string object_type;
  std::string endianness;
  std::optional<uint64_t> entrypoint;  // none for a Mach-O dylib (LIEF 0.9)
  bool pie = false;
  bool nx = false;
  std::optional<std::string> os_abi;        // ELF
  std::optional<std::string> interpreter;   // ELF with PT_INTERP
  std::optional<bool> code_signature;       // Mach-O
  std::optional<std::string> install_name;  // Mach-O dylib (LC_ID_DYLIB)
  std::vector<LiefSection> sections;
  std::vector<std::string> libraries;  // imported; not a dylib's own name
};

// The description of the binary at `path` by the LIEF plug-in, loaded on
// first use (plugin_loader.h). A LIEF failure, and a missing plug-in, are
// reported in `error`; throws PluginRefused for a plug-in of another build.
LiefDescription describe_with_lief(const std::string& path);

}  // namespace buildinfo
