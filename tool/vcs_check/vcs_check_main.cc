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

#include "vcs/proof_syntax.h"
#include "vcs/vcs_variables.h"
#include "vcs_check/linux_system_calls.h"
#include "vcs_check/program_start.h"

namespace {

namespace sys = buildinfo::linux_system;
using buildinfo::proof_syntax::Fields;
using buildinfo::proof_syntax::Lines;
using buildinfo::proof_syntax::Span;

constexpr size_t kPathCapacity = 4096;  // PATH_MAX

size_t length(const char* text) {
  size_t n = 0;
  while (text[n] != '\0') ++n;
  return n;
}

// A NUL-terminated path in a buffer of its own.
class Path {
 public:
  Path() { text_[0] = '\0'; }
  bool append(const char* begin, const char* end) {
    for (const char* at = begin; at < end; ++at)
      if (!push(*at)) return false;
    return true;
  }
  bool append(const char* text) { return append(text, text + length(text)); }
  bool push(char c) {
    if (size_ + 1 >= kPathCapacity || c == '\0') return false;
    text_[size_++] = c;
    text_[size_] = '\0';
    return true;
  }
  bool ends_with(const char* suffix) const {
    const size_t n = length(suffix);
    return n <= size_ && Span{text_ + size_ - n, text_ + size_}.equals(suffix);
  }
  void truncate(size_t size) { text_[size_ = size] = '\0'; }
  void clear() { truncate(0); }
  const char* text() const { return text_; }
  size_t size() const { return size_; }

 private:
  char text_[kPathCapacity];
  size_t size_ = 0;
};

// The decoded percent-encoded `word` in `path`; false when it is malformed,
// too long or holds a NUL.
bool decode_path(Span word, Path& path) {
  path.clear();
  bool fits = true;
  const bool well_formed = buildinfo::proof_syntax::percent_decode(word, [&](char c) { fits = fits && path.push(c); });
  return well_formed && fits;
}

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

// The witnesses below the repository's top directory (the parent of the
// witness named `.git`) are looked at relative to one descriptor of it, as
// vcs/state_proof.cc does.
class WitnessDirectory {
 public:
  explicit WitnessDirectory(Span proof) {
    Lines lines(proof);
    Span line;
    while (lines.next(line)) {
      Fields fields(line);
      if (!fields.word().equals("w") || !decode_path(fields.word(), top_) || !top_.ends_with("/.git")) continue;
      top_.truncate(top_.size() - 5);
      fd_ = sys::open_at(AT_FDCWD, top_.size() == 0 ? "/" : top_.text(), O_PATH | O_DIRECTORY);
      return;
    }
    top_.clear();
  }
  ~WitnessDirectory() {
    if (fd_ >= 0) sys::close(fd_);
  }
  WitnessDirectory(const WitnessDirectory&) = delete;
  WitnessDirectory& operator=(const WitnessDirectory&) = delete;

  // lstat() of the absolute `path`.
  bool status(const Path& path, sys::FileStatus& status) const {
    const size_t n = top_.size();
    const bool below = fd_ >= 0 && path.size() > n + 1 && path.text()[n] == '/' &&
                       Span{path.text(), path.text() + n}.equals(top_.text());
    return below ? sys::status_at(fd_, path.text() + n + 1, status) : sys::status_at(AT_FDCWD, path.text(), status);
  }

