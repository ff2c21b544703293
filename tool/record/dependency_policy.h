// verify's policy over the dependency inventory: --require-dep and
// --deny-dep constraints such as "OpenSSL>=3.0" or "zlib1g<1:1.2.13.dfsg-1+deb12u1".
#pragma once

#include <string>
#include <vector>

#include "record/dependency_inventory.h"

namespace buildinfo {

// NAME, or NAME followed by one of = == != < <= > >= and a version.
struct DependencyConstraint {
  std::string text;  // as given
  std::string name;
  std::string op;  // empty: any version
  std::string version;
};

// Throws Error(bad_input) naming the option and the text when it is not a
// constraint.
DependencyConstraint parse_dependency_constraint(const std::string& text, const std::string& option);

// Debian's version order (Debian Policy, 5.6.12 "Version":
// https://www.debian.org/doc/debian-policy/ch-controlfields.html#version):
// epoch, then upstream version and revision compared by runs of non-digits
// (letters before other characters, '~' before anything, even the end) and
// runs of digits (as numbers). It orders plain versions (1.2.10 > 1.2.9)
// as expected too. Negative, zero or positive, like strcmp.
int compare_versions(const std::string& a, const std::string& b);

// The dependencies `constraint` names: those whose name equals it (ignoring
// case), compared by their version, and those whose purl's package name
// equals it, compared by the purl's version (a Debian package's version).
// Each match comes with the version it is compared by.
struct ConstraintMatch {
  const Dependency* dependency;
  std::string version;
  bool satisfied;  // the version meets the constraint (always, without an operator)
};
std::vector<ConstraintMatch> match_constraint(const DependencyConstraint& constraint,
                                              const std::vector<Dependency>& dependencies);

}  // namespace buildinfo
