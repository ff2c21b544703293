// Git facts for the payload, read with libgit2 from a source directory by
// the git plug-in (buildinfo-git.so, git_plugin.cc).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace buildinfo {

struct GitOptions {
  std::string source_dir = ".";
  bool untracked_dirty = false;  // count untracked files as modifications
};

struct GitFacts {
  std::string revision;               // full hex object id of HEAD's commit
  std::string commit_time;            // ISO 8601 UTC, e.g. 2026-11-23T13:33:00Z
  int64_t commit_epoch = 0;           // seconds since the epoch
  bool modified = false;              // tracked changes (and untracked, if asked)
  std::string ref_name;               // branch or tag name; empty when detached and untagged
  std::string ref_type;               // "branch", "tag" or empty
  std::string describe;               // like `git describe --tags --always`, "-dirty" when modified
  std::string repository_url;         // origin URL, credentials removed; may be empty
  std::string source = "repository";  // where the facts came from: repository, archive or override
};

// How every warning of read_git_facts ends: what `stamp` does without git facts.
constexpr const char* kNoVcsFieldsNote = "; vcs.* fields omitted";

// Reads the repository that contains `options.source_dir` (worktrees and
// submodules included) through the git plug-in, loaded on first use
// (plugin_loader.h). Returns nullopt and sets `warning` when there is no
// repository or HEAD has no commit; throws Error(bad_input) on a libgit2
// failure inside a repository that exists, PluginMissing or PluginRefused.
std::optional<GitFacts> read_git_facts(const GitOptions& options, std::string& warning);

// A tracked file whose contents tell whether it is modified
// (plugin_abi.h, witness_blobs).
struct TrackedContent {
  std::string blob;      // its index entry's blob id, hex
  bool differs = false;  // the file differs from it
  bool crlf = false;     // git's line-ending filter applies: its bytes are the blob's only without a CR
};

// The facts, and the witnesses that prove them (vcs/state_proof.h).
struct GitReading {
  std::optional<GitFacts> facts;
  std::string warning;                             // set when there are no facts
  std::vector<std::string> witnesses;              // absolute paths
  std::string no_witnesses;                        // why there are none, or ""
  std::map<std::string, TrackedContent> contents;  // by witness path
  bool modified_otherwise = true;                  // modified whatever the files of `contents` hold
};

// Like read_git_facts, with the witnesses unless `witnesses` is false.
GitReading read_git_state(const GitOptions& options, bool witnesses = true);

}  // namespace buildinfo
