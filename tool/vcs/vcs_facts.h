// Where the git facts of a stamp come from, in this order: an override
// (BUILDINFO_VCS_*, vcs_override.h); the repository that tracks the source
// directory (libgit2, git_info.h); a `.buildinfo-vcs` that `git archive`
// filled in (vcs_archive.h); else none, with a warning. The facts say which
// (GitFacts::source, the payload's vcs.source).
#pragma once

#include <optional>
#include <string>

#include "vcs/git_info.h"

namespace buildinfo {

// The facts, with the witnesses that prove them (GitReading's fields).
GitReading read_vcs_state(const GitOptions& options);

// The facts alone; `warning` is set when there are none.
std::optional<GitFacts> read_vcs_facts(const GitOptions& options, std::string& warning);

}  // namespace buildinfo
