// Writing, reading and checking the git-state proof (see state_proof.h).
#include "vcs/state_proof.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <climits>
#include <cstdlib>
#include <cstring>

#include "support/path.h"
#include "support/percent_encode.h"
#include "vcs/git_blob_id.h"
#include "vcs/proof_check.h"
#include "vcs/proof_syntax.h"
#include "vcs/vcs_environment.h"

namespace buildinfo {
namespace {

using proof_syntax::Fields;
using proof_syntax::Span;

bool operator==(const FileTime& a, const FileTime& b) {
  return a.seconds == b.seconds && a.nanoseconds == b.nanoseconds;
}
bool operator<(const FileTime& a, const FileTime& b) {
  return a.seconds != b.seconds ? a.seconds < b.seconds : a.nanoseconds < b.nanoseconds;
}

// The bytes of the percent-encoded `word`; `ok` is cleared when it is malformed.
std::string decoded(Span word, bool& ok) {
  std::string out;
  out.reserve(word.size());
  if (!proof_syntax::percent_decode(word, [&out](char c) { out += c; })) ok = false;
  return out;
}

std::string text_of(Span word) { return std::string(word.begin, word.end); }

std::string encode(const std::string& text) { return percent_encode(text, "/+,:@=!$'()*;"); }

// "=<encoded>" for a value, "-" for none.
std::string optional_text(const std::optional<std::string>& value) { return value ? "=" + encode(*value) : "-"; }

bool same_file_state(const FileWitness& a, const FileWitness& b) {
  if (a.present != b.present) return false;
  if (!a.present) return true;
  return a.device == b.device && a.inode == b.inode && a.mode == b.mode && a.owner == b.owner && a.size == b.size &&
         a.modified == b.modified && a.changed == b.changed;
}

}  // namespace

namespace {

// The lstat() data a witness records, from stat() data.
proof_check::FileState state_of(const struct stat& info) {
  return {info.st_dev,         info.st_ino,          info.st_mode,        info.st_uid,         info.st_size,
          info.st_mtim.tv_sec, info.st_mtim.tv_nsec, info.st_ctim.tv_sec, info.st_ctim.tv_nsec};
}

// A witness of `path` from its lstat() data.
FileWitness witness_of(const std::string& path, const proof_check::FileState& state) {
  FileWitness witness;
  witness.path = path;
  witness.present = true;
  witness.device = state.device;
  witness.inode = state.inode;
  witness.mode = state.mode;
  witness.owner = state.owner;
  witness.size = state.size;
  witness.modified = {state.modified_seconds, state.modified_nanoseconds};
  witness.changed = {state.changed_seconds, state.changed_nanoseconds};
  return witness;
}

// What the one-pass check (proof_check.h) asks of the system, from the C
// library.
struct LibrarySystem {
  int open_directory(const char* path) const { return ::open(path, O_PATH | O_DIRECTORY | O_CLOEXEC); }
  void close(int fd) const { ::close(fd); }
  bool status(const char* path, proof_check::FileState& state) const { return status_at(AT_FDCWD, path, state); }
  bool status_at(int directory, const char* path, proof_check::FileState& state) const {
    struct stat info {};
    if (::fstatat(directory, path, &info, AT_SYMLINK_NOFOLLOW) != 0) return false;
    state = state_of(info);
    return true;
  }
  const char* variable(const char* name) const { return std::getenv(name); }
  uint32_t effective_user() const { return static_cast<uint32_t>(::geteuid()); }
};

// The witnesses' top directory (the parent of the witness named `.git`),
// as the one-pass check finds it in the proof's text, opened; or none.
proof_check::WitnessDirectory<LibrarySystem> top_directory(const std::vector<FileWitness>& witnesses,
                                                           const LibrarySystem& system) {
  for (const FileWitness& w : witnesses) {
    const size_t slash = w.path.rfind('/');
    if (slash != std::string::npos && w.path.compare(slash, std::string::npos, "/.git") == 0)
      return {w.path.substr(0, slash).c_str(), system};
  }
  return {nullptr, system};
}

// lstat() of a proof's witnesses, those below its top directory relative to
// one descriptor of it, as the one-pass check looks at them
// (proof_check::WitnessDirectory): a quarter less time per witness for
// lz4's 271 (docs/PERFORMANCE.md).
class WitnessReader {
 public:
  WitnessReader() : directory_(nullptr, system_) {}  // every path read whole, as lstat() reads it
  explicit WitnessReader(const std::vector<FileWitness>& witnesses) : directory_(top_directory(witnesses, system_)) {}

