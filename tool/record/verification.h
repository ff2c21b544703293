// Verifying one binary: its signature, that the record binds to this exact
// image, and the caller's policies. The logic behind `buildinfo verify`.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "record/payload.h"
#include "signing/signing.h"
#include "support/error.h"

namespace buildinfo {

struct VerifyPolicy {
  std::vector<PublicKey> keyring;  // any of these may have signed
  bool allow_unsigned = false;
  std::string expect_revision;  // full or abbreviated hex; empty = any
  bool require_clean = false;
  std::string expect_os;
  std::string expect_arch;
  std::vector<std::string> require_deps;  // --require-dep NAME[op VERSION]: some dependency meets it
  std::vector<std::string> deny_deps;     // --deny-dep NAME[op VERSION]: no dependency meets it
};

// What each check compared, for scripts (README.md, `verify --json`):
//   signature  expected: the keyring's key ids    actual: the stamp's key id (null: unsigned)
//   slot       expected: 0                          actual: how many unbound slot bytes are not zero
//   image      expected: the recorded image.sha256 actual: the digest of this file
//   revision   expected: the revision asked for    actual: vcs.revision
//   clean      expected: "false"                   actual: vcs.modified
//   dependencies expected: deps.sha256             actual: the SHA-256 of the binary's inventory
//   os, arch   expected: the value asked for       actual: target.os, target.arch
//   require-dep, deny-dep expected: the constraint actual: the matching dependencies ("name version")
//   structure  expected: null                       actual: null (the file carries a record
//              but cannot be read; the only check, in a slot entry without section)
// A value the record lacks is null.
struct Check {
  std::string name;  // signature, slot, canonical, image, dependencies, revision, clean, os, arch; structure
  bool ok;
  std::string detail;  // the same in words
  nlohmann::json expected;
  nlohmann::json actual;
};

struct SlotVerdict {
  std::string section;  // empty for the "structure" failure
  std::string arch;
  std::string signature_algorithm;  // from the slot header: ed25519, ecdsa-p256, none
  std::string key_id;               // 64 hex; empty when unsigned
  std::string key_file;             // the --key whose signature verified; empty otherwise
  std::optional<Payload> record;    // set once the signature check passed, never before
  std::vector<Check> checks;
};

struct FileVerdict {
  std::string path;
  enum class Outcome { verified, failed, error, no_record };
  Outcome outcome = Outcome::verified;
  ErrorKind error_kind = ErrorKind::bad_input;  // for Outcome::error
  std::string error;                            // for error, no_record and a "structure" failure
  std::vector<SlotVerdict> slots;
};

// Never throws: every problem becomes part of the verdict.
FileVerdict verify_file(const std::string& path, const VerifyPolicy& policy);

}  // namespace buildinfo
