// The witnesses of a git answer (vcs/state_proof.h): every path whose
// lstat() data must stay the same for libgit2 to give the same facts. Part
// of the git plug-in; needs libgit2.
#pragma once

#include <git2.h>

#include <map>
#include <set>
#include <string>

#include "vcs/git_info.h"

namespace buildinfo {

// Where a search for a repository from `source_dir` (absolute, canonical)
// up to the root found none: `.git` and `HEAD` (a bare repository) at
// every level.
void add_search_witnesses(const std::string& source_dir, std::set<std::string>& witnesses);

// The witnesses of finding that `repo` does not track `source_dir`
// (absolute, canonical): the search up to its working tree and the index.
void add_untracked_source_witnesses(git_repository* repo, const std::string& source_dir,
                                    std::set<std::string>& witnesses);

// What made a tree modified, as far as a proof needs to know.
struct GitChanges {
  bool staged = true;  // staged changes or conflicts; false once the scan has shown none
  bool untracked = false;
  std::set<std::string> changed_files;  // tracked files that differ, relative to the working tree
};

// The witnesses of an answer: their paths, and the tracked files among
// them that can be judged by their contents (plugin_abi.h).
struct Witnesses {
  std::set<std::string> paths;
  std::map<std::string, TrackedContent> contents;
  bool modified_otherwise = true;
};

// The witnesses of the facts of `repo`, found from `source_dir` (absolute,
// canonical), HEAD at `head`, with the `changes` the dirty check found.
// Returns "" or why no list can prove them (then `witnesses` is incomplete
// and must not be used).
std::string add_repository_witnesses(git_repository* repo, const std::string& source_dir, const git_oid* head,
                                     bool untracked_dirty, const GitChanges& changes, Witnesses& witnesses);

}  // namespace buildinfo
