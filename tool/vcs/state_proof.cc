// Writing, reading and checking the git-state proof (see state_proof.h).
#include "vcs/state_proof.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <climits>
#include <cstdlib>
#include <sstream>

#include "support/percent_encode.h"

namespace buildinfo {
namespace {

constexpr const char* kMagic = "buildinfo vcs-proof 1 " BUILDINFO_VERSION;

bool operator==(const FileTime& a, const FileTime& b) {
  return a.seconds == b.seconds && a.nanoseconds == b.nanoseconds;
}
bool operator<(const FileTime& a, const FileTime& b) {
  return a.seconds != b.seconds ? a.seconds < b.seconds : a.nanoseconds < b.nanoseconds;
}

std::string percent_decode(const std::string& text, bool& ok) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    if (i + 2 >= text.size()) {
      ok = false;
      return out;
    }
    char digits[3] = {text[i + 1], text[i + 2], 0};
    char* end = nullptr;
    const long value = std::strtol(digits, &end, 16);
    if (end != digits + 2) {
      ok = false;
      return out;
    }
    out += static_cast<char>(value);
    i += 2;
  }
  return out;
}

std::string encode(const std::string& text) { return percent_encode(text, "/+,:@=!$'()*;"); }

// "=<encoded>" for a value, "-" for none.
std::string optional_text(const std::optional<std::string>& value) { return value ? "=" + encode(*value) : "-"; }

std::optional<std::string> environment(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

bool same_file_state(const FileWitness& a, const FileWitness& b) {
  if (a.present != b.present) return false;
  if (!a.present) return true;
  return a.device == b.device && a.inode == b.inode && a.mode == b.mode && a.owner == b.owner && a.size == b.size &&
         a.modified == b.modified && a.changed == b.changed;
}

std::string parent_of(const std::string& dir) {
  const size_t slash = dir.find_last_of('/');
  if (slash == std::string::npos || slash == 0) return "/";
  return dir.substr(0, slash);
}

}  // namespace

FileWitness observe(const std::string& path) {
  FileWitness witness;
  witness.path = path;
  struct stat info {};
  if (::lstat(path.c_str(), &info) != 0) return witness;
  witness.present = true;
  witness.device = info.st_dev;
  witness.inode = info.st_ino;
  witness.mode = info.st_mode;
  witness.owner = info.st_uid;
  witness.size = info.st_size;
  witness.modified = {info.st_mtim.tv_sec, info.st_mtim.tv_nsec};
  witness.changed = {info.st_ctim.tv_sec, info.st_ctim.tv_nsec};
  return witness;
}

void record_environment(StateProof& proof) {
  proof.home = environment("HOME");
  proof.xdg_config_home = environment("XDG_CONFIG_HOME");
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
  std::ostringstream out;
  out << kMagic << "\n";
  out << "source " << encode(proof.source_dir) << "\n";
  out << "untracked " << (proof.untracked_dirty ? 1 : 0) << "\n";
  out << "home " << optional_text(proof.home) << "\n";
  out << "xdg " << optional_text(proof.xdg_config_home) << "\n";
  out << "user " << proof.user << "\n";
  out << "clock " << proof.clock.seconds << " " << proof.clock.nanoseconds << "\n";
  std::istringstream facts(proof.facts);
  for (std::string line; std::getline(facts, line);) out << "fact " << encode(line) << "\n";
  for (const FileWitness& w : proof.witnesses) {
    out << "w " << encode(w.path);
    if (w.present) {
      out << " " << w.device << " " << w.inode << " " << w.mode << " " << w.owner << " " << w.size << " "
          << w.modified.seconds << " " << w.modified.nanoseconds << " " << w.changed.seconds << " "
          << w.changed.nanoseconds;
    } else {
      out << " -";
    }
    out << "\n";
  }
  out << "end\n";
  return out.str();
}

