// release_after_exit: a child holds the file until the process that
// started it has exited, keeps none of its standard streams, and then
// lets the file go.
#include <dirent.h>
#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <climits>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "support/background_release.h"

namespace {

// The processes with a descriptor open on the file `path`, and which of
// their descriptors those are.
struct Holder {
  pid_t pid;
  std::vector<int> descriptors;  // every open one
};

std::vector<Holder> holders_of(const std::string& path) {
  std::vector<Holder> holders;
  DIR* processes = ::opendir("/proc");
  REQUIRE(processes != nullptr);
  while (const dirent* process = ::readdir(processes)) {
    const pid_t pid = std::atoi(process->d_name);
    if (pid <= 0) continue;
    const std::string fd_dir = "/proc/" + std::string(process->d_name) + "/fd";
    DIR* fds = ::opendir(fd_dir.c_str());
    if (fds == nullptr) continue;
    Holder holder{pid, {}};
    bool holds = false;
    while (const dirent* fd = ::readdir(fds)) {
      if (fd->d_name[0] == '.') continue;
      char target[PATH_MAX];
      const ssize_t n = ::readlink((fd_dir + "/" + fd->d_name).c_str(), target, sizeof target);
      holder.descriptors.push_back(std::atoi(fd->d_name));
      holds = holds || (n > 0 && std::string(target, static_cast<size_t>(n)) == path);
    }
    ::closedir(fds);
    if (holds) holders.push_back(holder);
  }
  ::closedir(processes);
  return holders;
}

// holders_of(path) once it has `count` entries, or after 5 s.
std::vector<Holder> await_holders(const std::string& path, size_t count) {
  std::vector<Holder> holders = holders_of(path);
  for (int i = 0; i < 500 && holders.size() != count; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    holders = holders_of(path);
  }
  return holders;
}

// A temporary directory with an empty file in it, removed at the end.
struct ReplacedFile {
  std::string directory;
  std::string path;
  ReplacedFile() {
    char pattern[] = "background-release-test-XXXXXX";
    REQUIRE(::mkdtemp(pattern) != nullptr);
    char resolved[PATH_MAX];
    REQUIRE(::realpath(pattern, resolved) != nullptr);
    directory = resolved;
    path = directory + "/replaced";
    const int created = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
    REQUIRE(created >= 0);
    ::close(created);
  }
  ~ReplacedFile() {
    ::unlink(path.c_str());
    ::rmdir(directory.c_str());
  }
};

// A process that does what a stamp does: its descriptor of the replaced
// file goes to release_after_exit, and it closes its own before it ends,
// when finish() lets it. `preload`, when not null, is its LD_PRELOAD.
class Stamper {
 public:
  Stamper(const std::string& path, const char* preload) {
    int go_on[2];
    REQUIRE(::pipe(go_on) == 0);
    pid_ = ::fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      ::close(go_on[1]);
      if (preload != nullptr) ::setenv("LD_PRELOAD", preload, 1);
      const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
      if (fd < 0) ::_exit(1);
      buildinfo::release_after_exit(fd);
      ::close(fd);
      char byte = 0;
      while (::read(go_on[0], &byte, 1) < 0) {
      }
      ::_exit(0);
    }
    ::close(go_on[0]);
    go_on_ = go_on[1];
  }
  pid_t pid() const { return pid_; }
  // Lets it end; its exit status.
  int finish() {
    ::close(go_on_);
    int status = 0;
    REQUIRE(::waitpid(pid_, &status, 0) == pid_);
    return status;
  }

 private:
  pid_t pid_ = -1;
  int go_on_ = -1;
};

}  // namespace

TEST_CASE("release_after_exit: a child holds the file until the process exits, without its standard streams") {
  const ReplacedFile file;
  Stamper stamper(file.path, nullptr);

  // While the stamper lives, one process holds the file: its child,
  // without a standard stream.
  const std::vector<Holder> held = await_holders(file.path, 1);
  REQUIRE(held.size() == 1);
  CHECK(held.front().pid != stamper.pid());
  CHECK(held.front().pid != ::getpid());
  for (const int fd : held.front().descriptors) CHECK(fd > 2);

  const int status = stamper.finish();
  CHECK((WIFEXITED(status) && WEXITSTATUS(status) == 0));
  // Once it has ended, nobody holds the file.
  CHECK(await_holders(file.path, 0).empty());
}

TEST_CASE("release_after_exit: under valgrind (its core preloaded) no child is started") {
  const ReplacedFile file;
  Stamper stamper(file.path, "/usr/libexec/valgrind/vgpreload_core-amd64-linux.so");
  // A child would hold the file within milliseconds (the case above).
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  CHECK(holders_of(file.path).empty());
  const int status = stamper.finish();
  CHECK((WIFEXITED(status) && WEXITSTATUS(status) == 0));
}
