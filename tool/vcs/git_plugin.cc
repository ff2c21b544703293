// buildinfo-git.so: the git facts for the payload (vcs.*), read with libgit2
// from a source directory, behind the table of plugin_abi.h. The only code
// that reads a repository; the tool and the tests call it through
// read_git_facts (git_info.cc).
#include <git2.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <memory>
#include <set>
#include <vector>

#include "plugins/plugin_abi.h"
#include "support/error.h"
#include "support/time_format.h"
#include "vcs/git_info.h"
#include "vcs/git_witnesses.h"
#include "vcs/url.h"

namespace buildinfo {
namespace {

// libgit2's global state, set up on first use and torn down at exit.
class Libgit2 {
 public:
  Libgit2() {
    if (git_libgit2_init() < 0) throw Error(ErrorKind::internal, "git: libgit2 failed to initialise");
  }
  ~Libgit2() { git_libgit2_shutdown(); }
  Libgit2(const Libgit2&) = delete;
  Libgit2& operator=(const Libgit2&) = delete;
};

void ensure_libgit2() { static const Libgit2 instance; }

// One owner type per libgit2 object, each freed with its own function.
template <typename T, void (*Free)(T*)>
struct FreeWith {
  void operator()(T* object) const noexcept { Free(object); }
};
template <typename T, void (*Free)(T*)>
using Owned = std::unique_ptr<T, FreeWith<T, Free>>;

using Repository = Owned<git_repository, git_repository_free>;
using Reference = Owned<git_reference, git_reference_free>;
using ReferenceIterator = Owned<git_reference_iterator, git_reference_iterator_free>;
using Object = Owned<git_object, git_object_free>;
using Commit = Owned<git_commit, git_commit_free>;
using Tree = Owned<git_tree, git_tree_free>;
using Index = Owned<git_index, git_index_free>;
using Diff = Owned<git_diff, git_diff_free>;
using Odb = Owned<git_odb, git_odb_free>;
using Remote = Owned<git_remote, git_remote_free>;
using DescribeResult = Owned<git_describe_result, git_describe_result_free>;

class Buffer {
 public:
  Buffer() = default;
  ~Buffer() { git_buf_dispose(&buf_); }
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;
  git_buf* get() { return &buf_; }
  std::string str() const { return buf_.ptr != nullptr ? std::string(buf_.ptr, buf_.size) : std::string(); }

