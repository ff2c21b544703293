// The checks of `buildinfo verify`, in the order they are reported:
// signature (over the exact payload bytes), the slot's zero bytes, canonical
// form, image digest, then policies.
#include "record/verification.h"
#include "record/dependency_inventory.h"
#include "record/dependency_policy.h"

#include <algorithm>

#include "buildinfo/slot_layout.h"
#include "formats/image_digest.h"
#include "formats/loaded_binary.h"
#include "formats/slot_codec.h"
#include "record/payload.h"
#include "record/record_evidence.h"

namespace buildinfo {
namespace {

std::string key_id_text(const KeyId& id) { return hex(id.data(), id.size()); }

nlohmann::json keyring_ids(const VerifyPolicy& policy) {
  nlohmann::json ids = nlohmann::json::array();
  for (const PublicKey& key : policy.keyring) ids.push_back(key_id_text(key.key_id()));
  return ids;
}

// Also records on `slot` what the header says and which key verified it.
Check check_signature(const SlotHeader& header, const std::string& payload, const std::vector<uint8_t>& signature,
                      const VerifyPolicy& policy, SlotVerdict& slot) {
  const auto algorithm = static_cast<SignatureAlgorithm>(header.signature_algorithm);
  slot.signature_algorithm = algorithm_name(algorithm);
  Check check{"signature", false, "", keyring_ids(policy), nullptr};
  if (header.signature_algorithm == BUILDINFO_SIG_NONE) {
    check.ok = policy.allow_unsigned;
    check.detail = check.ok ? "unsigned (allowed by --allow-unsigned)"
                            : "the stamp is unsigned (pass --allow-unsigned to accept it)";
    return check;
  }
  KeyId key_id;
  std::copy(header.key_id.begin(), header.key_id.end(), key_id.begin());
  const std::string id = key_id_text(key_id);
  slot.key_id = id;
  check.actual = id;
  for (const PublicKey& key : policy.keyring) {
    if (key.key_id() != key_id) continue;
    if (key.algorithm() != algorithm) {
      check.detail =
          "the header says " + algorithm_name(algorithm) + " but key " + id + " is " + algorithm_name(key.algorithm());
    } else if (!key.verify(dsse_pae(kPayloadType, payload), signature)) {
      check.detail =
          "the " + algorithm_name(algorithm) + " signature does not verify with key " + id + " (" + key.source() + ")";
    } else {
      check.ok = true;
      check.detail = algorithm_name(algorithm) + ", key " + id + " (" + key.source() + ")";
      slot.key_file = key.source();
    }
    return check;
  }
  check.detail = policy.keyring.empty() ? "signed by key " + id + ", but no --key was given to check it"
                                        : "signed by key " + id + ", which is not in the keyring";
  return check;
}

// The slot's bytes that nothing else binds must be zero (FORMAT.md, "Bound
// bytes"): a byte that could change without failing any check would let a
// signed file carry something its signer never saw.
Check check_slot(ByteView slot, const SlotHeader& header) {
  const UnboundBytes unbound = unbound_bytes(slot, header);
  if (unbound.nonzero == 0)
    return {
        "slot", true,
        "the " + std::to_string(unbound.checked) + " bytes that nothing else binds (flags, reserved, padding) are zero",
        0, 0};
  return {"slot", false,
          std::to_string(unbound.nonzero) + " byte" + (unbound.nonzero == 1 ? "" : "s") +
              " that neither the signature nor image.sha256 covers " + (unbound.nonzero == 1 ? "is" : "are") +
              " not zero, the first at slot offset " + std::to_string(unbound.first) + " (" + unbound.first_field +
              "); a stamp writes zeros there",
          0, unbound.nonzero};
}

// One grammar for every reader: a payload that is not canonical could mean
// different things to different JSON readers, and the runtime reads it as
// corrupt (FORMAT.md, "The payload").
Check check_canonical(const PayloadReading& reading) {
  if (reading.canonical)
    return {"canonical", true, "the payload is canonical JSON (sorted unique keys, no whitespace)", nullptr, nullptr};
  return {"canonical", false,
          "the payload is not in canonical form: " + reading.defect + " at payload offset " +
              std::to_string(reading.defect_offset) + "; the program reads such a record as corrupt",
          nullptr, reading.defect_offset};
}

Check check_image(const LoadedBinary& binary, const SlotLocation& slot, const Payload& record) {
  const std::string computed = image_digest(binary.view(), binary.image.digest_plan(slot), binary.file.descriptor());
  const auto recorded = record.find("image.sha256");
  if (recorded == record.end()) return {"image", false, "the record has no image.sha256", nullptr, computed};
  if (computed != recorded->second)
    return {"image", false,
            "the binary differs from the stamped image: image.sha256 is " + recorded->second + ", the file hashes to " +
                computed,
            recorded->second, computed};
  return {"image", true, "sha256 " + computed, recorded->second, computed};
}

// The inventory the record binds by deps.sha256 (FORMAT.md, "The dependency
// inventory") is the one in the binary's dependency space.
Check check_dependencies(const LoadedBinary& binary, const SlotLocation& slot, const Payload& record) {
  const InventoryReading reading = read_inventory(binary.view(), binary.facts(), slot.slice_offset, record);
  const nlohmann::json actual = reading.actual.empty() ? nlohmann::json(nullptr) : nlohmann::json(reading.actual);
  if (!reading.matches) return {"dependencies", false, reading.defect, reading.recorded, actual};
  return {"dependencies", true, std::to_string(reading.dependencies.size()) + " dependencies, sha256 " + reading.actual,
          reading.recorded, actual};
}

// The record's value of `key`, or null.
nlohmann::json recorded(const Payload& record, const std::string& key) {
  const auto it = record.find(key);
  return it == record.end() ? nlohmann::json(nullptr) : nlohmann::json(it->second);
}

// A check that a record key equals `expected` (os, arch).
Check check_equal(const std::string& name, const Payload& record, const std::string& key, const std::string& expected) {
  const nlohmann::json actual = recorded(record, key);
  if (actual.is_null()) return {name, false, "the record has no " + key + ", expected " + expected, expected, actual};
  const std::string& value = actual.get_ref<const std::string&>();
  if (value != expected) return {name, false, key + " is " + value + ", expected " + expected, expected, actual};
  return {name, true, key + " is " + value, expected, actual};
}

// --require-dep and --deny-dep over the inventory the record binds (whose
// own check, "dependencies", runs before): a record without one meets no
// requirement and no denial.
void check_dependency_policies(const LoadedBinary& binary, const SlotLocation& slot, const Payload& record,
                               const VerifyPolicy& policy, std::vector<Check>& checks) {
  if (policy.require_deps.empty() && policy.deny_deps.empty()) return;
  const InventoryReading inventory = read_inventory(binary.view(), binary.facts(), slot.slice_offset, record);
  const auto run = [&](const std::string& text, bool require) {
    const char* name = require ? "require-dep" : "deny-dep";
    const DependencyConstraint constraint = parse_dependency_constraint(text, require ? "--require-dep" : "--deny-dep");
    if (!inventory.matches) {
      checks.push_back({name, !require,
                        inventory.bound ? "the dependency inventory does not match the record"
                                        : "the record binds no dependency inventory",
                        text, nullptr});
      return;
    }
    nlohmann::json actual = nlohmann::json::array();
    std::string met, unmet;
    for (const ConstraintMatch& m : match_constraint(constraint, inventory.dependencies)) {
      const std::string described = m.dependency->name + " " + (m.version.empty() ? "(no version)" : m.version);
      actual.push_back(described);
      std::string& list = m.satisfied ? met : unmet;
      list += (list.empty() ? "" : ", ") + described;
    }
    if (require) {
      checks.push_back({name, !met.empty(),
                        !met.empty()    ? "links " + met
                        : unmet.empty() ? "links no dependency named " + constraint.name
                                        : "links " + unmet + ", which does not meet " + text,
                        text, actual});
    } else {
      checks.push_back({name, met.empty(),
                        met.empty() ? (unmet.empty() ? "links no dependency named " + constraint.name
                                                     : "links " + unmet + ", which " + text + " does not deny")
                                    : "links " + met + ", which " + text + " denies",
                        text, actual});
    }
  };
  for (const std::string& text : policy.require_deps) run(text, true);
  for (const std::string& text : policy.deny_deps) run(text, false);
}

void check_policies(const Payload& record, const VerifyPolicy& policy, std::vector<Check>& checks) {
  if (!policy.expect_revision.empty()) {
    const nlohmann::json actual = recorded(record, "vcs.revision");
    const std::string revision = actual.is_null() ? "" : actual.get<std::string>();
    const bool ok =
        !revision.empty() && revision.compare(0, policy.expect_revision.size(), policy.expect_revision) == 0;
    checks.push_back({"revision", ok,
                      ok                 ? revision
                      : actual.is_null() ? "the record has no vcs.revision (stamped without git facts), expected " +
                                               policy.expect_revision
                                         : "recorded revision '" + revision + "', expected " + policy.expect_revision,
                      policy.expect_revision, actual});
  }
  if (policy.require_clean) {
    const nlohmann::json actual = recorded(record, "vcs.modified");
    const bool ok = actual == "false";
    checks.push_back({"clean", ok,
                      ok                 ? "built from a clean tree"
                      : actual.is_null() ? "the record has no vcs.modified (stamped without git facts)"
                                         : "vcs.modified is " + actual.get<std::string>(),
                      "false", actual});
  }
  if (!policy.expect_os.empty()) checks.push_back(check_equal("os", record, "target.os", policy.expect_os));
  if (!policy.expect_arch.empty()) checks.push_back(check_equal("arch", record, "target.arch", policy.expect_arch));
}

// Nothing when the slot is empty (not stamped).
std::optional<SlotVerdict> verify_slot(const LoadedBinary& binary, const SlotLocation& location,
                                       const VerifyPolicy& policy) {
  SlotVerdict verdict;
  verdict.section = location.section;
  verdict.arch = location.target.arch;
  ByteView slot = binary.view().sub(location.slot_offset, location.capacity, "slot");
  const SlotHeader header = decode_slot_header(slot);
  // Not stamped: an empty slot. A slot that says so but holds other bytes
  // is a damaged record, and fails the slot check below.
  if (header.payload_length == 0 && unbound_bytes(slot, header).nonzero == 0) return std::nullopt;
  verdict.signature_algorithm = algorithm_name(static_cast<SignatureAlgorithm>(header.signature_algorithm));
  const std::string payload = slot_payload(slot, header);
  // The signature is checked on the raw bytes before anything parses them,
  // and a payload that fails it is not read any further.
  if (header.payload_length != 0) {
    verdict.checks.push_back(check_signature(header, payload, slot_signature(slot, header), policy, verdict));
    if (!verdict.checks.back().ok) return verdict;
  }
  verdict.checks.push_back(check_slot(slot, header));
  if (header.payload_length == 0) return verdict;
  PayloadReading reading = read_payload(payload);
  // Text that is not a flat JSON object of strings cannot be checked any
  // further: it fails the structure check (verify_file).
  if (!reading.flat_object) throw payload_error(reading, binary.path);
  verdict.checks.push_back(check_canonical(reading));
  if (!reading.canonical) return verdict;
  const Payload& record = verdict.record.emplace(std::move(reading.fields));
  verdict.checks.push_back(check_image(binary, location, record));
  if (record.count("deps.sha256") != 0) verdict.checks.push_back(check_dependencies(binary, location, record));
  check_policies(record, policy, verdict.checks);
  check_dependency_policies(binary, location, record, policy, verdict.checks);
  return verdict;
}

// A file that carries a record but cannot be read as one (its headers,
// note or slot damaged, or the image rule failing on it) has failed
// verification: one failing "structure" check with the reader's defect.
void fail_structure(FileVerdict& verdict, const std::string& error, uint64_t record_offset) {
  verdict.outcome = FileVerdict::Outcome::failed;
  verdict.error = error;
  verdict.slots.clear();
  const std::string prefix = verdict.path + ": ";
  const std::string defect = error.compare(0, prefix.size(), prefix) == 0 ? error.substr(prefix.size()) : error;
  SlotVerdict slot;
  slot.checks.push_back(
      {"structure", false,
       defect + " (the file carries a buildinfo record, at offset " + std::to_string(record_offset) + ")", nullptr,
       nullptr});
  verdict.slots.push_back(std::move(slot));
}

// Every slot of a scanned binary. Throws Error naming the file for what
// cannot be read; an empty slot makes the file's verdict no_record.
void verify_slots(const LoadedBinary& binary, const VerifyPolicy& policy, FileVerdict& verdict) {
  require_slot(binary);
  for (const SlotLocation& slot : binary.facts().slots) {
    std::optional<SlotVerdict> slot_verdict;
    slot_verdict = verify_slot(binary, slot, policy);
    if (!slot_verdict) {
      verdict.outcome = FileVerdict::Outcome::no_record;
      verdict.error = binary.path + ": " + slot.section + " is not stamped";
      verdict.slots.clear();
      return;
    }
    verdict.slots.push_back(std::move(*slot_verdict));
  }
  // In a universal file each slice is bound by its own slot only: a slice
  // without one would be bound by nothing (FORMAT.md, "Bound bytes").
  for (const Slice& slice : binary.facts().slices) {
    const bool has_slot = std::any_of(binary.facts().slots.begin(), binary.facts().slots.end(),
                                      [&](const SlotLocation& slot) { return slot.slice_offset == slice.offset; });
    if (has_slot) continue;
    SlotVerdict unbound;
    unbound.arch = slice.target.arch;
    unbound.checks.push_back({"structure", false,
                              "the " + slice.target.arch + " slice (offset " + std::to_string(slice.offset) +
                                  ") has no buildinfo slot, so nothing binds its bytes",
                              nullptr, nullptr});
    verdict.slots.push_back(std::move(unbound));
  }
  for (const SlotVerdict& slot : verdict.slots)
    for (const Check& check : slot.checks)
      if (!check.ok) verdict.outcome = FileVerdict::Outcome::failed;
}

}  // namespace

FileVerdict verify_file(const std::string& path, const VerifyPolicy& policy) {
  FileVerdict verdict;
  verdict.path = path;
  // What fails while opening and mapping the file (missing, unreadable, not
  // a regular file, too large) is never a verification.
  std::optional<MappedFile> file;
  try {
    file.emplace(path);
  } catch (const Error& e) {
    verdict.outcome = FileVerdict::Outcome::error;
    verdict.error_kind = e.kind();
    verdict.error = e.what();
    return verdict;
  }
  // The bytes stay mapped until the verdict is made: by `file` until the
  // scan succeeds, then by `binary`.
  std::optional<LoadedBinary> binary;
  try {
    BinaryImage image = scan_binary(file->view());
    binary.emplace(LoadedBinary{path, std::move(*file), std::move(image)});
    verify_slots(*binary, policy, verdict);
  } catch (const std::exception& e) {
    // What is not the tool's Error (out of memory, a library's exception)
    // is no defect of the file.
    const Error* error = dynamic_cast<const Error*>(&e);
    const ErrorKind kind = error != nullptr ? error->kind() : ErrorKind::internal;
    const std::string message = error != nullptr ? std::string(e.what()) : path + ": " + e.what();
    // The rule of README.md, "Exit codes": a file that carries a record
    // and cannot be read fails verification (1); without a record its
    // defect stays bad input (2) or no record (3).
    if (kind != ErrorKind::internal)
      if (const std::optional<uint64_t> record = find_nonempty_slot(binary ? binary->view() : file->view())) {
        fail_structure(verdict, message, *record);
        return verdict;
      }
    verdict.outcome = kind == ErrorKind::no_record ? FileVerdict::Outcome::no_record : FileVerdict::Outcome::error;
    verdict.error_kind = kind;
    verdict.error = message;
    verdict.slots.clear();
  }
  return verdict;
}

}  // namespace buildinfo
