// The VS_VERSIONINFO structure of a version resource (RT_VERSION): its
// VS_FIXEDFILEINFO and its StringFileInfo string tables, with the file
// offsets of the fields that stamp fills. The one parser of it, for stamp
// and for inspect. Layouts:
// https://learn.microsoft.com/en-us/windows/win32/menurc/vs-versioninfo
// https://learn.microsoft.com/en-us/windows/win32/api/verrsrc/ns-verrsrc-vs_fixedfileinfo
// https://learn.microsoft.com/en-us/windows/win32/menurc/stringfileinfo
// https://learn.microsoft.com/en-us/windows/win32/menurc/stringtable
// https://learn.microsoft.com/en-us/windows/win32/menurc/string-str
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "support/byte_view.h"

namespace buildinfo {

// VS_FIXEDFILEINFO's fields (after dwSignature and dwStrucVersion, which the
// parser checks), and the file offset of the structure.
struct FixedFileInfo {
  uint64_t offset;
  uint32_t file_version_ms, file_version_ls;
  uint32_t product_version_ms, product_version_ls;
  uint32_t file_flags_mask, file_flags, file_os, file_type, file_subtype;
};

// The byte offsets of FileVersionMS and ProductVersionMS in
// VS_FIXEDFILEINFO; each is followed by its LS half.
constexpr uint64_t kFixedFileVersionOffset = 8, kFixedProductVersionOffset = 16;

// One String of a StringTable: its key and value (as UTF-8), and where the
// value lives: `value_length_offset` is the file offset of its wValueLength
// (in UTF-16 units, the NUL included), `value_offset` that of the value,
// and `capacity` the UTF-16 units from there to the end of the String
// (its wLength), which a value written in place may use, NUL included.
struct VersionString {
  std::string key;
  std::string value;
  uint64_t value_length_offset;
  uint64_t value_offset;
  uint64_t capacity;
};

// A StringTable: its key (language and code page, e.g. "040904b0") and
// its strings in file order.
struct VersionStringTable {
  std::string key;
  std::vector<VersionString> strings;
};

struct VersionInfo {
  std::optional<FixedFileInfo> fixed;  // absent when wValueLength is 0
  std::vector<VersionStringTable> tables;
};

// Parses the VS_VERSIONINFO in `bytes`, which lie at `file_offset` in the
// file (for the offsets it reports). Throws bytes.malformed() naming the
// first defect: a length that overruns its parent, a key without NUL, a
// wrong root key or signature. Children it does not know (VarFileInfo) are
// bounds-checked and skipped.
VersionInfo parse_version_info(ByteView bytes, uint64_t file_offset);

}  // namespace buildinfo
