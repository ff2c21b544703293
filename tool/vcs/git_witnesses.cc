// Listing what a git answer depends on (see git_witnesses.h). What libgit2
// reads for each fact: HEAD and the branch it names (a loose ref or
// packed-refs) for the revision and the branch; refs/tags and the objects
// for `describe` (a new object may lengthen the abbreviation); the index,
// every tracked file, the attribute files and the configuration for the
// dirty flag; with untracked files counted, every directory git would
// list and its .gitignore. A change of a file changes its lstat() data; a
// new or removed entry changes its directory's.
#include "vcs/git_witnesses.h"

#include <dirent.h>
#include <git2/sys/filter.h>  // git_filter_list_length, GIT_FILTER_CRLF
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <memory>
#include <vector>

#include "support/path.h"

namespace buildinfo {
namespace {

std::string without_slash(std::string path) {
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  return path;
}

bool is_directory(const std::string& path) {
  struct stat info {};
  return ::lstat(path.c_str(), &info) == 0 && S_ISDIR(info.st_mode);
}

// Every directory below `dir` (itself included).
void add_directory_tree(const std::string& dir, std::set<std::string>& witnesses) {
  witnesses.insert(dir);
  DIR* stream = ::opendir(dir.c_str());
  if (stream == nullptr) return;
  std::vector<std::string> children;
  while (const dirent* entry = ::readdir(stream)) {
    const std::string name = entry->d_name;
    if (name != "." && name != ".." && is_directory(join_path(dir, name))) children.push_back(join_path(dir, name));
  }
  ::closedir(stream);
  for (const std::string& child : children) add_directory_tree(child, witnesses);
}

std::string config_path(git_config* config, const char* name) {
  git_buf buf = GIT_BUF_INIT;
  std::string path;
  if (git_config_get_path(&buf, config, name) == 0 && buf.ptr != nullptr) path = buf.ptr;
  git_buf_dispose(&buf);
  return path;
}

// The user's and the system's configuration, found as libgit2 finds them,
// and where they would be when absent; with core.excludesFile and
// core.attributesFile. "" or why they cannot be listed.
std::string add_configuration(git_repository* repo, std::set<std::string>& witnesses) {
  const char* home = std::getenv("HOME");
  const char* xdg = std::getenv("XDG_CONFIG_HOME");
  std::string xdg_git;
  if (xdg != nullptr && *xdg != '\0')
    xdg_git = join_path(without_slash(xdg), "git");
  else if (home != nullptr && *home != '\0')
    xdg_git = join_path(without_slash(home), ".config/git");
  if (!xdg_git.empty())
    for (const char* name : {"config", "ignore", "attributes"}) witnesses.insert(join_path(xdg_git, name));
  if (home != nullptr && *home != '\0') witnesses.insert(join_path(without_slash(home), ".gitconfig"));
  witnesses.insert("/etc/gitconfig");
  for (int (*find)(git_buf*) : {git_config_find_global, git_config_find_xdg, git_config_find_system}) {
    git_buf buf = GIT_BUF_INIT;
    if (find(&buf) == 0 && buf.ptr != nullptr) witnesses.insert(buf.ptr);
    git_buf_dispose(&buf);
  }

  git_config* config = nullptr;
  if (git_repository_config_snapshot(&config, repo) < 0) return "the git configuration cannot be read";
  const std::unique_ptr<git_config, void (*)(git_config*)> owned(config, git_config_free);
  // Included files are read too; which ones is libgit2's business.
  git_config_iterator* iterator = nullptr;
  if (git_config_iterator_glob_new(&iterator, config, "^include(if\\..*)?\\.path$") < 0)
    return "the git configuration cannot be read";
  git_config_entry* entry = nullptr;
  const bool includes = git_config_next(&entry, iterator) == 0;
  git_config_iterator_free(iterator);
  if (includes) return "the git configuration includes other files";
  for (const char* name : {"core.excludesfile", "core.attributesfile"}) {
    const std::string path = config_path(config, name);
    if (!path.empty()) witnesses.insert(path);
  }
  return "";
}

// The directories `git status` would list for untracked files: every one
// not ignored, each with its .gitignore; a nested repository is one entry.
void add_untracked_scan(git_repository* repo, const std::string& workdir, const std::string& relative,
                        std::set<std::string>& witnesses) {
  const std::string dir = relative.empty() ? workdir : join_path(workdir, relative);
  witnesses.insert(dir);
  witnesses.insert(join_path(dir, ".gitignore"));
  DIR* stream = ::opendir(dir.c_str());
  if (stream == nullptr) return;
  std::vector<std::string> children;
  while (const dirent* entry = ::readdir(stream)) {
    const std::string name = entry->d_name;
    if (name == "." || name == ".." || name == ".git" || !is_directory(join_path(dir, name))) continue;
    children.push_back(relative.empty() ? name : relative + "/" + name);
  }
  ::closedir(stream);
  for (const std::string& child : children) {
    int ignored = 0;
    if (git_ignore_path_is_ignored(&ignored, repo, (child + "/").c_str()) == 0 && ignored) continue;
    if (::access(join_path(join_path(workdir, child), ".git").c_str(), F_OK) == 0) {
      witnesses.insert(join_path(workdir, child));
      continue;
    }
    add_untracked_scan(repo, workdir, child, witnesses);
  }
}

// Where git looks for a repository from `dir` upward and found none: `.git`
// and `HEAD` (a bare repository) in each directory, up to `stop`
// (excluded), or to the root when `stop` is empty.
void add_search_path(const std::string& dir, const std::string& stop, std::set<std::string>& witnesses) {
  for (std::string at = dir;; at = parent_directory(at)) {
    if (!stop.empty() && (at == stop || at.size() <= stop.size())) break;
    witnesses.insert(join_path(at, ".git"));
    witnesses.insert(join_path(at, "HEAD"));
    if (at == "/") break;
  }
}

// True when whether the tracked file of `entry` (at `path`) is modified
// depends on its contents alone, which git names as a blob
// (vcs/git_blob_id.h): a regular file in stage 0 with no assume-unchanged,
// skip-worktree or intent-to-add mark, whose executable bit matches its
// entry, and that no filter converts on its way into the index (ident, a
// filter driver), except git's line-ending filter (`text`, `eol`,
// `core.autocrlf`, common in real projects: `* text eol=lf`), which
// changes only a CR before a LF; `crlf` says that it applies.
bool judged_by_contents(git_repository* repo, const git_index_entry* entry, const std::string& path, bool& crlf) {
  if (git_index_entry_stage(entry) != 0) return false;
  if (entry->mode != GIT_FILEMODE_BLOB && entry->mode != GIT_FILEMODE_BLOB_EXECUTABLE) return false;
  if ((entry->flags & GIT_INDEX_ENTRY_VALID) != 0 ||
      (entry->flags_extended & (GIT_INDEX_ENTRY_SKIP_WORKTREE | GIT_INDEX_ENTRY_INTENT_TO_ADD)) != 0)
    return false;
  if (git_oid_is_zero(&entry->id)) return false;
  struct stat info {};
  if (::lstat(path.c_str(), &info) != 0 || !S_ISREG(info.st_mode)) return false;
  if (((info.st_mode & S_IXUSR) != 0) != (entry->mode == GIT_FILEMODE_BLOB_EXECUTABLE)) return false;
  git_filter_list* filters = nullptr;
  if (git_filter_list_load(&filters, repo, nullptr, entry->path, GIT_FILTER_TO_ODB, GIT_FILTER_DEFAULT) < 0)
    return false;
  crlf = filters != nullptr && git_filter_list_contains(filters, GIT_FILTER_CRLF) != 0;
  const size_t count = filters != nullptr ? git_filter_list_length(filters) : 0;
  git_filter_list_free(filters);
  return count == 0 || (count == 1 && crlf);
}

}  // namespace

void add_search_witnesses(const std::string& source_dir, std::set<std::string>& witnesses) {
  add_search_path(source_dir, "", witnesses);
}

void add_untracked_source_witnesses(git_repository* repo, const std::string& source_dir,
                                    std::set<std::string>& witnesses) {
  const std::string workdir = without_slash(git_repository_workdir(repo));
  add_search_path(source_dir, workdir, witnesses);
  witnesses.insert(join_path(workdir, ".git"));
  witnesses.insert(join_path(without_slash(git_repository_path(repo)), "index"));
}

std::string add_repository_witnesses(git_repository* repo, const std::string& source_dir, const git_oid* head,
                                     bool untracked_dirty, const GitChanges& changes, Witnesses& out) {
  std::set<std::string>& witnesses = out.paths;
  const std::string workdir = without_slash(git_repository_workdir(repo));
  const std::string gitdir = without_slash(git_repository_path(repo));
  const std::string commondir = without_slash(git_repository_commondir(repo));

  add_search_path(source_dir, workdir, witnesses);
  witnesses.insert(join_path(workdir, ".git"));

  for (const std::string& dir : {gitdir, commondir}) {
    for (const char* name :
         {"HEAD", "index", "config", "config.worktree", "commondir", "gitdir", "shallow", "packed-refs", "info/exclude",
          "info/attributes", "info/grafts", "objects/pack", "objects/info/alternates"})
      witnesses.insert(join_path(dir, name));
  }
  char hex[GIT_OID_HEXSZ + 1] = {};
  git_oid_tostr(hex, sizeof hex, head);
  witnesses.insert(join_path(commondir, std::string("objects/") + hex[0] + hex[1]));
  witnesses.insert(join_path(commondir, "refs/tags"));
  if (is_directory(join_path(commondir, "refs/tags"))) add_directory_tree(join_path(commondir, "refs/tags"), witnesses);

  // The branch HEAD names, loose (packed-refs is listed above).
  git_reference* raw = nullptr;
  if (git_reference_lookup(&raw, repo, "HEAD") == 0) {
    const std::unique_ptr<git_reference, void (*)(git_reference*)> ref(raw, git_reference_free);
    if (git_reference_type(ref.get()) == GIT_REFERENCE_SYMBOLIC) {
      const std::string target = git_reference_symbolic_target(ref.get());
      witnesses.insert(join_path(gitdir, target));
      witnesses.insert(join_path(commondir, target));
    }
  }

  const std::string config = add_configuration(repo, witnesses);
  if (!config.empty()) return config;

  git_index* raw_index = nullptr;
  if (git_repository_index(&raw_index, repo) < 0) return "the index cannot be read";
  const std::unique_ptr<git_index, void (*)(git_index*)> index(raw_index, git_index_free);
  const size_t count = git_index_entrycount(index.get());
  std::set<std::string> attribute_dirs;
  out.modified_otherwise = changes.staged || changes.untracked;
  for (size_t i = 0; i < count; ++i) {
    const git_index_entry* entry = git_index_get_byindex(index.get(), i);
    if (entry == nullptr) continue;
    if (entry->mode == GIT_FILEMODE_COMMIT) return "the repository has submodules";
    const std::string path = join_path(workdir, entry->path);
    witnesses.insert(path);
    const bool changed = changes.changed_files.count(entry->path) != 0;
    bool crlf = false;
    if (judged_by_contents(repo, entry, path, crlf)) {
      char blob[GIT_OID_HEXSZ + 1] = {};
      git_oid_tostr(blob, sizeof blob, &entry->id);
      out.contents[path] = TrackedContent{blob, changed, crlf};
    } else if (changed) {
      out.modified_otherwise = true;  // stays modified while its lstat() data stays the same
    }
    // A new .gitattributes in any directory above a tracked file may change
    // how it compares.
    for (std::string dir = parent_directory(path); dir.size() > workdir.size(); dir = parent_directory(dir))
      if (!attribute_dirs.insert(dir).second) break;
  }
  attribute_dirs.insert(workdir);
  for (const std::string& dir : attribute_dirs) witnesses.insert(join_path(dir, ".gitattributes"));
  if (untracked_dirty) add_untracked_scan(repo, workdir, "", witnesses);
  return "";
}

}  // namespace buildinfo