std::optional<StateProof> parse_state_proof(const std::string& text) {
  std::istringstream in(text);
  std::string line;
  if (!std::getline(in, line) || line != kMagic) return std::nullopt;
  StateProof proof;
  bool ok = true;
  bool ended = false;
  const auto optional_value = [&ok](const std::string& word) -> std::optional<std::string> {
    if (word == "-") return std::nullopt;
    if (word.empty() || word[0] != '=') {
      ok = false;
      return std::nullopt;
    }
    return percent_decode(word.substr(1), ok);
  };
  while (ok && std::getline(in, line)) {
    std::istringstream fields(line);
    std::string key, word;
    fields >> key;
    if (key == "end") {
      ended = true;
      break;
    }
    if (key == "source" && fields >> word) {
      proof.source_dir = percent_decode(word, ok);
    } else if (key == "untracked" && fields >> word) {
      proof.untracked_dirty = word == "1";
    } else if (key == "home" && fields >> word) {
      proof.home = optional_value(word);
    } else if (key == "xdg" && fields >> word) {
      proof.xdg_config_home = optional_value(word);
    } else if (key == "user") {
      ok = static_cast<bool>(fields >> proof.user);
    } else if (key == "clock") {
      ok = static_cast<bool>(fields >> proof.clock.seconds >> proof.clock.nanoseconds);
    } else if (key == "fact") {
      word.clear();
      fields >> word;  // an empty line encodes to nothing
      proof.facts += percent_decode(word, ok) + "\n";
    } else if (key == "w" && fields >> word) {
      FileWitness w;
      w.path = percent_decode(word, ok);
      std::string first;
      if (!(fields >> first)) {
        ok = false;
      } else if (first != "-") {
        w.present = true;
        w.device = std::strtoull(first.c_str(), nullptr, 10);
        ok = static_cast<bool>(fields >> w.inode >> w.mode >> w.owner >> w.size >> w.modified.seconds >>
                               w.modified.nanoseconds >> w.changed.seconds >> w.changed.nanoseconds);
      }
      proof.witnesses.push_back(std::move(w));
    } else {
      ok = false;
    }
  }
  if (!ok || !ended) return std::nullopt;
  return proof;
}

std::string proof_failure(const StateProof& proof) {
  StateProof now;
  record_environment(now);
  if (now.home != proof.home) return "HOME changed";
  if (now.xdg_config_home != proof.xdg_config_home) return "XDG_CONFIG_HOME changed";
  if (now.user != proof.user) return "another user";
  for (const FileWitness& recorded : proof.witnesses)
    if (!same_file_state(recorded, observe(recorded.path))) return recorded.path + " changed";
  return "";
}

bool proof_covers(const StateProof& proof, const std::string& source_dir) {
  std::string dir = canonical_path(source_dir);
  if (dir.empty()) return false;
  // Below the proof's directory, a `.git` (or a bare repository's HEAD)
  // would be found before it.
  while (dir != proof.source_dir) {
    if (dir.size() <= proof.source_dir.size() || dir.compare(0, proof.source_dir.size(), proof.source_dir) != 0 ||
        (proof.source_dir != "/" && dir[proof.source_dir.size()] != '/'))
      return false;
    if (observe(dir + "/.git").present || observe(dir + "/HEAD").present) return false;
    dir = parent_of(dir);
  }
  return true;
}

std::string proof_path_for(const std::string& state_file) { return state_file + ".proof"; }

std::optional<StateProof> read_state_proof(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  std::string text;
  char buffer[65536];
  ssize_t n = 0;
  while ((n = ::read(fd, buffer, sizeof buffer)) > 0) text.append(buffer, static_cast<size_t>(n));
  ::close(fd);
  if (n < 0) return std::nullopt;
  return parse_state_proof(text);
}

std::string canonical_path(const std::string& path) {
  char resolved[PATH_MAX];
  return ::realpath(path.c_str(), resolved) != nullptr ? resolved : "";
}

}  // namespace buildinfo
