// The VS_VERSIONINFO parser (see pe_version_info.h for Microsoft's pages).
// Every structure of the tree has the same head: wLength (its size, its
// children included), wValueLength, wType (1: the value is text, its length
// counted in UTF-16 units; 0: binary, in bytes), a NUL-terminated UTF-16
// key, padding to 32 bits, the value, padding, the children.
#include "formats/pe/pe_version_info.h"

#include <algorithm>

#include "support/utf16.h"

namespace buildinfo {
namespace {

constexpr uint64_t kHeadSize = 6;  // wLength, wValueLength, wType
constexpr uint32_t kFixedSignature = 0xfeef04bd;
constexpr uint64_t kFixedSize = 52;  // 13 DWORDs
constexpr uint16_t kTextValue = 1;
// StringFileInfo, StringTable and String are three levels below the root;
// nothing deeper is read.

uint64_t align4(uint64_t at) { return (at + 3) & ~uint64_t{3}; }

struct Node {
  uint64_t begin, end;  // offsets in the VS_VERSIONINFO bytes
  uint16_t value_length;
  uint16_t type;
  std::string key;
  uint64_t value_offset;     // after the key and its padding (at most `end`)
  uint64_t children_offset;  // after the value and its padding (at most `end`)
};

// The structure at `at`, which must end by `limit` (its parent's end).
Node read_node(ByteView b, uint64_t at, uint64_t limit, const char* what) {
  Node n{};
  n.begin = at;
  const uint16_t length = b.le<uint16_t>(at, what);
  if (length < kHeadSize || length > limit - at)
    throw b.malformed(std::string(what) + " wLength " + std::to_string(length) + " at offset " + std::to_string(at) +
                      (length < kHeadSize ? " is shorter than its header" : " runs past its parent"));
  n.end = at + length;
  n.value_length = b.le<uint16_t>(at + 2, what);
  n.type = b.le<uint16_t>(at + 4, what);
  uint64_t key_end = at + kHeadSize;
  for (;; key_end += 2) {
    if (key_end + 2 > n.end) throw b.malformed(std::string(what) + " key has no NUL within its wLength");
    if (b.le<uint16_t>(key_end, what) == 0) break;
  }
  n.key = utf16le_to_utf8(b.sub(at + kHeadSize, key_end - at - kHeadSize, what));
  n.value_offset = std::min(align4(key_end + 2), n.end);
  const uint64_t value_bytes = n.type == kTextValue ? uint64_t{n.value_length} * 2 : n.value_length;
  n.children_offset = std::min(align4(n.value_offset + value_bytes), n.end);
  return n;
}

// The children of `parent`, each 32-bit aligned after the previous one.
std::vector<Node> children(ByteView b, const Node& parent, const char* what) {
  std::vector<Node> out;
  for (uint64_t at = parent.children_offset; at + kHeadSize <= parent.end;) {
    Node child = read_node(b, at, parent.end, what);
    at = align4(child.end);
    out.push_back(std::move(child));
  }
  return out;
}

FixedFileInfo read_fixed(ByteView b, const Node& root, uint64_t file_offset) {
  if (root.value_length < kFixedSize || root.value_offset + kFixedSize > root.end)
    throw b.malformed("VS_FIXEDFILEINFO is " + std::to_string(root.value_length) + " bytes, not " +
                      std::to_string(kFixedSize));
  const ByteView f = b.sub(root.value_offset, kFixedSize, "VS_FIXEDFILEINFO");
  if (f.le<uint32_t>(0, "VS_FIXEDFILEINFO dwSignature") != kFixedSignature)
    throw b.malformed("VS_FIXEDFILEINFO dwSignature is not 0xfeef04bd");
  const auto field = [&f](uint64_t at) { return f.le<uint32_t>(at, "VS_FIXEDFILEINFO"); };
  return FixedFileInfo{file_offset + root.value_offset,
                       field(8),
                       field(12),
                       field(16),
                       field(20),
                       field(24),
                       field(28),
                       field(32),
                       field(36),
                       field(40)};
}

VersionString read_string(ByteView b, const Node& n, uint64_t file_offset) {
  // The value runs to its NUL; the units after it up to wLength are room
  // for a longer one. wValueLength is not trusted for the text: writers
  // disagree whether it counts units or bytes.
  uint64_t end = n.value_offset;
  while (end + 2 <= n.end && b.le<uint16_t>(end, "String value") != 0) end += 2;
  return VersionString{n.key, utf16le_to_utf8(b.sub(n.value_offset, end - n.value_offset, "String value")),
                       file_offset + n.begin + 2, file_offset + n.value_offset, (n.end - n.value_offset) / 2};
}

}  // namespace

VersionInfo parse_version_info(ByteView bytes, uint64_t file_offset) {
  const Node root = read_node(bytes, 0, bytes.size(), "VS_VERSIONINFO");
  if (root.key != "VS_VERSION_INFO")
    throw bytes.malformed("version resource key is \"" + root.key + "\", not \"VS_VERSION_INFO\"");
  VersionInfo info;
  if (root.value_length != 0) info.fixed = read_fixed(bytes, root, file_offset);
  for (const Node& block : children(bytes, root, "StringFileInfo or VarFileInfo")) {
    const std::vector<Node> blocks = children(bytes, block, "StringTable or Var");
    if (block.key != "StringFileInfo") continue;
    for (const Node& table : blocks) {
      VersionStringTable out{table.key, {}};
      for (const Node& string : children(bytes, table, "String"))
        out.strings.push_back(read_string(bytes, string, file_offset));
      info.tables.push_back(std::move(out));
    }
  }
  return info;
}

}  // namespace buildinfo
