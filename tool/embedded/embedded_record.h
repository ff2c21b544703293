// One record a binary carries, ours or another tool's, in the normalised
// form of `inspect` (README.md, "inspect --json", field `records`).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "formats/binary_format.h"

namespace buildinfo {

struct EmbeddedRecord {
  // What wrote it: "buildinfo", "package-note", "go-buildinfo",
  // "cargo-auditable", "pe-version-info", "macho-build-version",
  // "macho-uuid", "gnu-build-id", "elf-comment".
  std::string kind;
  // Where it was found: a section (".go.buildinfo", "__DATA,__go_buildinfo"),
  // a note, a load command ("LC_BUILD_VERSION"), a resource.
  std::string source;
  // The record's own fields, or null when it could not be read.
  nlohmann::json data;
  // The defect of a record that could not be read (one line), else empty.
  std::string error;
  // The lines of the text view, label and value (file bytes unfiltered:
  // the printer makes them printable).
  std::vector<std::pair<std::string, std::string>> lines;
};

// `data` with every string valid UTF-8: a byte sequence that is not becomes
// U+FFFD. For readers that take strings from the file as bytes (Go's build
// info), so that every consumer of a record gets text.
inline nlohmann::json valid_text(const nlohmann::json& data) {
  return nlohmann::json::parse(data.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

// A record's source when it is a section: its name, with the slice's
// architecture in a universal file ("__DATA,.dep-v0 (arm64)").
inline std::string section_source(const BinaryFacts& facts, const SectionInfo& section) {
  if (facts.slices.size() < 2 || section.slice >= facts.slices.size()) return section.name;
  return section.name + " (" + facts.slices[section.slice].target.arch + ")";
}

}  // namespace buildinfo
