// The vcs-state file: the git facts of a stamp as `key value` lines, written
// by `buildinfo vcs-state` once per build and read back by `stamp
// --vcs-state`, so that a build opens the repository with libgit2 once.
#pragma once

#include <optional>
#include <string>

#include "vcs/git_info.h"

namespace buildinfo {

// "no repository\n" when `facts` is empty; otherwise one line per fact.
std::string format_vcs_state(const std::optional<GitFacts>& facts);

// The facts in `text` (nullopt for "no repository"). Throws Error(bad_input)
// naming `source` when a line is missing or malformed.
std::optional<GitFacts> parse_vcs_state(const std::string& text, const std::string& source);

}  // namespace buildinfo
