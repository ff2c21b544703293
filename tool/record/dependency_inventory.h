// The dependency inventory (FORMAT.md, "The dependency inventory"): what a
// module links, with versions and package URLs, as one canonical JSON
// document that stamp writes into the module's dependency space and binds
// to the signed record by its SHA-256 (deps.sha256, deps.count). Built from
// `stamp --dep` and `--deps-file` (the build system's knowledge), read back
// by inspect and verify.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "formats/binary_format.h"
#include "record/payload.h"
#include "support/byte_view.h"

namespace buildinfo {

// The inventory's own format version (its "format" key).
constexpr const char* kInventoryFormat = "1";

struct Dependency {
  std::string name;          // required
  std::string version;       // empty when unknown
  std::string purl;          // https://github.com/package-url/purl-spec; pkg:generic/<name>@<version> when not given
  std::string linkage;       // "static", "shared" or empty (unknown)
  std::string source;        // how the build found it: find_package, subproject, pkg-config, command-line, ...
  std::string vcs_revision;  // a sub-project's own commit, when it is a repository
  std::string vcs_modified;  // "true" or "false" with vcs_revision
  std::vector<std::string> depends;  // the purls of the dependencies it links
};

// One `--dep NAME=VERSION[,purl=P][,linkage=static|shared]` argument.
// Throws Error(bad_input) naming the argument and the defect.
Dependency parse_dep_argument(const std::string& argument);

// The dependencies of an inventory document (the JSON that stamp writes
// and `--deps-file` takes). Throws Error(bad_input) naming `source` and
// the defect: not JSON, an unknown key, a value that is not a string, a
// missing name, an invalid linkage, a purl listed twice, a `depends` purl
// that is not in the list.
std::vector<Dependency> parse_inventory(const std::string& json, const std::string& source);

// What a purl component keeps unencoded besides RFC 3986's unreserved
// characters: '+' and ':' of Debian versions (1:1.2.13.dfsg-1+deb12u1),
// as the deb examples of purl-spec write them.
constexpr const char* kPurlKeeps = "+:";

// pkg:generic/<name>@<version>, percent-encoded: the purl of a dependency
// that no package manager names.
std::string generic_purl(const std::string& name, const std::string& version);

// The canonical document of `dependencies` (sorted by purl, keys sorted,
// no whitespace), checked as parse_inventory() checks it, generic purls
// filled in. Throws Error(bad_input) as parse_inventory() does.
std::string inventory_json(std::vector<Dependency> dependencies);

// The dependencies as the inventory lists them (inspect --json shows them
// so): one object each, empty fields left out.
nlohmann::json dependencies_json(const std::vector<Dependency>& dependencies);

// The payload keys that bind `json` to the record: deps.sha256 and deps.count.
void bind_inventory(Payload& payload, const std::string& json, size_t count);

// The text in a dependency space, up to its NUL (or the whole space when
// it has none).
std::string space_text(ByteView file, const DependencySpace& space);

// The dependency space of the slice at `slice_offset`, or nullptr.
const DependencySpace* space_of_slice(const BinaryFacts& facts, uint64_t slice_offset);

// The bytes stamp writes into `space`: `json`, a NUL, zeros to its end.
// Throws Error(bad_input) naming `file` when it does not fit.
std::vector<uint8_t> encode_inventory(const DependencySpace& space, const std::string& json, const std::string& file);

// What a stamped file's inventory is, as inspect and verify see it.
struct InventoryReading {
  bool bound = false;                    // the record has deps.sha256
  bool matches = false;                  // the space's text hashes to deps.sha256 and holds deps.count dependencies
  std::string defect;                    // why it does not match
  std::string recorded;                  // deps.sha256
  std::string actual;                    // the SHA-256 of the space's text; empty without a space
  std::vector<Dependency> dependencies;  // when it matches
};
InventoryReading read_inventory(ByteView file, const BinaryFacts& facts, uint64_t slice_offset, const Payload& record);

}  // namespace buildinfo
