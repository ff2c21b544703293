// From what the build system knows to the dependency inventory: the build
// description that buildinfo_stamp() writes (each dependency's name,
// version, how it was found, its library files, its repository) becomes
// dependencies with package URLs, through the package manager that owns
// the files (Debian's dpkg, where there is one) and the sub-projects' git
// states. The logic behind `buildinfo deps`.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "record/dependency_inventory.h"

namespace buildinfo {

// A Debian package that owns a file.
struct DebianPackage {
  std::string name;          // zlib1g
  std::string version;       // 1:1.2.13.dfsg-1
  std::string architecture;  // amd64
};

// What the resolution asks of the system, so that tests can answer it.
struct ResolutionSources {
  // The packages owning each file (by the path given); files no package
  // owns are left out.
  std::function<std::map<std::string, DebianPackage>(const std::vector<std::string>&)> owners;
  // The distribution, as /etc/os-release says: ID and VERSION_ID
  // ("debian", "12"); empty without one.
  std::string distribution_id, distribution_version;
  // A repository's commit and dirty flag from its git-state file; nullopt
  // when the file says there was no repository.
  std::function<std::optional<std::pair<std::string, bool>>(const std::string& state_file)> vcs_state;
};

// pkg:deb/<id>/<package>@<version>?arch=<arch>&distro=<id>-<version_id>
// (purl-spec's deb type).
std::string debian_purl(const DebianPackage& package, const std::string& id, const std::string& version_id);

// The dependencies of build description `json` (read from `source`).
// Throws Error(bad_input) naming `source` for a description that is not one.
std::vector<Dependency> resolve_dependencies(const std::string& json, const std::string& source,
                                             const ResolutionSources& sources);

// The system's answers: dpkg-query for the owners (none without dpkg),
// /etc/os-release for the distribution. `vcs_state` is the caller's.
ResolutionSources system_sources();

}  // namespace buildinfo
