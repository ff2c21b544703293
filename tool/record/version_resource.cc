// Filling the reserved version resource (see version_resource.h).
#include "record/version_resource.h"

#include <algorithm>
#include <map>

#include "support/error.h"
#include "support/terminal_text.h"
#include "support/utf16.h"

namespace buildinfo {
namespace {

bool owns(const VersionStringTable& table) {
  return std::any_of(table.strings.begin(), table.strings.end(),
                     [](const VersionString& s) { return s.key == kVersionOwnerKey; });
}

std::string fact(const Payload& facts, const char* key) {
  const auto it = facts.find(key);
  return it != facts.end() ? it->second : "";
}

// The values stamp writes, by String key.
std::map<std::string, std::string> string_values(const Payload& facts) {
  const std::string version = fact(facts, "project.version");
  const std::string revision = fact(facts, "vcs.revision");
  std::string source_revision;
  if (!revision.empty()) source_revision = revision + (fact(facts, "vcs.modified") == "true" ? " dirty" : " clean");
  return {{"FileVersion", version},
          {"ProductVersion", version},
          {"ProductName", fact(facts, "project.name")},
          {"SourceRevision", source_revision}};
}

void put_le16(std::vector<uint8_t>& out, uint16_t value) {
  out.push_back(static_cast<uint8_t>(value));
  out.push_back(static_cast<uint8_t>(value >> 8));
}

void put_le32(std::vector<uint8_t>& out, uint32_t value) {
  put_le16(out, static_cast<uint16_t>(value));
  put_le16(out, static_cast<uint16_t>(value >> 16));
}

// wValueLength and the value area of `s`: the value's units, a NUL, zeros
// to the String's end (its wLength stays as the resource compiler wrote it).
void fill_string(const VersionString& s, const std::string& value, const VersionResource& resource,
                 const std::string& file, std::vector<PlainWrite>& writes) {
  const std::vector<uint16_t> units = utf8_to_utf16(value);
  if (units.size() + 1 > s.capacity || units.size() + 1 > 0xffff)
    throw Error(ErrorKind::bad_input, file,
                "version resource string " + s.key + " needs " + std::to_string(units.size() + 1) +
                    " UTF-16 units but " + resource.where + " holds " + std::to_string(s.capacity) + " ('" +
                    printable(value) + "')");
  std::vector<uint8_t> length;
  put_le16(length, static_cast<uint16_t>(units.size() + 1));
  writes.push_back(PlainWrite{s.value_length_offset, length, ""});
  std::vector<uint8_t> area;
  for (uint16_t unit : units) put_le16(area, unit);
  area.resize(s.capacity * 2, 0);
  writes.push_back(PlainWrite{s.value_offset, area, ""});
}

}  // namespace

bool is_reserved_version_info(const VersionInfo& info) {
  return std::any_of(info.tables.begin(), info.tables.end(), owns);
}

std::vector<uint16_t> numeric_version(const std::string& version) {
  std::vector<uint16_t> out;
  size_t at = 0;
  while (out.size() < 4 && at < version.size() && version[at] >= '0' && version[at] <= '9') {
    uint32_t value = 0;
    for (; at < version.size() && version[at] >= '0' && version[at] <= '9'; ++at) {
      value = value * 10 + static_cast<uint32_t>(version[at] - '0');
      if (value > 0xffff) return std::vector<uint16_t>(4, 0);  // no 16-bit field holds it
    }
    out.push_back(static_cast<uint16_t>(value));
    if (at >= version.size() || version[at] != '.') break;
    ++at;
  }
  out.resize(4, 0);
  return out;
}

std::vector<PlainWrite> version_resource_writes(const VersionResource& resource, const VersionInfo& info,
                                                const Payload& facts, const std::string& file) {
  std::vector<PlainWrite> writes;
  const std::string version = fact(facts, "project.version");
  const std::vector<uint16_t> v = numeric_version(version);
  if (info.fixed) {
    // FileVersionMS, FileVersionLS, then the same for ProductVersion.
    std::vector<uint8_t> words;
    for (int twice = 0; twice < 2; ++twice) {
      put_le32(words, uint32_t{v[0]} << 16 | v[1]);
      put_le32(words, uint32_t{v[2]} << 16 | v[3]);
    }
    static_assert(kFixedProductVersionOffset == kFixedFileVersionOffset + 8, "the two versions are adjacent");
    writes.push_back(PlainWrite{info.fixed->offset + kFixedFileVersionOffset, words, ""});
  }
  const std::map<std::string, std::string> values = string_values(facts);
  for (const VersionStringTable& table : info.tables) {
    if (!owns(table)) continue;
    for (const VersionString& s : table.strings) {
      const auto value = values.find(s.key);
      if (value != values.end()) fill_string(s, value->second, resource, file, writes);
    }
  }
  if (writes.empty()) return writes;
  const std::string revision = values.at("SourceRevision");
  writes.front().report = "stamped " + printable(file) + " (" + resource.where + "): version resource, " +
                          (version.empty() ? "no version" : "version " + printable(version)) + " (" +
                          std::to_string(v[0]) + "." + std::to_string(v[1]) + "." + std::to_string(v[2]) + "." +
                          std::to_string(v[3]) + "), " +
                          (revision.empty() ? "no revision" : "revision " + printable(revision)) + "\n";
  return writes;
}

}  // namespace buildinfo