  // The state of `path` now, as observe() gives it but for the path itself,
  // which is left empty. A path longer than the kernel takes is not found.
  FileWitness observe(const std::string& path) const {
    proof_check::Path whole;
    proof_check::FileState state;
    if (!whole.append(path.data(), path.data() + path.size()) || !directory_.status(whole, state)) return {};
    return witness_of(std::string(), state);
  }

 private:
  LibrarySystem system_;
  proof_check::WitnessDirectory<LibrarySystem> directory_;
};

}  // namespace

FileWitness observe(const std::string& path) {
  FileWitness witness = WitnessReader().observe(path);
  witness.path = path;
  return witness;
}

void record_environment(StateProof& proof) {
  proof.environment.clear();
  for (const char* name : kGitConfigVariables) proof.environment.emplace_back(name, environment_value(name));
  for (const char* name : kVcsOverrideVariables) proof.environment.emplace_back(name, environment_value(name));
  proof.user = static_cast<uint32_t>(::geteuid());
}

std::optional<FileTime> file_system_now(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0) return std::nullopt;
  struct stat info {};
  const bool ok = ::fstat(fd, &info) == 0;
  ::close(fd);
  if (!ok) return std::nullopt;
  return FileTime{info.st_mtim.tv_sec, info.st_mtim.tv_nsec};
}

bool is_racy(const FileWitness& witness, const FileTime& clock) {
  if (!witness.present) return false;
  for (const FileTime& time : {witness.modified, witness.changed}) {
    if (!(time < clock)) return true;
    // Whole seconds: a file system that does not keep nanoseconds (or keeps
    // two-second steps) may give a later change the same time.
    if (time.nanoseconds == 0 && time.seconds + 2 > clock.seconds) return true;
  }
  return false;
}

std::string format_state_proof(const StateProof& proof) {
  std::string out;
  const auto field = [&out](const auto& number) { out += ' ' + std::to_string(number); };
  out += std::string(proof_syntax::kMagic) + "\n";
  out += "source " + encode(proof.source_dir) + "\n";
  out += std::string("untracked ") + (proof.untracked_dirty ? "1" : "0") + "\n";
  for (const auto& [name, value] : proof.environment)
    out += "env " + std::string(name) + " " + optional_text(value) + "\n";
  out += "user " + std::to_string(proof.user) + "\n";
  out += "clock";
  field(proof.clock.seconds);
  field(proof.clock.nanoseconds);
  out +=
      std::string("\nmodified ") + (proof.modified ? "1" : "0") + " " + (proof.modified_otherwise ? "1" : "0") + "\n";
  for (size_t at = 0; at < proof.facts.size();) {
    size_t end = proof.facts.find('\n', at);
    if (end == std::string::npos) end = proof.facts.size();
    out += "fact " + encode(proof.facts.substr(at, end - at)) + "\n";
    at = end + 1;
  }
  for (const FileWitness& w : proof.witnesses) {
    out += "w " + encode(w.path);
    if (w.present) {
      for (const auto number : {w.device, w.inode, static_cast<uint64_t>(w.mode), static_cast<uint64_t>(w.owner)})
        field(number);
      field(w.size);
      for (const FileTime& time : {w.modified, w.changed}) {
        field(time.seconds);
        field(time.nanoseconds);
      }
      if (!w.blob.empty()) out += " blob " + w.blob + (w.differs ? " 1" : " 0") + (w.crlf ? " 1" : " 0");
    } else {
      out += " -";
    }
    out += "\n";
  }
  out += "end\n";
  return out;
}

