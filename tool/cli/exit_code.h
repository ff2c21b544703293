// The command line's exit codes (README.md, "Exit codes") and the one
// mapping from an error's kind to its code.
#pragma once

#include "support/error.h"

namespace buildinfo {

enum class ExitCode : int {
  ok = 0,
  verification_failed = 1,  // verify: a check or policy failed
  bad_input = 2,            // usage error, unreadable or malformed input, write failure
  no_record = 3,            // no slot in the binary, or the slot is not stamped
  internal = 4,             // the tool or a library failed (OpenSSL, out of memory), not the input
};

constexpr ExitCode exit_code(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::bad_input: return ExitCode::bad_input;
    case ErrorKind::no_record: return ExitCode::no_record;
    case ErrorKind::internal: return ExitCode::internal;
  }
  return ExitCode::internal;
}

}  // namespace buildinfo