 private:
  git_buf buf_ = GIT_BUF_INIT;
};

std::string last_error_message() {
  const git_error* error = git_error_last();
  return error != nullptr && error->message != nullptr ? error->message : "unknown libgit2 error";
}

// Throws Error(bad_input) with libgit2's message for the failed step.
[[noreturn]] void fail(const std::string& step, const std::string& where) {
  throw Error(ErrorKind::bad_input, "git: " + step + " in '" + where + "': " + last_error_message());
}

void check(int status, const std::string& step, const std::string& where) {
  if (status < 0) fail(step, where);
}

// libgit2 1.7 and later may hold SHA-256 ids (64 digits) when built for them.
#ifdef GIT_OID_MAX_HEXSIZE
constexpr size_t kMaxHexDigits = GIT_OID_MAX_HEXSIZE;
#else
constexpr size_t kMaxHexDigits = GIT_OID_HEXSZ;
#endif

std::string hex(const git_oid* oid) {
  char text[kMaxHexDigits + 1] = {};
  git_oid_tostr(text, sizeof text, oid);
  return text;
}

// Aborts a diff at its first delta: the dirty flag needs one change, not all.
constexpr int kFoundChange = GIT_EUSER;

int stop_at_first_delta(const git_diff*, const git_diff_delta*, const char*, void* found) {
  *static_cast<bool*>(found) = true;
  return kFoundChange;
}

// Same rule as `git describe --dirty` (HEAD against index, index against the
// working tree), except that untracked files, in the repository and in its
// submodules, count only when asked. Nothing is written: the index's stat
// cache is not refreshed, so racily clean files are re-hashed on every run.
// With `changes` set, the working-tree scan does not stop at the first
// change: it lists what a proof needs (GitChanges).
bool is_modified(git_repository* repo, git_commit* head, bool untracked_dirty, const std::string& where,
                 GitChanges* changes) {
  git_index* raw_index = nullptr;
  check(git_repository_index(&raw_index, repo), "reading the index", where);
  const Index index(raw_index);
  if (git_index_has_conflicts(index.get())) return true;

  git_tree* raw_tree = nullptr;
  check(git_commit_tree(&raw_tree, head), "reading HEAD's tree", where);
  const Tree tree(raw_tree);

  bool found = false;
  git_diff_options options = GIT_DIFF_OPTIONS_INIT;
  options.flags = GIT_DIFF_SKIP_BINARY_CHECK;
  // Overrides submodule.<name>.ignore: a submodule at another commit or with
  // edits changes what is built, whatever `git status` is told to show.
  options.ignore_submodules = untracked_dirty ? GIT_SUBMODULE_IGNORE_NONE : GIT_SUBMODULE_IGNORE_UNTRACKED;
  options.notify_cb = stop_at_first_delta;
  options.payload = &found;

  // Staged changes first: cheap, no working-tree scan.
  git_diff* raw_diff = nullptr;
  int status = git_diff_tree_to_index(&raw_diff, repo, tree.get(), index.get(), &options);
  Diff staged(raw_diff);
  if (found) return true;
  check(status, "comparing HEAD with the index", where);

  // Recursing makes an empty untracked directory, or one that holds only
  // ignored files, count as nothing, as in `git status`; the scan still stops
  // at the first untracked file. Ignored files are never reported.
  if (untracked_dirty) options.flags |= GIT_DIFF_INCLUDE_UNTRACKED | GIT_DIFF_RECURSE_UNTRACKED_DIRS;
  if (changes != nullptr) options.notify_cb = nullptr;
  raw_diff = nullptr;
  status = git_diff_index_to_workdir(&raw_diff, repo, index.get(), &options);
  Diff unstaged(raw_diff);
  if (found) return true;
  check(status, "comparing the index with the working tree", where);
  if (changes == nullptr) return false;
  changes->staged = false;
  const size_t count = git_diff_num_deltas(unstaged.get());
  for (size_t i = 0; i < count; ++i) {
    const git_diff_delta* delta = git_diff_get_delta(unstaged.get(), i);
    if (delta->status == GIT_DELTA_UNTRACKED)
      changes->untracked = true;
    else
      changes->changed_files.insert(delta->old_file.path);
  }
  return count > 0;
}

bool has_tags(git_repository* repo, const std::string& where) {
  git_reference_iterator* raw = nullptr;
  check(git_reference_iterator_glob_new(&raw, repo, "refs/tags/*"), "listing tags", where);
  const ReferenceIterator iterator(raw);
  const char* name = nullptr;
  const int status = git_reference_next_name(&name, iterator.get());
  if (status == GIT_ITEROVER) return false;
  check(status, "listing tags", where);
  return true;
}

// The shortest unique prefix of at least 7 digits, as `--abbrev=7` prints it.
std::string abbreviated(git_repository* repo, const git_oid* oid, const std::string& where) {
  git_odb* raw = nullptr;
  check(git_repository_odb(&raw, repo), "opening the object database", where);
  const Odb odb(raw);
  const std::string full = hex(oid);
  for (size_t size = GIT_DESCRIBE_DEFAULT_ABBREVIATED_SIZE; size < full.size(); ++size) {
    git_oid unique;
    const int status = git_odb_exists_prefix(&unique, odb.get(), oid, size);
    if (status == 0) return full.substr(0, size);
    if (status != GIT_EAMBIGUOUS) check(status, "abbreviating " + full, where);
  }
  return full;
}

// `git describe --tags --always --abbrev=7`, without the dirty suffix.
std::string describe(git_repository* repo, git_commit* head, const std::string& where) {
  // Without tags libgit2 walks the whole history before falling back to the
  // hash; skip that walk, it would run on every build.
  if (!has_tags(repo, where)) return abbreviated(repo, git_commit_id(head), where);

  git_describe_options options = GIT_DESCRIBE_OPTIONS_INIT;
  options.describe_strategy = GIT_DESCRIBE_TAGS;
  options.show_commit_oid_as_fallback = 1;
  git_describe_result* raw = nullptr;
  check(git_describe_commit(&raw, reinterpret_cast<git_object*>(head), &options), "describing HEAD", where);
  const DescribeResult result(raw);

  git_describe_format_options format = GIT_DESCRIBE_FORMAT_OPTIONS_INIT;
  format.abbreviated_size = GIT_DESCRIBE_DEFAULT_ABBREVIATED_SIZE;
  Buffer text;
  check(git_describe_format(text.get(), result.get(), &format), "formatting the description of HEAD", where);
  return text.str();
}

// True when refs/tags/<name> exists and peels to `commit`.
bool tag_points_at(git_repository* repo, const std::string& name, const git_oid* commit) {
  git_reference* raw_ref = nullptr;
  if (git_reference_lookup(&raw_ref, repo, ("refs/tags/" + name).c_str()) < 0) return false;
  const Reference ref(raw_ref);
  git_object* raw_target = nullptr;
  if (git_reference_peel(&raw_target, ref.get(), GIT_OBJECT_COMMIT) < 0) return false;
  const Object target(raw_target);
  return git_oid_equal(git_object_id(target.get()), commit) != 0;
}

std::string origin_url(git_repository* repo, const std::string& where) {
  git_remote* raw = nullptr;
  const int status = git_remote_lookup(&raw, repo, "origin");
  if (status == GIT_ENOTFOUND) return "";
  check(status, "reading remote 'origin'", where);
  const Remote remote(raw);
  const char* url = git_remote_url(remote.get());
  return url != nullptr ? strip_url_credentials(url) : "";
}

// True when `source_dir` (canonical) is the working tree `workdir` (with
// its trailing slash), or a directory in it that holds a tracked file.
bool is_tracked(git_repository* repo, const std::string& source_dir, const std::string& workdir) {
  const std::string root =
      workdir.size() > 1 && workdir.back() == '/' ? workdir.substr(0, workdir.size() - 1) : workdir;
  if (source_dir == root) return true;
  if (source_dir.compare(0, workdir.size(), workdir) != 0)
    return true;  // outside it (GIT_WORK_TREE): not ours to judge
  git_index* raw_index = nullptr;
  if (git_repository_index(&raw_index, repo) < 0) return true;  // the dirty check reports that failure
  const Index index(raw_index);
  size_t position = 0;
  return git_index_find_prefix(&position, index.get(), (source_dir.substr(workdir.size()) + "/").c_str()) == 0;
}

// The facts of the repository at or above `options.source_dir`: nullopt and
// `warning` when there is none or HEAD has no commit; throws Error(bad_input)
// on a libgit2 failure inside a repository that exists.
// With `witnesses` set, also lists the witnesses of the answer
// (git_witnesses.h), or says in `no_witnesses` why there are none.
std::optional<GitFacts> read_facts(const GitOptions& options, std::string& warning, Witnesses* witnesses,
                                   std::string& no_witnesses) {
  const std::string& dir = options.source_dir;
  struct stat info {};
  if (::stat(dir.c_str(), &info) != 0 || !S_ISDIR(info.st_mode))
    throw Error(ErrorKind::bad_input, "source directory '" + dir + "' is not a directory");
  char resolved[PATH_MAX];
  const std::string canonical = ::realpath(dir.c_str(), resolved) != nullptr ? resolved : dir;
  no_witnesses = "the repository could not be read";

  ensure_libgit2();
  // Searches upward like git; a `.git` file (linked worktree, submodule) leads
  // to the repository that owns this working tree. Stops at file-system
  // boundaries, as git does without GIT_DISCOVERY_ACROSS_FILESYSTEM.
  git_repository* raw_repo = nullptr;
  const int opened = git_repository_open_ext(&raw_repo, dir.c_str(), 0, nullptr);
  const git_error* open_error = opened < 0 ? git_error_last() : nullptr;
  // A repository owned by another user (a checkout mounted into a CI
  // container) is refused, as git refuses it. libgit2 1.5 reports that as a
  // missing `safe.directory` setting with GIT_ENOTFOUND, not GIT_EOWNER
  // (fixed upstream by libgit2 pull request 6408, in 1.6).
  if (opened == GIT_EOWNER ||
      (opened == GIT_ENOTFOUND && open_error != nullptr && open_error->klass == GIT_ERROR_CONFIG)) {
    throw Error(ErrorKind::bad_input, "git: the repository at or above '" + dir +
                                          "' is owned by another user; if it is trusted, run "
                                          "`git config --global --add safe.directory <its path>`");
  }
  if (opened == GIT_ENOTFOUND) {
    warning = "no git repository at or above '" + dir + "'" + kNoVcsFieldsNote;
    if (witnesses != nullptr) {
      add_search_witnesses(canonical, witnesses->paths);
      no_witnesses.clear();
    }
    return std::nullopt;
  }
  if (opened < 0 && last_error_message().find("extensions.objectformat") != std::string::npos) {
    throw Error(
        ErrorKind::bad_input,
        "git: the repository at or above '" + dir +
            "' uses an object format that libgit2 " LIBGIT2_VERSION " cannot read (SHA-256): " + last_error_message());
  }
  check(opened, "opening the repository", dir);
  const Repository repo(raw_repo);

  if (git_repository_is_bare(repo.get())) {
    warning = std::string("git repository at '") + git_repository_path(repo.get()) + "' is bare (no working tree)" +
              kNoVcsFieldsNote;
    return std::nullopt;
  }
  const std::string where = git_repository_workdir(repo.get());
  // A source directory below the working tree that the repository does not
  // track (a release tarball unpacked in someone's checkout, a vendored
  // copy inside a monorepo) is not described by that repository.
  if (!is_tracked(repo.get(), canonical, where)) {
    warning = "'" + dir + "' is not tracked by the git repository at '" + where +
              "' (a copy inside another checkout?), which does not describe it" + kNoVcsFieldsNote;
    if (witnesses != nullptr) {
      add_untracked_source_witnesses(repo.get(), canonical, witnesses->paths);
      no_witnesses.clear();
    }
    return std::nullopt;
  }

  git_reference* raw_head = nullptr;
  const int head_status = git_repository_head(&raw_head, repo.get());
  if (head_status == GIT_EUNBORNBRANCH || head_status == GIT_ENOTFOUND) {
    warning = "git repository at '" + where + "' has no commit yet" + kNoVcsFieldsNote;
    return std::nullopt;
  }
  check(head_status, "reading HEAD", where);
  const Reference head(raw_head);

  git_object* raw_commit = nullptr;
  check(git_reference_peel(&raw_commit, head.get(), GIT_OBJECT_COMMIT), "reading HEAD's commit", where);
  const Commit commit(reinterpret_cast<git_commit*>(raw_commit));
  const git_oid* id = git_commit_id(commit.get());

  GitFacts facts;
  facts.revision = hex(id);
  facts.commit_epoch = git_commit_time(commit.get());
  facts.commit_time = iso8601_utc(facts.commit_epoch);
  GitChanges changes;
  facts.modified =
      is_modified(repo.get(), commit.get(), options.untracked_dirty, where, witnesses != nullptr ? &changes : nullptr);
  const std::string description = describe(repo.get(), commit.get(), where);
  facts.describe = description + (facts.modified ? "-dirty" : "");

  if (git_reference_is_branch(head.get())) {
    facts.ref_name = git_reference_shorthand(head.get());
    facts.ref_type = "branch";
  } else if (tag_points_at(repo.get(), description, id)) {
    // Detached at a tagged commit. When several tags point at it, the one
    // `git describe --tags` picks: annotated before lightweight, then the
    // newest tagger date, then the first in name order.
    facts.ref_name = description;
    facts.ref_type = "tag";
  }

  facts.repository_url = origin_url(repo.get(), where);
  if (witnesses != nullptr)
    no_witnesses = add_repository_witnesses(repo.get(), canonical, id, options.untracked_dirty, changes, *witnesses);
  return facts;
}

// A result and the strings it points into.
struct OwnedResult {
  buildinfo_git_result result{};
  GitFacts facts;
  std::string message;
  std::vector<std::string> witnesses;
  std::vector<const char*> witness_pointers;
  std::vector<const char*> blob_pointers;
  std::vector<int32_t> flags;
  Witnesses listed;
  std::string no_witnesses;
};

// Points `owned`'s result at its witnesses, or at why there are none.
void publish_witnesses(OwnedResult& owned) {
  if (!owned.no_witnesses.empty()) {
    owned.result.no_witnesses = owned.no_witnesses.c_str();
    return;
  }
  owned.witnesses.assign(owned.listed.paths.begin(), owned.listed.paths.end());
  for (const std::string& path : owned.witnesses) {
    owned.witness_pointers.push_back(path.c_str());
    const auto content = owned.listed.contents.find(path);
    const bool judged = content != owned.listed.contents.end();
    owned.blob_pointers.push_back(judged ? content->second.blob.c_str() : nullptr);
    owned.flags.push_back(!judged ? 0
                                  : (content->second.differs ? BUILDINFO_GIT_WITNESS_DIFFERS : 0) |
                                        (content->second.crlf ? BUILDINFO_GIT_WITNESS_CRLF : 0));
  }
  owned.result.witnesses = owned.witness_pointers.data();
  owned.result.witness_count = owned.witness_pointers.size();
  owned.result.witness_blobs = owned.blob_pointers.data();
  owned.result.witness_flags = owned.flags.data();
  owned.result.modified_otherwise = owned.listed.modified_otherwise ? 1 : 0;
}

buildinfo_git_result* plugin_read_facts(const char* source_dir, int32_t flags) noexcept {
  try {
    auto owned = std::make_unique<OwnedResult>();
    buildinfo_git_result& out = owned->result;
    out.owner = owned.get();
    const bool list_witnesses = (flags & BUILDINFO_GIT_WITNESSES) != 0;
    try {
      const GitOptions options{source_dir != nullptr ? source_dir : ".", (flags & BUILDINFO_GIT_UNTRACKED_DIRTY) != 0};
      const std::optional<GitFacts> facts =
          read_facts(options, owned->message, list_witnesses ? &owned->listed : nullptr, owned->no_witnesses);
      if (list_witnesses) publish_witnesses(*owned);
      if (!facts) {
        out.status = BUILDINFO_GIT_NO_REPOSITORY;
        out.message = owned->message.c_str();
        return &owned.release()->result;
      }
      owned->facts = *facts;
    } catch (const std::exception& e) {
      owned->message = e.what();
      out.status = BUILDINFO_GIT_FAILED;
      out.message = owned->message.c_str();
      return &owned.release()->result;
    }
    const GitFacts& facts = owned->facts;
    out.status = BUILDINFO_GIT_FACTS;
    out.facts.revision = facts.revision.c_str();
    out.facts.commit_time = facts.commit_time.c_str();
    out.facts.commit_epoch = facts.commit_epoch;
    out.facts.modified = facts.modified ? 1 : 0;
    out.facts.ref_name = facts.ref_name.c_str();
    out.facts.ref_type = facts.ref_type.c_str();
    out.facts.describe = facts.describe.c_str();
    out.facts.repository_url = facts.repository_url.c_str();
    return &owned.release()->result;
  } catch (...) {  // out of memory
    return nullptr;
  }
}

void plugin_release_facts(buildinfo_git_result* result) noexcept {
  if (result != nullptr) delete static_cast<OwnedResult*>(result->owner);
}

}  // namespace
}  // namespace buildinfo

extern "C" __attribute__((visibility("default"))) const buildinfo_git_plugin buildinfo_plugin = {
    {BUILDINFO_PLUGIN_ABI, BUILDINFO_PLUGIN_GIT, BUILDINFO_VERSION, sizeof(buildinfo_git_plugin)},
    buildinfo::plugin_read_facts,
    buildinfo::plugin_release_facts,
};
