// The RT_VERSION branch of the resource tree (see pe_resources.h). Layouts
// from Microsoft's PE format specification, "The .rsrc Section":
// https://learn.microsoft.com/en-us/windows/win32/debug/pe-format#the-rsrc-section
#include "formats/pe/pe_resources.h"

#include <string>

#include "support/utf16.h"

namespace buildinfo {
namespace {

// IMAGE_RESOURCE_DIRECTORY: 16 bytes, whose last two words count the named
// entries and then the ID entries that follow it, 8 bytes each.
constexpr uint64_t kDirectorySize = 16, kNamedEntries = 12, kIdEntries = 14, kEntrySize = 8;
// An entry's first word is an ID, or with the high bit an offset to a
// name; its second an offset to a data entry, or with the high bit to a
// subdirectory. Offsets count from the start of the resource table.
constexpr uint32_t kHighBit = 0x80000000u;
// IMAGE_RESOURCE_DATA_ENTRY: the data's RVA and size, then code page.
constexpr uint64_t kDataEntrySize = 16;
// RT_VERSION, from winuser.h (MAKEINTRESOURCE(16)).
constexpr uint32_t kRtVersion = 16;
// A bound on the version resources one image may list: a tree whose
// entries point at the same directories again and again would otherwise
// be walked for a very long time.
constexpr size_t kMaxVersionResources = 256;

struct Entry {
  uint32_t name;    // an ID, or kHighBit | the offset of a name
  uint32_t target;  // a data entry's offset, or kHighBit | a directory's
};

std::vector<Entry> read_directory(ByteView tree, uint32_t offset, const char* what) {
  const uint64_t count =
      uint64_t{tree.le<uint16_t>(offset + kNamedEntries, what)} + tree.le<uint16_t>(offset + kIdEntries, what);
  const ByteView entries = tree.sub(uint64_t{offset} + kDirectorySize, count * kEntrySize, what);
  std::vector<Entry> out;
  for (uint64_t i = 0; i < count; ++i)
    out.push_back(Entry{entries.le<uint32_t>(i * kEntrySize, what), entries.le<uint32_t>(i * kEntrySize + 4, what)});
  return out;
}

uint32_t subdirectory(ByteView tree, const Entry& entry, const char* what) {
  if ((entry.target & kHighBit) == 0) throw tree.malformed(std::string(what) + " is a data entry, not a directory");
  return entry.target & ~kHighBit;
}

// A resource's name: its ID in decimal, or its name string
// (IMAGE_RESOURCE_DIR_STRING_U: a length in UTF-16 units, then the units).
std::string entry_name(ByteView tree, const Entry& entry) {
  if ((entry.name & kHighBit) == 0) return std::to_string(entry.name);
  const uint64_t at = entry.name & ~kHighBit;
  const uint16_t length = tree.le<uint16_t>(at, "resource name");
  return "\"" + utf16le_to_utf8(tree.sub(at + 2, uint64_t{length} * 2, "resource name")) + "\"";
}

std::string language_hex(uint32_t id) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  for (int shift = 12; shift >= 0; shift -= 4) out += kDigits[(id >> shift) & 0xf];
  return out;
}

// The file range of [rva, rva + size): it must lie in one section's file bytes.
FileRange map_rva(ByteView file, uint32_t rva, uint32_t size, const std::vector<SectionInfo>& sections,
                  const char* what) {
  for (const SectionInfo& s : sections) {
    if (s.bytes.length == 0 || rva < s.address || rva - s.address >= s.bytes.length) continue;
    if (size > s.bytes.length - (rva - s.address))
      throw file.malformed(std::string(what) + " (RVA " + std::to_string(rva) + ", size " + std::to_string(size) +
                           ") runs past the file bytes of section " + s.name);
    return FileRange{s.bytes.offset + (rva - s.address), size};
  }
  throw file.malformed(std::string(what) + " (RVA " + std::to_string(rva) + ") lies in no section's file bytes");
}

}  // namespace

std::vector<VersionResource> find_version_resources(ByteView file, ResourceDirectoryEntry table,
                                                    const std::vector<SectionInfo>& sections) {
  std::vector<VersionResource> out;
  if (table.rva == 0 || table.size == 0) return out;
  const FileRange tree_range = map_rva(file, table.rva, table.size, sections, "resource table");
  const ByteView tree = file.sub(tree_range.offset, tree_range.length, "resource table");
  // Three levels: type, name, language.
  for (const Entry& type : read_directory(tree, 0, "resource type directory")) {
    if (type.name != kRtVersion) continue;
    for (const Entry& name :
         read_directory(tree, subdirectory(tree, type, "RT_VERSION entry"), "RT_VERSION name directory")) {
      for (const Entry& language :
           read_directory(tree, subdirectory(tree, name, "RT_VERSION name entry"), "RT_VERSION language directory")) {
        if ((language.target & kHighBit) != 0)
          throw tree.malformed("RT_VERSION language entry points to a directory, not to data");
        const ByteView data = tree.sub(language.target, kDataEntrySize, "RT_VERSION data entry");
        const FileRange bytes = map_rva(file, data.le<uint32_t>(0, "RT_VERSION data RVA"),
                                        data.le<uint32_t>(4, "RT_VERSION data size"), sections, "RT_VERSION data");
        if (out.size() == kMaxVersionResources)
          throw file.malformed("the resource table lists more than " + std::to_string(kMaxVersionResources) +
                               " version resources");
        out.push_back(VersionResource{
            "RT_VERSION " + entry_name(tree, name) + ", language " + language_hex(language.name & 0xffff), bytes});
      }
    }
  }
  return out;
}

}  // namespace buildinfo
