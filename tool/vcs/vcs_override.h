// Git facts given by the build system instead of read: distribution build
// services and other builds that know the commit better than the tree they
// build from. BUILDINFO_VCS_REVISION and BUILDINFO_VCS_TIME are required;
// BUILDINFO_VCS_BRANCH or BUILDINFO_VCS_TAG, BUILDINFO_VCS_DESCRIBE,
// BUILDINFO_VCS_MODIFIED and BUILDINFO_VCS_URL are optional. An override
// gives every fact: nothing is then read from a repository, so the two
// never mix (README, "Builds without a repository").
#pragma once

#include <optional>

#include "vcs/git_info.h"

namespace buildinfo {

// nullopt when no BUILDINFO_VCS_* variable is set. Throws Error(bad_input)
// naming the variable when one is malformed, or when some are set but
// BUILDINFO_VCS_REVISION or BUILDINFO_VCS_TIME is not.
std::optional<GitFacts> override_facts();

}  // namespace buildinfo
