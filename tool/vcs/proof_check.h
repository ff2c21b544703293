// Whether a git-state proof (state_proof.h) holds unchanged, judged in one
// pass over its text without allocating: every witness has the lstat()
// data the proof gives (or is still absent), and the environment and the
// user are the proof's. buildinfo-vcs-check, which runs without the C
// library (vcs_check/), and the tool's own check (state_proof.cc) share
// it; each brings its system calls (`System`) and its use of the facts and
// of the proof's directory (`Visitor`). A proof that is not unchanged may
// still hold (a touched file with the same contents): state_proof.h judges
// that in full.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "vcs/proof_syntax.h"
#include "vcs/vcs_variables.h"

namespace buildinfo::proof_check {

using proof_syntax::Fields;
using proof_syntax::Lines;
using proof_syntax::Span;

// The lstat() data a witness records.
struct FileState {
  uint64_t device = 0, inode = 0;
  uint32_t mode = 0, owner = 0;
  int64_t size = 0;
  int64_t modified_seconds = 0, modified_nanoseconds = 0;
  int64_t changed_seconds = 0, changed_nanoseconds = 0;
};

inline constexpr size_t kPathCapacity = 4096;  // PATH_MAX

inline size_t length(const char* text) {
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
inline bool decode_path(Span word, Path& path) {
  path.clear();
  bool fits = true;
  const bool well_formed = proof_syntax::percent_decode(word, [&](char c) { fits = fits && path.push(c); });
  return well_formed && fits;
}

// The witnesses below the repository's top directory (the parent of the
// witness named `.git`) are looked at relative to one descriptor of it:
// the kernel then walks a path of a few components instead of the whole
// one (docs/PERFORMANCE.md).
//
// `System` gives: int open_directory(const char*) (a descriptor, or < 0),
// void close(int), bool status(const char* absolute, FileState&) and
// bool status_at(int directory, const char* relative, FileState&) (lstat()),
// const char* variable(const char* name) (nullptr when unset) and
// uint32_t effective_user().
template <typename System>
class WitnessDirectory {
 public:
  // The top directory of the proof `proof`.
  WitnessDirectory(Span proof, const System& system) : system_(system) {
    Lines lines(proof);
    Span line;
    while (lines.next(line)) {
      Fields fields(line);
      if (!fields.word().equals("w") || !decode_path(fields.word(), top_) || !top_.ends_with("/.git")) continue;
      top_.truncate(top_.size() - 5);
      open_top();
      return;
    }
    top_.clear();
  }
  // The top directory `top` (the `.git` witness's path less "/.git"), or
  // none: every path is then looked at whole.
  WitnessDirectory(const char* top, const System& system) : system_(system) {
    if (top != nullptr && top_.append(top)) open_top();
  }
  ~WitnessDirectory() {
    if (fd_ >= 0) system_.close(fd_);
  }
  WitnessDirectory(const WitnessDirectory&) = delete;
  WitnessDirectory& operator=(const WitnessDirectory&) = delete;

  // lstat() of the absolute `path`.
  bool status(const Path& path, FileState& state) const {
    const size_t n = top_.size();
    const bool below = fd_ >= 0 && path.size() > n + 1 && path.text()[n] == '/' &&
                       Span{path.text(), path.text() + n}.equals(top_.text());
    return below ? system_.status_at(fd_, path.text() + n + 1, state) : system_.status(path.text(), state);
  }

 private:
  void open_top() { fd_ = system_.open_directory(top_.size() == 0 ? "/" : top_.text()); }

  const System& system_;
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
template <typename System>
bool witness_unchanged(Fields fields, const WitnessDirectory<System>& directory, Path& path) {
  if (!decode_path(fields.word(), path)) return false;
  FileState now;
  const bool present = directory.status(path, now);
  Fields absent = fields;
  if (absent.word().equals("-")) return !present;
  if (!present) return false;
  const bool same = number_is(fields, now.device) && number_is(fields, now.inode) && number_is(fields, now.mode) &&
                    number_is(fields, now.owner) && number_is(fields, now.size) &&
                    number_is(fields, now.modified_seconds) && number_is(fields, now.modified_nanoseconds) &&
                    number_is(fields, now.changed_seconds) && number_is(fields, now.changed_nanoseconds);
  if (!same || !fields.word().equals("blob")) return same;
  int flag = 0;
  return !fields.word().empty() && fields.number(flag) && fields.number(flag);  // well formed, as the tool reads it
}

// The variables a proof records, in its order (vcs_variables.h).
inline constexpr size_t kGitVariableCount = sizeof kGitConfigVariables / sizeof *kGitConfigVariables;
inline constexpr size_t kVariableCount =
    kGitVariableCount + sizeof kVcsOverrideVariables / sizeof *kVcsOverrideVariables;

// True when the proof line `fields` (after "env") names the variable the
// proof records at `index` and gives its value now.
template <typename System>
bool variable_unchanged(Fields fields, size_t index, const System& system) {
  const char* name =
      index < kGitVariableCount ? kGitConfigVariables[index] : kVcsOverrideVariables[index - kGitVariableCount];
  if (!fields.word().equals(name)) return false;
  const char* value = system.variable(name);
  const Span recorded = fields.word();
  if (recorded.equals("-")) return value == nullptr;
  if (value == nullptr || recorded.empty() || *recorded.begin != '=') return false;
  bool same = true;
  const bool well_formed = proof_syntax::percent_decode({recorded.begin + 1, recorded.end}, [&](char c) {
    same = same && c != '\0' && *value == c;  // an encoded NUL ends no value
    if (*value != '\0') ++value;
  });
  return well_formed && same && *value == '\0';
}

// True when `proof` is a whole proof that holds unchanged. `visitor` is
// handed the proof's own lines and may refuse each: bool fact(Span encoded),
// bool source(Span encoded), bool untracked(Span value) and, at the end,
// bool complete().
template <typename System, typename Visitor>
bool holds_unchanged(Span proof, const System& system, Visitor& visitor) {
  Lines lines(proof);
  Span line;
  if (!lines.next(line) || !line.equals(proof_syntax::kMagic)) return false;
  const WitnessDirectory<System> directory(proof, system);
  Path path;
  size_t variables = 0;
  bool user_seen = false;
  while (lines.next(line)) {
    Fields fields(line);
    const Span key = fields.word();
    bool holds = true;
    if (key.equals("end")) {
      return variables == kVariableCount && user_seen && visitor.complete();
    } else if (key.equals("w")) {
      holds = witness_unchanged(fields, directory, path);
    } else if (key.equals("fact")) {
      holds = visitor.fact(fields.word());
    } else if (key.equals("env")) {
      holds = variables < kVariableCount && variable_unchanged(fields, variables++, system);
    } else if (key.equals("user")) {
      holds = number_is(fields, system.effective_user());
      user_seen = true;
    } else if (key.equals("source")) {
      holds = visitor.source(fields.word());
    } else if (key.equals("untracked")) {
      holds = visitor.untracked(fields.word());
    } else if (key.equals("clock") || key.equals("modified")) {
      int64_t value = 0;
      holds = fields.number(value) && fields.number(value);
    } else {
      holds = false;
    }
    if (!holds) return false;
  }
  return false;  // no "end": not a whole proof
}

}  // namespace buildinfo::proof_check
