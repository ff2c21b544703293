// Git facts read with libgit2, checked against the git command line on
// throw-away repositories.
#include <doctest/doctest.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <optional>
#include <string>

#include "support/error.h"
#include "test_support.h"
#include "vcs/git_info.h"

using test_support::quote;
using test_support::run;

namespace {

// Commit and tag time used everywhere: 2023-11-14T22:13:20Z, written with a
// non-UTC offset so that the conversion to UTC is exercised.
constexpr long long kEpoch = 1700000000;

// The git command line in `dir`, with a fixed identity and dates, and no
// user or system configuration.
std::string git(const std::string& dir, const std::string& args, long long epoch = kEpoch) {
  const std::string date = quote(std::to_string(epoch) + " +0200");
  return run("cd " + quote(dir) +
             " && GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null"
             " GIT_AUTHOR_NAME=Test GIT_AUTHOR_EMAIL=test@example.com"
             " GIT_COMMITTER_NAME=Test GIT_COMMITTER_EMAIL=test@example.com"
             " GIT_AUTHOR_DATE=" +
             date + " GIT_COMMITTER_DATE=" + date +
             " git -c init.defaultBranch=main -c protocol.file.allow=always -c advice.detachedHead=false " + args);
}

void write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  REQUIRE(out.good());
  out << text;
}

