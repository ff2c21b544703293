// The proof that a repository's git facts have not changed since libgit2
// last read them, so that a build can skip libgit2 (and its start-up, the
// larger part of a git-state check) when nothing changed.
//
// When `vcs-state` reads a repository, the git plug-in also lists every
// path its answer depends on (plugin_abi.h, "witnesses"): the files of the
// git directory it read (HEAD, the branch's ref, packed-refs, the index,
// configuration, ignore and attribute files), every tracked file, the
// directories whose entries it listed, and the places where a repository
// was looked for and not found. The proof file holds the facts, the file
// system's clock before libgit2 started, and lstat() of each witness taken
// after it finished. The facts still hold while every witness has the same
// device, inode, mode, owner, size, modification and change times: a
// change to any input of libgit2's answer changes the change time (ctime)
// of some witness, which no program can set back. A witness whose times
// are not older than the clock may have changed during the read
// ("racily clean", as git calls it): no proof is written then, and the next
// check reads the repository again.
//
// A tracked file that no filter converts is also judged by its contents,
// as git itself does when its lstat() data changed: the proof keeps the
// blob id of its index entry and whether the file differed from it. When
// such a file changed (touched, or rewritten by an editor or a checkout),
// the check hashes it as git would (git_blob_id.h); the facts still hold
// when the tree's dirty flag comes out the same, and the proof is renewed
// with the file's new lstat() data.
//
// At every build, buildinfo-vcs-check (vcs_check/) first looks for an
// unchanged proof on its own; `vcs-state` judges any other in full here.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace buildinfo {

struct FileTime {
  int64_t seconds = 0;
  int64_t nanoseconds = 0;
};

struct FileWitness {
  std::string path;  // absolute
  bool present = false;
  uint64_t device = 0, inode = 0;
  uint32_t mode = 0, owner = 0;
  int64_t size = 0;
  FileTime modified, changed;
  // A tracked file judged by its contents: its index entry's blob id (hex),
  // and whether the file differs from it. "" for every other witness.
  std::string blob;
  bool differs = false;
  bool crlf = false;  // git converts its line endings: with a CR it is not judged here
};

struct StateProof {
  std::string source_dir;  // as given to vcs-state, made absolute and canonical
  bool untracked_dirty = false;
  std::string facts;  // the vcs-state file's text (vcs_state.h)
  FileTime clock;     // the file system's time before libgit2 started
  std::vector<FileWitness> witnesses;
  // The dirty flag of the facts, and whether it holds whatever the files
  // with a blob contain (staged changes, untracked files, another change).
  bool modified = false;
  bool modified_otherwise = true;
  // What the answer takes from the environment and the process: the
  // variables of vcs_environment.h (unset: nullopt), and the user, whom
  // libgit2's owner check compares with the repository's.
  std::vector<std::pair<std::string, std::optional<std::string>>> environment;
  uint32_t user = 0;
};

// lstat() of `path`; absent when it does not exist.
FileWitness observe(const std::string& path);

// The environment and user of this process, as a proof records them.
void record_environment(StateProof& proof);

// The current time of the file system that holds directory `dir`: the
// modification time of an unnamed file created there (O_TMPFILE), so that
// it comes from the clock that stamps the files. nullopt when it cannot be
// taken (then no proof is written).
std::optional<FileTime> file_system_now(const std::string& dir);

// True when `witness` changed at or after `clock`, or so close before it
// that a later change might keep the same times (file systems that keep
// whole seconds, or two).
bool is_racy(const FileWitness& witness, const FileTime& clock);

std::string format_state_proof(const StateProof& proof);
// nullopt when `text` is not a complete proof of this build of buildinfo.
std::optional<StateProof> parse_state_proof(const std::string& text);

// Why `proof` does not hold now ("" when it holds): the first witness that
// changed, or a changed environment. A file with a blob that changed
// without changing the dirty flag leaves the proof holding; its new lstat()
// data goes into `proof`, unless it is racy against the clock of the file
// system of `clock_dir`, and `renewed` is set.
std::string proof_failure(StateProof& proof, const std::string& clock_dir, bool& renewed);

// The proof in `proof_file` when it holds now, written back renewed when
// proof_failure renewed it; nullopt when it is absent or does not hold.
std::optional<StateProof> holding_proof(const std::string& proof_file);

// True when the facts of a proof of directory `proof_dir` (its source_dir)
// are also the facts of `source_dir`: the same directory, or one below it
// with no repository between the two.
bool proof_covers(const std::string& proof_dir, const std::string& source_dir);

// The proof file that belongs to the vcs-state file `state_file`.
std::string proof_path_for(const std::string& state_file);

// The facts of the proof in `proof_file` when it still holds for
// `source_dir` (proof_covers) with the same untracked-files rule; nullopt
// otherwise.
std::optional<std::string> proven_facts(const std::string& proof_file, const std::string& source_dir,
                                        bool untracked_dirty);

// The proof in file `path`; nullopt when it is absent, unreadable or not a
// complete proof of this build.
std::optional<StateProof> read_state_proof(const std::string& path);

// `path` made absolute with every symbolic link resolved; "" when it
// cannot be.
std::string canonical_path(const std::string& path);

}  // namespace buildinfo
