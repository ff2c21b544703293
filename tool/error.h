// The tool's one error type and its documented exit codes.
#pragma once

#include <cstring>
#include <stdexcept>
#include <string>

namespace buildinfo {

// Exit codes, documented in README.md.
enum class ExitCode : int {
  ok = 0,
  verification_failed = 1,  // verify: a check or policy failed
  bad_input = 2,            // usage error, unreadable or malformed input, write failure
  no_record = 3,            // no slot in the binary, or the slot is not stamped
};

class Error : public std::runtime_error {
 public:
  Error(ExitCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
  ExitCode code() const noexcept { return code_; }

 private:
  ExitCode code_;
};

// Thrown by the format readers for malformed input; the message names the
// defect and the caller adds the file name.
inline Error malformed(const std::string& defect) { return Error(ExitCode::bad_input, defect); }

// A failed system call on `path`: "PATH: WHAT: strerror(err)".
inline Error io_error(const std::string& path, const std::string& what, int err) {
  return Error(ExitCode::bad_input, path + ": " + what + ": " + std::strerror(err));
}

}  // namespace buildinfo
