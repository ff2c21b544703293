// Git facts for a tree that is not a checkout: a release tarball made by
// `git archive`. A project carries `.buildinfo-vcs` with `$Format:...$`
// placeholders and marks it `export-subst` in .gitattributes; `git archive`
// fills them in (gitattributes(5), "export-subst"; the placeholders are
// those of git-log(1), "PRETTY FORMATS"). In a checkout the placeholders
// are still there, and the file is ignored. README, "Builds without a
// repository", shows the file.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "vcs/git_info.h"

namespace buildinfo {

inline constexpr const char* kArchiveFactsFile = ".buildinfo-vcs";

// The files that could describe `source_dir` (absolute, canonical), nearest
// first: `.buildinfo-vcs` in it and in each directory above, up to the
// first one that holds a `.git`.
std::vector<std::string> archive_fact_files(const std::string& source_dir);

// The facts of the first of `files` that `git archive` filled in (its path
// in `used`); nullopt when there is none. Throws Error(bad_input) naming
// the file when a filled one is malformed.
std::optional<GitFacts> read_archive_facts(const std::vector<std::string>& files, std::string& used);

// The facts in the text of a filled file; throws Error(bad_input) naming
// `source`; nullopt when its placeholders were not filled.
std::optional<GitFacts> parse_archive_facts(const std::string& text, const std::string& source);

}  // namespace buildinfo