std::optional<StateProof> parse_state_proof(const std::string& text) {
  proof_syntax::Lines lines({text.data(), text.data() + text.size()});
  Span line;
  if (!lines.next(line) || !line.equals(proof_syntax::kMagic)) return std::nullopt;
  StateProof proof;
  bool ok = true;
  bool ended = false;
  const auto optional_value = [&ok](Span word) -> std::optional<std::string> {
    if (word.equals("-")) return std::nullopt;
    if (word.empty() || *word.begin != '=') {
      ok = false;
      return std::nullopt;
    }
    return decoded({word.begin + 1, word.end}, ok);
  };
  while (ok && lines.next(line)) {
    Fields fields(line);
    const Span key = fields.word();
    if (key.equals("end")) {
      ended = true;
      break;
    }
    if (key.equals("w")) {
      FileWitness w;
      w.path = decoded(fields.word(), ok);
      Fields rest = fields;
      if (rest.word().equals("-")) {
        proof.witnesses.push_back(std::move(w));
        continue;
      }
      w.present = true;
      ok = ok && fields.number(w.device) && fields.number(w.inode) && fields.number(w.mode) && fields.number(w.owner) &&
           fields.number(w.size) && fields.number(w.modified.seconds) && fields.number(w.modified.nanoseconds) &&
           fields.number(w.changed.seconds) && fields.number(w.changed.nanoseconds);
      if (fields.word().equals("blob")) {
        w.blob = text_of(fields.word());
        int differs = 0, crlf = 0;
        ok = ok && !w.blob.empty() && fields.number(differs) && fields.number(crlf);
        w.differs = differs != 0;
        w.crlf = crlf != 0;
      }
      proof.witnesses.push_back(std::move(w));
    } else if (key.equals("fact")) {
      proof.facts += decoded(fields.word(), ok) + "\n";  // an empty line encodes to nothing
    } else if (key.equals("source")) {
      proof.source_dir = decoded(fields.word(), ok);
    } else if (key.equals("untracked")) {
      proof.untracked_dirty = fields.word().equals("1");
    } else if (key.equals("env")) {
      std::string name = text_of(fields.word());
      proof.environment.emplace_back(std::move(name), optional_value(fields.word()));
    } else if (key.equals("user")) {
      ok = fields.number(proof.user);
    } else if (key.equals("modified")) {
      int modified = 0, otherwise = 0;
      ok = fields.number(modified) && fields.number(otherwise);
      proof.modified = modified != 0;
      proof.modified_otherwise = otherwise != 0;
    } else if (key.equals("clock")) {
      ok = fields.number(proof.clock.seconds) && fields.number(proof.clock.nanoseconds);
    } else {
      ok = false;
    }
  }
  if (!ok || !ended) return std::nullopt;
  return proof;
}

namespace {

// Whether the file `now` (lstat() data) differs from the blob `blob`,
// read as git reads it; nullopt when it cannot be read, changes meanwhile,
// or holds a CR that git's line-ending filter (`crlf`) would convert.
std::optional<bool> differs_from_blob(const FileWitness& now, const std::string& blob, bool crlf) {
  const int fd = ::open(now.path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) return std::nullopt;
  const auto unchanged = [&] {
    struct stat info {};
    return ::fstat(fd, &info) == 0 && same_file_state(now, witness_of(now.path, state_of(info)));
  };
  std::optional<bool> differs;
  if (unchanged()) {
    const std::optional<std::string> id = git_blob_id(fd, now.size, crlf);
    if (id && unchanged()) differs = *id != blob;
  }
  ::close(fd);
  return differs;
}

// Writes `text` to `path` through a temporary name beside it, so that a
// reader sees the old proof or the new one; the mode stays the old one's.
void replace_file(const std::string& path, const std::string& text) {
  struct stat old {};
  if (::stat(path.c_str(), &old) != 0) return;
  std::string temporary = path + ".XXXXXX";
  const int fd = ::mkostemp(temporary.data(), O_CLOEXEC);
  if (fd < 0) return;
  ::fchmod(fd, old.st_mode & 07777);
  size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n <= 0) break;
    written += static_cast<size_t>(n);
  }
  const bool ok = ::close(fd) == 0 && written == text.size();
  if (!ok || ::rename(temporary.c_str(), path.c_str()) != 0) ::unlink(temporary.c_str());
}

}  // namespace

std::string proof_failure(StateProof& proof, const std::string& clock_dir, bool& renewed) {
  renewed = false;
  StateProof now;
  record_environment(now);
  if (now.environment != proof.environment) return "the environment changed (HOME, XDG_CONFIG_HOME or BUILDINFO_VCS_*)";
  if (now.user != proof.user) return "another user";
  // Tracked files that changed but may still prove the facts by their
  // contents, with their state now; the clock is read once, before the
  // first of them is looked at again.
  std::vector<std::pair<FileWitness*, FileWitness>> changed_files;
  std::optional<FileTime> clock;
  const WitnessReader reader(proof.witnesses);
  for (FileWitness& recorded : proof.witnesses) {
    FileWitness current = reader.observe(recorded.path);
    if (same_file_state(recorded, current)) continue;
    if (recorded.blob.empty() || !recorded.present) return recorded.path + " changed";
    if (changed_files.empty()) {
      clock = file_system_now(clock_dir);
      current = reader.observe(recorded.path);
    }
    current.path = recorded.path;
    // Another type or mode (the executable bit) is git's business.
    if (!current.present || current.mode != recorded.mode) return recorded.path + " changed";
    current.blob = recorded.blob;
    current.differs = recorded.differs;
    current.crlf = recorded.crlf;
    if (!proof.modified_otherwise) {
      const std::optional<bool> differs = differs_from_blob(current, recorded.blob, recorded.crlf);
      if (!differs) return recorded.path + " changed";
      current.differs = *differs;
    }
    changed_files.emplace_back(&recorded, std::move(current));
  }
  if (changed_files.empty()) return "";
  if (!proof.modified_otherwise) {
    // The files that differ now: as recorded, but for those that changed.
    int differing = 0;
    for (const FileWitness& w : proof.witnesses) differing += !w.blob.empty() && w.differs ? 1 : 0;
    for (const auto& [recorded, current] : changed_files)
      differing += (current.differs ? 1 : 0) - (recorded->differs ? 1 : 0);
    if ((differing > 0) != proof.modified) return changed_files.front().first->path + " changed";
  }
  for (auto& [recorded, current] : changed_files) {
    if (!clock || is_racy(current, *clock)) continue;  // judged again next time
    *recorded = std::move(current);
    renewed = true;
  }
  return "";
}

