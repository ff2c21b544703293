// The tool's one error type. An error says what kind of failure it is and,
// when a file is to blame, which file; the command line alone turns kinds
// into exit codes (exit_code.h).
#pragma once

#include <cstring>
#include <stdexcept>
#include <string>

namespace buildinfo {

enum class ErrorKind {
  bad_input,  // a file, key, option value or setting is unreadable, malformed or refused
  no_record,  // the binary has no buildinfo slot, or its slot is not stamped
  internal,   // a library or the system failed where no input is at fault (OpenSSL, out of memory)
};

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, const std::string& defect) : std::runtime_error(defect), kind_(kind), defect_(defect) {}
  Error(ErrorKind kind, const std::string& file, const std::string& defect)
      : std::runtime_error(file.empty() ? defect : file + ": " + defect), kind_(kind), file_(file), defect_(defect) {}

  ErrorKind kind() const noexcept { return kind_; }
  const std::string& file() const noexcept { return file_; }      // empty when no file is to blame
  const std::string& defect() const noexcept { return defect_; }  // the message without the file

 private:
  ErrorKind kind_;
  std::string file_;
  std::string defect_;
};

// A failed system call on `path`: "PATH: WHAT: strerror(err)". The path is
// what the user gave, so the failure counts as bad input (README.md).
inline Error io_error(const std::string& path, const std::string& what, int err) {
  return Error(ErrorKind::bad_input, path, what + ": " + std::strerror(err));
}

// OpenSSL (or another library) failing on input it accepted before.
inline Error internal_error(const std::string& what) { return Error(ErrorKind::internal, what); }

}  // namespace buildinfo
