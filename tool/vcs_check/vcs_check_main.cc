// buildinfo-vcs-check STATE -- PROGRAM [ARGUMENT...]
//
// The git-state step of a build, first half: exits 0 at once when the
// vcs-state file STATE is provably current, and otherwise runs PROGRAM,
// which is `buildinfo vcs-state ... --output STATE`. Current means that
// its proof, STATE.proof (vcs/state_proof.h), still holds unchanged: every
// witness has the lstat() data the proof gives (or is still absent), the
// environment and the user are the proof's, and STATE holds the proof's
// facts. Anything else, a touched file included, is left to `vcs-state`,
// which judges it in full and reads the repository only when it must.
//
// It runs at every build, most often to find nothing changed, so it is
// built without the C library: glibc's start-up alone took 0.37 of the
// 0.74 ms the check took with it (docs/PERFORMANCE.md). It makes its
// system calls itself (linux_system_calls.h) and allocates nothing but the
// memory its two files are read into.
#include <stddef.h>

#include "vcs/proof_check.h"
#include "vcs_check/linux_system_calls.h"
#include "vcs_check/program_start.h"

namespace {

namespace sys = buildinfo::linux_system;
using buildinfo::proof_check::FileState;
using buildinfo::proof_check::length;
using buildinfo::proof_check::Path;
using buildinfo::proof_syntax::Span;

// The whole of file `path`, read into memory of its own; false when it
// cannot be read or grows while it is read.
bool read_file(const char* path, Span& text) {
  const int fd = sys::open_at(AT_FDCWD, path, O_RDONLY);
  if (fd < 0) return false;
  sys::FileStatus status;
  char* memory = nullptr;
  unsigned long size = 0;
  if (sys::status_of(fd, status) && status.st_size >= 0) {
    size = static_cast<unsigned long>(status.st_size);
    memory = sys::new_memory(size + 1);
  }
  unsigned long filled = 0;
  long n = 1;
  while (memory != nullptr && filled <= size && n > 0) {
    n = sys::read(fd, memory + filled, size + 1 - filled);
    if (n > 0) filled += static_cast<unsigned long>(n);
  }
  sys::close(fd);
  if (memory == nullptr || n < 0 || filled != size) return false;
  text = {memory, memory + size};
  return true;
}

// The value of `name` in `environment`, as getenv() finds it; nullptr when
// it is unset.
const char* environment_value(char** environment, const char* name) {
  const size_t n = length(name);
  for (char** entry = environment; *entry != nullptr; ++entry) {
    const char* at = *entry;
    size_t i = 0;
    while (i < n && at[i] == name[i]) ++i;
    if (i == n && at[n] == '=') return at + n + 1;
  }
  return nullptr;
}

// What the proof check asks of the system (proof_check.h), from the
// kernel itself.
struct KernelSystem {
  char** environment;

  int open_directory(const char* path) const { return sys::open_at(AT_FDCWD, path, O_PATH | O_DIRECTORY); }
  void close(int fd) const { sys::close(fd); }
  bool status(const char* path, FileState& state) const { return status_at(AT_FDCWD, path, state); }
  bool status_at(int directory, const char* path, FileState& state) const {
    sys::FileStatus status;
    if (!sys::status_at(directory, path, status)) return false;
    // The kernel's structure gives the times unsigned on x86-64 and signed
    // on aarch64; the proof writes them as the tool reads them, signed.
    state = {status.st_dev,
             status.st_ino,
             status.st_mode,
             status.st_uid,
             static_cast<int64_t>(status.st_size),
             static_cast<int64_t>(status.st_mtime),
             static_cast<int64_t>(status.st_mtime_nsec),
             static_cast<int64_t>(status.st_ctime),
             static_cast<int64_t>(status.st_ctime_nsec)};
    return true;
  }
  const char* variable(const char* name) const { return environment_value(environment, name); }
  uint32_t effective_user() const { return sys::effective_user(); }
};

// Compares the facts of the proof, line by line, with the state file; the
// proof's other lines need only be well formed.
class StateFileVisitor {
 public:
  explicit StateFileVisitor(Span state) : at_(state.begin), end_(state.end) {}
  bool fact(Span encoded) {
    const auto expect = [this](char c) {
      same_ = same_ && at_ < end_ && *at_ == c;
      if (same_) ++at_;
    };
    const bool well_formed = buildinfo::proof_syntax::percent_decode(encoded, expect);
    expect('\n');
    return well_formed && same_;
  }
  bool source(Span encoded) {
    return buildinfo::proof_syntax::percent_decode(encoded, [](char) {});
  }
  bool untracked(Span) { return true; }
  bool complete() const { return same_ && at_ == end_; }

 private:
  const char* at_;
  const char* end_;
  bool same_ = true;
};

bool state_is_current(const char* state_file, char** environment) {
  Path proof_file;
  Span proof, state;
  if (!proof_file.append(state_file) || !proof_file.append(".proof") || !read_file(proof_file.text(), proof) ||
      !read_file(state_file, state))
    return false;
  const KernelSystem system{environment};
  StateFileVisitor facts(state);
  return buildinfo::proof_check::holds_unchanged(proof, system, facts);
}

void print(const char* text) {
  for (size_t size = length(text); size > 0;) {
    const long n = sys::write(2, text, size);
    if (n <= 0) return;
    text += n;
    size -= static_cast<size_t>(n);
  }
}

const char* error_text(long error) {
  switch (error) {
    case ENOENT: return "No such file or directory";
    case EACCES: return "Permission denied";
    case ENOEXEC: return "Exec format error";
    case ENOMEM: return "Cannot allocate memory";
    default: return "cannot be executed";
  }
}

// Runs `arguments[0]` as execvp() would (through PATH when it has no
// slash, "/bin:/usr/bin" without PATH); returns -errno when it cannot.
long run(char** arguments, char** environment) {
  const char* program = arguments[0];
  for (const char* at = program; *at != '\0'; ++at)
    if (*at == '/') return sys::execute(program, arguments, environment);
  const char* search = environment_value(environment, "PATH");
  if (search == nullptr) search = "/bin:/usr/bin";
  long error = -ENOENT;
  for (const char* start = search;; ++start) {
    const char* stop = start;
    while (*stop != '\0' && *stop != ':') ++stop;
    Path candidate;
    // An empty entry is the current directory, as for execvp().
    if (candidate.append(start, stop) && (stop == start || candidate.push('/')) && candidate.append(program)) {
      const long result = sys::execute(candidate.text(), arguments, environment);
      if (result == -EACCES || error != -EACCES) error = result;
    }
    if (*stop == '\0') return error;
    start = stop;
  }
}

}  // namespace

int program_main(int argc, char** argv, char** environment) {
  if (argc < 4 || !Span{argv[2], argv[2] + length(argv[2])}.equals("--")) {
    print("usage: buildinfo-vcs-check STATE -- PROGRAM [ARGUMENT...]\n");
    return 2;
  }
  if (state_is_current(argv[1], environment)) return 0;
  const long error = run(argv + 3, environment);
  print("buildinfo-vcs-check: cannot run ");
  print(argv[3]);
  print(": ");
  print(error_text(-error));
  print("\n");
  return 2;
}
