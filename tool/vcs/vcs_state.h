// The vcs-state file: the git facts of a stamp as `key value` lines, written
// by `buildinfo vcs-state` once per build and read back by `stamp
// --vcs-state`, so that a build opens the repository with libgit2 once.
#pragma once

#include <optional>
#include <string>

#include "vcs/git_info.h"

namespace buildinfo {

// True for a full commit id: 40 (SHA-1) or 64 (SHA-256) lowercase hex digits.
bool is_full_commit_id(const std::string& text);

// "no repository\n" when `facts` is empty (then a "why" line with
// `warning`, when given); otherwise one line per fact.
std::string format_vcs_state(const std::optional<GitFacts>& facts, const std::string& warning = "");

// The facts in `text` (nullopt for "no repository", and `why` set to the
// warning it was written with, if any). Throws Error(bad_input) naming
// `source` when a line is missing or malformed.
std::optional<GitFacts> parse_vcs_state(const std::string& text, const std::string& source, std::string* why = nullptr);

}  // namespace buildinfo
