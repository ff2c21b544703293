// Fuzz target: what the dependency inventory parses. The input is, in
// turn, an inventory document (parse_inventory, whose canonical form must
// be a fixed point: written, read and written again gives the same bytes),
// a build description (resolve_dependencies with the system's answers made
// up here), a --dep argument, and a verify constraint with a version
// (compare_versions must be antisymmetric and reflexive).
#include <cstddef>
#include <cstdint>
#include <string>

#include "record/dependency_inventory.h"
#include "record/dependency_policy.h"
#include "record/dependency_resolution.h"
#include "support/error.h"

namespace {

buildinfo::ResolutionSources made_up_sources() {
  buildinfo::ResolutionSources sources;
  sources.owners = [](const std::vector<std::string>& files) {
    std::map<std::string, buildinfo::DebianPackage> out;
    for (const std::string& file : files)
      if (!file.empty() && file[0] == '/') out[file] = {"pkg" + std::to_string(file.size() % 3), "1:" + file, "amd64"};
    return out;
  };
  sources.distribution_id = "debian";
  sources.distribution_version = "12";
  sources.vcs_state = [](const std::string& file) -> std::optional<std::pair<std::string, bool>> {
    if (file.size() % 2) return std::nullopt;
    return std::make_pair(std::string(40, 'a'), file.size() % 4 == 0);
  };
  return sources;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace buildinfo;
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const std::string canonical = inventory_json(parse_inventory(text, "fuzz"));
    if (inventory_json(parse_inventory(canonical, "fuzz")) != canonical) __builtin_trap();
  } catch (const Error&) {
  }
  try {
    const std::vector<Dependency> resolved = resolve_dependencies(text, "fuzz", made_up_sources());
    (void)inventory_json(resolved);  // what buildinfo deps writes must be an inventory, or refused
  } catch (const Error&) {
  }
  try {
    (void)parse_dep_argument(text);
  } catch (const Error&) {
  }
  try {
    const DependencyConstraint c = parse_dependency_constraint(text, "fuzz");
    const int forward = compare_versions(c.name, c.version), backward = compare_versions(c.version, c.name);
    if ((forward < 0) != (backward > 0) || (forward == 0) != (backward == 0)) __builtin_trap();
    if (compare_versions(c.version, c.version) != 0) __builtin_trap();
  } catch (const Error&) {
  }
  return 0;
}