namespace {

std::optional<std::string> read_whole_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  std::string text;
  char buffer[65536];
  ssize_t n = 0;
  while ((n = ::read(fd, buffer, sizeof buffer)) > 0) text.append(buffer, static_cast<size_t>(n));
  ::close(fd);
  if (n < 0) return std::nullopt;
  return text;
}

// The lines of an unchanged proof that the tool keeps, decoded as
// parse_state_proof() decodes them.
struct ProvenLines {
  std::string facts, source_dir;
  bool untracked_dirty = false;

  bool fact(Span encoded) {
    bool ok = true;
    facts += decoded(encoded, ok) + "\n";
    return ok;
  }
  bool source(Span encoded) {
    bool ok = true;
    source_dir = decoded(encoded, ok);
    return ok;
  }
  bool untracked(Span value) {
    untracked_dirty = value.equals("1");
    return true;
  }
  bool complete() const { return true; }
};

// The proof `text` of `proof_file` when it holds now (see holding_proof).
std::optional<StateProof> holding_proof_in(const std::string& text, const std::string& proof_file) {
  std::optional<StateProof> proof = parse_state_proof(text);
  if (!proof) return std::nullopt;
  bool renewed = false;
  if (!proof_failure(*proof, parent_directory(proof_file), renewed).empty()) return std::nullopt;
  if (renewed) replace_file(proof_file, format_state_proof(*proof));
  return proof;
}

}  // namespace

std::optional<StateProof> holding_proof(const std::string& proof_file) {
  const std::optional<std::string> text = read_whole_file(proof_file);
  if (!text) return std::nullopt;
  return holding_proof_in(*text, proof_file);
}

bool proof_covers(const std::string& proof_dir, const std::string& source_dir) {
  std::string dir = canonical_path(source_dir);
  if (dir.empty()) return false;
  // Below the proof's directory, a `.git` (or a bare repository's HEAD)
  // would be found before it.
  while (dir != proof_dir) {
    if (dir.size() <= proof_dir.size() || dir.compare(0, proof_dir.size(), proof_dir) != 0 ||
        (proof_dir != "/" && dir[proof_dir.size()] != '/'))
      return false;
    if (observe(join_path(dir, ".git")).present || observe(join_path(dir, "HEAD")).present) return false;
    dir = parent_directory(dir);
  }
  return true;
}

std::string proof_path_for(const std::string& state_file) { return state_file + ".proof"; }

std::optional<std::string> proven_facts(const std::string& proof_file, const std::string& source_dir,
                                        bool untracked_dirty) {
  const std::optional<std::string> text = read_whole_file(proof_file);
  if (!text) return std::nullopt;
  // Most often the proof holds unchanged (buildinfo-vcs-check or vcs-state
  // renewed it before the compile): one pass over its text, which builds
  // no StateProof, decides that. Anything else is judged in full.
  ProvenLines lines;
  if (proof_check::holds_unchanged({text->data(), text->data() + text->size()}, LibrarySystem{}, lines)) {
    if (lines.untracked_dirty != untracked_dirty || !proof_covers(lines.source_dir, source_dir)) return std::nullopt;
    return std::move(lines.facts);
  }
  const std::optional<StateProof> proof = holding_proof_in(*text, proof_file);
  if (!proof || proof->untracked_dirty != untracked_dirty || !proof_covers(proof->source_dir, source_dir))
    return std::nullopt;
  return proof->facts;
}

std::optional<StateProof> read_state_proof(const std::string& path) {
  const std::optional<std::string> text = read_whole_file(path);
  if (!text) return std::nullopt;
  return parse_state_proof(*text);
}

std::string canonical_path(const std::string& path) {
  char resolved[PATH_MAX];
  return ::realpath(path.c_str(), resolved) != nullptr ? resolved : "";
}

}  // namespace buildinfo