 private:
  Path top_;
  int fd_ = -1;
};

template <typename T>
bool number_is(Fields& fields, T expected) {
  T value{};
  return fields.number(value) && value == expected;
}

// True when the file of the witness line `fields` (after its "w") has the
// lstat() data the line gives, or is absent as the line says ("-").
bool witness_unchanged(Fields fields, const WitnessDirectory& directory, Path& path) {
  if (!decode_path(fields.word(), path)) return false;
  sys::FileStatus now;
  const bool present = directory.status(path, now);
  Fields absent = fields;
  if (absent.word().equals("-")) return !present;
  if (!present) return false;
  const bool same = number_is<uint64_t>(fields, now.st_dev) && number_is<uint64_t>(fields, now.st_ino) &&
                    number_is<uint32_t>(fields, now.st_mode) && number_is<uint32_t>(fields, now.st_uid) &&
                    number_is<int64_t>(fields, now.st_size) && number_is<int64_t>(fields, now.st_mtime) &&
                    number_is<int64_t>(fields, now.st_mtime_nsec) && number_is<int64_t>(fields, now.st_ctime) &&
                    number_is<int64_t>(fields, now.st_ctime_nsec);
  if (!same || !fields.word().equals("blob")) return same;
  int flag = 0;
  return !fields.word().empty() && fields.number(flag) && fields.number(flag);  // well formed, as the tool reads it
}

// The variables a proof records, in its order (vcs_variables.h).
constexpr size_t kGitVariableCount = sizeof buildinfo::kGitConfigVariables / sizeof *buildinfo::kGitConfigVariables;
constexpr size_t kVariableCount =
    kGitVariableCount + sizeof buildinfo::kVcsOverrideVariables / sizeof *buildinfo::kVcsOverrideVariables;

// True when the proof line `fields` (after "env") names the variable the
// proof records at `index` and gives its value now.
bool variable_unchanged(Fields fields, size_t index, char** environment) {
  const char* name = index < kGitVariableCount ? buildinfo::kGitConfigVariables[index]
                                               : buildinfo::kVcsOverrideVariables[index - kGitVariableCount];
  if (!fields.word().equals(name)) return false;
  const char* value = environment_value(environment, name);
  const Span recorded = fields.word();
  if (recorded.equals("-")) return value == nullptr;
  if (value == nullptr || recorded.empty() || *recorded.begin != '=') return false;
  bool same = true;
  const bool well_formed = buildinfo::proof_syntax::percent_decode({recorded.begin + 1, recorded.end}, [&](char c) {
    same = same && c != '\0' && *value == c;  // an encoded NUL ends no value
    if (*value != '\0') ++value;
  });
  return well_formed && same && *value == '\0';
}

// Compares the facts of the proof, line by line, with the state file.
class FactsReader {
 public:
  explicit FactsReader(Span state) : at_(state.begin), end_(state.end) {}
  bool next(Span encoded) {
    const auto expect = [this](char c) {
      same_ = same_ && at_ < end_ && *at_ == c;
      if (same_) ++at_;
    };
    const bool well_formed = buildinfo::proof_syntax::percent_decode(encoded, expect);
    expect('\n');
    return well_formed && same_;
  }
  bool all_read() const { return same_ && at_ == end_; }

 private:
  const char* at_;
  const char* end_;
  bool same_ = true;
};

bool proof_holds(Span proof, Span state, char** environment) {
  Lines lines(proof);
  Span line;
  if (!lines.next(line) || !line.equals(buildinfo::proof_syntax::kMagic)) return false;
  const WitnessDirectory directory(proof);
  FactsReader facts(state);
  Path path;
  size_t variables = 0;
  bool user_seen = false;
  while (lines.next(line)) {
    Fields fields(line);
    const Span key = fields.word();
    bool holds = true;
    if (key.equals("end")) {
      return variables == kVariableCount && user_seen && facts.all_read();
    } else if (key.equals("w")) {
      holds = witness_unchanged(fields, directory, path);
    } else if (key.equals("fact")) {
      holds = facts.next(fields.word());
    } else if (key.equals("env")) {
      holds = variables < kVariableCount && variable_unchanged(fields, variables++, environment);
    } else if (key.equals("user")) {
      holds = number_is<uint32_t>(fields, sys::effective_user());
      user_seen = true;
    } else if (key.equals("source")) {
      holds = buildinfo::proof_syntax::percent_decode(fields.word(), [](char) {});  // well formed
    } else if (key.equals("clock") || key.equals("modified")) {
      int64_t value = 0;
      holds = fields.number(value) && fields.number(value);
    } else {
      holds = key.equals("untracked");
    }
    if (!holds) return false;
  }
  return false;  // no "end": not a whole proof
}

bool state_is_current(const char* state_file, char** environment) {
  Path proof_file;
  Span proof, state;
  return proof_file.append(state_file) && proof_file.append(".proof") && read_file(proof_file.text(), proof) &&
         read_file(state_file, state) && proof_holds(proof, state, environment);
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
