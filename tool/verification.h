// Verifying one binary: its signature, that the record binds to this exact
// image, and the caller's policies. The logic behind `buildinfo verify`.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "error.h"
#include "signing.h"

namespace buildinfo {

struct VerifyPolicy {
  std::vector<PublicKey> keyring;  // any of these may have signed
  bool allow_unsigned = false;
  std::string expect_revision;     // full or abbreviated hex; empty = any
  bool require_clean = false;
  std::string expect_os;
  std::string expect_arch;
};

struct Check {
  std::string name;  // signature, image, revision, clean, os, arch
  bool ok;
  std::string detail;
};

struct SlotVerdict {
  std::string section;
  std::string arch;
  std::vector<Check> checks;
};

struct FileVerdict {
  std::string path;
  ExitCode code = ExitCode::ok;  // ok, verification_failed, bad_input, no_record
  std::string error;             // for bad_input and no_record
  std::vector<SlotVerdict> slots;
};

// Never throws: every problem becomes part of the verdict.
FileVerdict verify_file(const std::string& path, const VerifyPolicy& policy);

}  // namespace buildinfo
