// A description of a binary by LIEF, for `inspect`: breadth, not speed.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace buildinfo {

// Format, architecture, OS/ABI, entry point, sections, imported libraries and
// code-signature presence as LIEF sees them. Never throws: a LIEF failure is
// reported as {"error": "..."}.
nlohmann::json describe_with_lief(const std::string& path);

// The file offset and size of section `name` as LIEF reads it, for the
// locator oracle in tests. Mach-O universal files: the first slice.
struct LiefSection {
  bool found = false;
  uint64_t offset = 0;
  uint64_t size = 0;
};
LiefSection lief_find_section(const std::string& path, const std::string& name);

}  // namespace buildinfo