class TempDir {
 public:
  TempDir() {
    char pattern[] = "/tmp/buildinfo-git-test-XXXXXX";
    REQUIRE(::mkdtemp(pattern) != nullptr);
    path_ = pattern;
  }
  ~TempDir() { std::system(("rm -rf " + quote(path_)).c_str()); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// A repository at `dir` with one commit of a.txt on branch main.
void make_repo(const std::string& dir) {
  run("mkdir -p " + quote(dir));
  git(dir, "init -q");
  write_file(dir + "/a.txt", "one\n");
  git(dir, "add a.txt");
  git(dir, "commit -q -m one");
}

void commit_change(const std::string& dir, const std::string& text, long long epoch = kEpoch) {
  write_file(dir + "/a.txt", text);
  git(dir, "commit -q -a -m " + quote(text), epoch);
}

buildinfo::GitFacts facts(const std::string& dir, bool untracked_dirty = false) {
  buildinfo::GitOptions options;
  options.source_dir = dir;
  options.untracked_dirty = untracked_dirty;
  std::string warning;
  const std::optional<buildinfo::GitFacts> result = buildinfo::read_git_facts(options, warning);
  INFO("warning: ", warning);
  REQUIRE(result.has_value());
  CHECK(warning.empty());
  return *result;
}

std::optional<buildinfo::GitFacts> try_facts(const std::string& dir, std::string& warning) {
  buildinfo::GitOptions options;
  options.source_dir = dir;
  return buildinfo::read_git_facts(options, warning);
}

std::string cli_describe(const std::string& dir) { return git(dir, "describe --tags --always --abbrev=7 --dirty"); }

}  // namespace

TEST_CASE("git: revision, commit time and branch") {
  TempDir tmp;
  const std::string repo = tmp / "repo";
  make_repo(repo);
  const buildinfo::GitFacts f = facts(repo);
  CHECK(f.revision == git(repo, "rev-parse HEAD"));
  CHECK(f.revision.size() == 40);
  CHECK(f.commit_epoch == kEpoch);
  CHECK(f.commit_time == "2023-11-14T22:13:20Z");
  CHECK_FALSE(f.modified);
  CHECK(f.ref_name == "main");
  CHECK(f.ref_type == "branch");
  CHECK(f.repository_url.empty());

  // From a subdirectory that holds a tracked file: the search goes upward.
  run("mkdir -p " + quote(repo + "/src/deep"));
  write_file(repo + "/src/deep/b.txt", "two\n");
  git(repo, "add src/deep/b.txt");
  git(repo, "commit -q -m two");
  CHECK(facts(repo + "/src/deep").revision == git(repo, "rev-parse HEAD"));

  git(repo, "checkout -q -b feature/x");
  CHECK(facts(repo).ref_name == "feature/x");
  CHECK(facts(repo).ref_type == "branch");
}

TEST_CASE("git: a directory the repository above does not track is not described by it") {
  TempDir tmp;
  const std::string repo = tmp / "home";
  make_repo(repo);
  // An unpacked tarball, untracked, then the same ignored.
  run("mkdir -p " + quote(repo + "/downloads/project-1.0/src"));
  write_file(repo + "/downloads/project-1.0/src/main.c", "int main(void) { return 0; }\n");
  std::string warning;
  CHECK_FALSE(try_facts(repo + "/downloads/project-1.0", warning).has_value());
  CHECK(warning.find("is not tracked by the git repository at '" + repo + "/'") != std::string::npos);
  write_file(repo + "/.gitignore", "downloads/\n");
  warning.clear();
  CHECK_FALSE(try_facts(repo + "/downloads/project-1.0/src", warning).has_value());
  CHECK(warning.find("is not tracked") != std::string::npos);
  // Its own repository, once made, describes it.
  make_repo(repo + "/downloads/project-1.0");
  CHECK(facts(repo + "/downloads/project-1.0").revision == git(repo + "/downloads/project-1.0", "rev-parse HEAD"));
}

TEST_CASE("git: dirty flag") {
  TempDir tmp;
  const std::string repo = tmp / "repo";
  make_repo(repo);
  write_file(repo + "/.gitignore", "*.o\nbuild/\n");
  git(repo, "add .gitignore");
  git(repo, "commit -q -m ignore");
  CHECK_FALSE(facts(repo).modified);
  CHECK_FALSE(facts(repo, true).modified);

  SUBCASE("tracked edit") {
    write_file(repo + "/a.txt", "changed\n");
    CHECK(facts(repo).modified);
  }
  SUBCASE("staged edit, working tree equal to HEAD again") {
    write_file(repo + "/a.txt", "changed\n");
    git(repo, "add a.txt");
    write_file(repo + "/a.txt", "one\n");
    CHECK(facts(repo).modified);
  }
  SUBCASE("deleted file") {
    run("rm " + quote(repo + "/a.txt"));
    CHECK(facts(repo).modified);
  }
  SUBCASE("touched but unchanged file") {
    run("touch -d '2030-01-01' " + quote(repo + "/a.txt"));
    CHECK_FALSE(facts(repo).modified);
  }
  SUBCASE("untracked file counts only when asked") {
    write_file(repo + "/new.txt", "new\n");
    CHECK_FALSE(facts(repo).modified);
    CHECK(facts(repo, true).modified);
  }
  SUBCASE("untracked file in an untracked directory") {
    run("mkdir -p " + quote(repo + "/newdir/inner"));
    write_file(repo + "/newdir/inner/x.txt", "x\n");
    CHECK_FALSE(facts(repo).modified);
    CHECK(facts(repo, true).modified);
  }
  SUBCASE("ignored files and empty directories never count") {
    write_file(repo + "/main.o", "obj\n");
    run("mkdir -p " + quote(repo + "/build") + " " + quote(repo + "/empty/dir") + " " + quote(repo + "/objs"));
    write_file(repo + "/build/out", "x\n");
    write_file(repo + "/objs/only.o", "x\n");  // untracked directory holding only ignored files
    CHECK_FALSE(facts(repo, true).modified);
    CHECK(git(repo, "status --porcelain --untracked-files=normal").empty());
  }
}

TEST_CASE("git: describe matches the git command line") {
  TempDir tmp;
  const std::string repo = tmp / "repo";
  make_repo(repo);

  SUBCASE("no tags: abbreviated hash") {
    const buildinfo::GitFacts f = facts(repo);
    CHECK(f.describe == cli_describe(repo));
    CHECK(f.describe == f.revision.substr(0, 7));
    write_file(repo + "/a.txt", "changed\n");
    CHECK(facts(repo).describe == cli_describe(repo));
    CHECK(facts(repo).describe == f.revision.substr(0, 7) + "-dirty");
  }
  SUBCASE("tagged commit") {
    git(repo, "tag v1.0");
    CHECK(facts(repo).describe == "v1.0");
    CHECK(facts(repo).describe == cli_describe(repo));
    git(repo, "tag -a v1.1 -m release");
    CHECK(facts(repo).describe == cli_describe(repo));
  }
  SUBCASE("commits after a tag") {
    git(repo, "tag -a v2.0 -m release");
    commit_change(repo, "two\n");
    commit_change(repo, "three\n");
    const buildinfo::GitFacts f = facts(repo);
    CHECK(f.describe == cli_describe(repo));
    CHECK(f.describe == "v2.0-2-g" + f.revision.substr(0, 7));
    write_file(repo + "/a.txt", "dirty\n");
    CHECK(facts(repo).describe == cli_describe(repo));
  }
  SUBCASE("untracked files follow the dirty flag's rule") {
    git(repo, "tag v1.0");
    write_file(repo + "/new.txt", "new\n");
    CHECK(facts(repo).describe == "v1.0");
    CHECK(facts(repo).describe == cli_describe(repo));
    CHECK(facts(repo, true).describe == "v1.0-dirty");
  }
}

TEST_CASE("git: detached HEAD reports the tag that points at it") {
  TempDir tmp;
  const std::string repo = tmp / "repo";
  make_repo(repo);

  SUBCASE("lightweight tag") {
    git(repo, "tag v1.0");
    git(repo, "checkout -q --detach v1.0");
    const buildinfo::GitFacts f = facts(repo);
    CHECK(f.ref_name == "v1.0");
    CHECK(f.ref_type == "tag");
  }
  SUBCASE("annotated tag, peeled") {
    git(repo, "tag -a release/2.0 -m release");
    git(repo, "pack-refs --all");  // the peeled value then comes from packed-refs
    git(repo, "checkout -q --detach release/2.0");
    const buildinfo::GitFacts f = facts(repo);
    CHECK(f.ref_name == "release/2.0");
    CHECK(f.ref_type == "tag");
  }
  SUBCASE("several tags: the one git describe --tags picks") {
    git(repo, "tag zz-light");
    git(repo, "tag -a a-old -m old", kEpoch);
    git(repo, "tag -a b-new -m new", kEpoch + 60);
    git(repo, "tag -a c-older -m older", kEpoch - 60);
    git(repo, "checkout -q --detach main");
    const buildinfo::GitFacts f = facts(repo);
    CHECK(f.ref_name == "b-new");  // annotated before lightweight, then the newest
    CHECK(f.ref_name == git(repo, "describe --tags --exact-match"));
    CHECK(f.ref_type == "tag");
  }
  SUBCASE("several lightweight tags") {
    git(repo, "tag beta");
    git(repo, "tag alpha");
    git(repo, "checkout -q --detach main");
    CHECK(facts(repo).ref_name == git(repo, "describe --tags --exact-match"));
  }
  SUBCASE("untagged commit") {
    git(repo, "tag v1.0");
    commit_change(repo, "two\n");
    git(repo, "checkout -q --detach main");
    const buildinfo::GitFacts f = facts(repo);
    CHECK(f.ref_name.empty());
    CHECK(f.ref_type.empty());
    CHECK(f.describe == cli_describe(repo));
  }
  SUBCASE("on a branch, the branch wins over a tag") {
    git(repo, "tag v1.0");
    CHECK(facts(repo).ref_name == "main");
    CHECK(facts(repo).ref_type == "branch");
  }
}

TEST_CASE("git: linked worktree reports its own HEAD") {
  TempDir tmp;
  const std::string repo = tmp / "repo";
  const std::string worktree = tmp / "wt";
  make_repo(repo);
  git(repo, "worktree add -q -b feature " + quote(worktree));
  commit_change(worktree, "worktree\n");

  const buildinfo::GitFacts f = facts(worktree);
  CHECK(f.revision == git(worktree, "rev-parse HEAD"));
  CHECK(f.revision != git(repo, "rev-parse HEAD"));
  CHECK(f.ref_name == "feature");
  CHECK_FALSE(f.modified);
  CHECK(f.describe == cli_describe(worktree));

  write_file(worktree + "/a.txt", "edited in the worktree\n");
  CHECK(facts(worktree).modified);
  CHECK_FALSE(facts(repo).modified);
  CHECK(facts(repo).ref_name == "main");
}

TEST_CASE("git: submodule reports its own facts") {
  TempDir tmp;
  const std::string library = tmp / "library";
  const std::string top = tmp / "top";
  make_repo(library);
  commit_change(library, "library two\n");
  make_repo(top);
  git(top, "submodule add -q " + quote(library) + " lib");
  git(top, "commit -q -m 'add submodule'");
  const std::string sub = top + "/lib";

  const buildinfo::GitFacts inner = facts(sub);
  CHECK(inner.revision == git(sub, "rev-parse HEAD"));
  CHECK(inner.revision == git(library, "rev-parse HEAD"));
  CHECK(inner.revision != git(top, "rev-parse HEAD"));
  CHECK(inner.repository_url == library);
  CHECK(facts(top).revision == git(top, "rev-parse HEAD"));
  CHECK_FALSE(facts(top).modified);

  SUBCASE("edit inside the submodule dirties both") {
    write_file(sub + "/a.txt", "edited\n");
    CHECK(facts(sub).modified);
    CHECK(facts(top).modified);
    CHECK(facts(top).describe == cli_describe(top));
  }
  SUBCASE("untracked file inside the submodule counts only when asked") {
    write_file(sub + "/new.txt", "new\n");
    CHECK_FALSE(facts(top).modified);
    CHECK(facts(top).describe == cli_describe(top));
    CHECK(facts(top, true).modified);
    CHECK(facts(sub, true).modified);
  }
  SUBCASE("submodule checked out at another commit") {
    git(sub, "checkout -q --detach HEAD~1");
    CHECK(facts(top).modified);
    CHECK(facts(sub).revision == git(sub, "rev-parse HEAD"));
  }
}

TEST_CASE("git: no repository, no commit, or bare: nullopt with a warning") {
  TempDir tmp;
  // The test is meaningless if /tmp itself is inside a repository.
  REQUIRE(std::system(("git -C " + quote(tmp.path()) + " rev-parse >/dev/null 2>&1").c_str()) != 0);

  std::string warning;
  CHECK_FALSE(try_facts(tmp.path(), warning).has_value());
  CHECK(warning == "no git repository at or above '" + tmp.path() + "'; vcs.* fields omitted");

  const std::string unborn = tmp / "unborn";
  run("mkdir " + quote(unborn));
  git(unborn, "init -q");
  warning.clear();
  CHECK_FALSE(try_facts(unborn, warning).has_value());
  CHECK(warning.find("has no commit yet") != std::string::npos);

  const std::string bare = tmp / "bare.git";
  run("mkdir " + quote(bare));
  git(bare, "init -q --bare");
  warning.clear();
  CHECK_FALSE(try_facts(bare, warning).has_value());
  CHECK(warning.find("is bare") != std::string::npos);
}

TEST_CASE("git: a source directory that does not exist is an error") {
  TempDir tmp;
  std::string warning;
  CHECK_THROWS_AS(try_facts(tmp / "missing", warning), buildinfo::Error);
  write_file(tmp / "file", "x");
  CHECK_THROWS_AS(try_facts(tmp / "file", warning), buildinfo::Error);
}

TEST_CASE("git: origin URL without credentials") {
  TempDir tmp;
  const std::string repo = tmp / "repo";
  make_repo(repo);
  git(repo, "remote add upstream https://example.com/upstream.git");
  CHECK(facts(repo).repository_url.empty());  // only origin counts

  git(repo, "remote add origin 'https://user:secret@example.com/org/repo.git?token=secret'");
  const buildinfo::GitFacts f = facts(repo);
  CHECK(f.repository_url == "https://example.com/org/repo.git");
  CHECK(f.repository_url.find("secret") == std::string::npos);

  git(repo, "remote set-url origin 'ssh://git:secret@example.com/org/repo.git'");
  CHECK(facts(repo).repository_url == "ssh://git@example.com/org/repo.git");
  git(repo, "remote set-url origin git@example.com:org/repo.git");
  CHECK(facts(repo).repository_url == "git@example.com:org/repo.git");
}

TEST_CASE("git: a repository owned by another user is refused with a hint") {
  // Needs root to hand the repository to another user, and no global
  // safe.directory setting that would trust it anyway.
  if (::geteuid() != 0 || std::system("git config --global --get-all safe.directory >/dev/null 2>&1") == 0) {
    MESSAGE("skipped: needs root and no global safe.directory");
    return;
  }
  TempDir tmp;
  const std::string repo = tmp / "repo";
  make_repo(repo);
  run("chown -R nobody " + quote(repo));
  std::string warning;
  try {
    try_facts(repo, warning);
    FAIL("no error for a repository owned by another user");
  } catch (const buildinfo::Error& error) {
    CHECK(std::string(error.what()).find("owned by another user") != std::string::npos);
    CHECK(std::string(error.what()).find("safe.directory") != std::string::npos);
  }
  run("chown -R root " + quote(repo));
}

TEST_CASE("git: a SHA-256 repository is an error that names the object format") {
  TempDir tmp;
  const std::string repo = tmp / "repo";
  run("mkdir " + quote(repo));
  git(repo, "init -q --object-format=sha256");
  write_file(repo + "/a.txt", "one\n");
  git(repo, "add a.txt");
  git(repo, "commit -q -m one");
  REQUIRE(git(repo, "rev-parse HEAD").size() == 64);
  std::string warning;
  try {
    const std::optional<buildinfo::GitFacts> f = try_facts(repo, warning);
    // A libgit2 built with SHA-256 support reads it: then the id is 64 digits.
    REQUIRE(f.has_value());
    CHECK(f->revision == git(repo, "rev-parse HEAD"));
  } catch (const buildinfo::Error& error) {
    CHECK(std::string(error.what()).find("SHA-256") != std::string::npos);
  }
}
