// The checks of `buildinfo verify`, in the order they are reported:
// signature (over the exact payload bytes), image digest, then policies.
#include "verification.h"

#include "buildinfo/slot_layout.h"
#include "image_digest.h"
#include "loaded_binary.h"
#include "payload.h"
#include "slot_codec.h"

namespace buildinfo {
namespace {

std::string short_id(const KeyId& id) { return hex(id.data(), 8); }

Check check_signature(const SlotHeader& header, const std::string& payload, const std::vector<uint8_t>& signature,
                      const VerifyPolicy& policy) {
  if (header.signature_algorithm == BUILDINFO_SIG_NONE) {
    if (policy.allow_unsigned) return {"signature", true, "unsigned (allowed by --allow-unsigned)"};
    return {"signature", false, "the stamp is unsigned (pass --allow-unsigned to accept it)"};
  }
  KeyId key_id;
  std::copy(header.key_id.begin(), header.key_id.end(), key_id.begin());
  const auto algorithm = static_cast<SignatureAlgorithm>(header.signature_algorithm);
  for (const PublicKey& key : policy.keyring) {
    if (key.key_id() != key_id) continue;
    if (key.algorithm() != algorithm)
      return {"signature", false, "the header says " + algorithm_name(algorithm) + " but key " + short_id(key_id) + " is " +
                                      algorithm_name(key.algorithm())};
    if (!key.verify(dsse_pae(kPayloadType, payload), signature))
      return {"signature", false, "the " + algorithm_name(algorithm) + " signature does not verify with key " +
                                      short_id(key_id) + " (" + key.source() + ")"};
    return {"signature", true, algorithm_name(algorithm) + ", key " + short_id(key_id) + " (" + key.source() + ")"};
  }
  if (policy.keyring.empty())
    return {"signature", false, "signed by key " + short_id(key_id) + ", but no --key was given to check it"};
  return {"signature", false, "signed by key " + short_id(key_id) + ", which is not in the keyring"};
}

Check check_image(const LoadedBinary& binary, const SlotLocation& slot, const Payload& record) {
  const auto recorded = record.find("image.sha256");
  if (recorded == record.end()) return {"image", false, "the record has no image.sha256"};
  const std::string computed = image_digest(binary.view(), binary.facts, slot);
  if (computed != recorded->second)
    return {"image", false, "the binary differs from the stamped image: image.sha256 is " + recorded->second +
                                ", the file hashes to " + computed};
  return {"image", true, "sha256 " + computed};
}

std::string value_or(const Payload& record, const std::string& key, const std::string& fallback) {
  const auto it = record.find(key);
  return it == record.end() ? fallback : it->second;
}

void check_policies(const Payload& record, const VerifyPolicy& policy, std::vector<Check>& checks) {
  if (!policy.expect_revision.empty()) {
    const std::string revision = value_or(record, "vcs.revision", "");
    const bool ok = !revision.empty() && revision.compare(0, policy.expect_revision.size(), policy.expect_revision) == 0;
    checks.push_back({"revision", ok, ok ? revision : "recorded revision '" + revision + "', expected " + policy.expect_revision});
  }
  if (policy.require_clean) {
    const std::string modified = value_or(record, "vcs.modified", "unknown");
    const bool ok = modified == "false";
    checks.push_back({"clean", ok, ok ? "built from a clean tree" : "vcs.modified is " + modified});
  }
  if (!policy.expect_os.empty()) {
    const std::string os = value_or(record, "target.os", "");
    checks.push_back({"os", os == policy.expect_os, "target.os is " + os});
  }
  if (!policy.expect_arch.empty()) {
    const std::string arch = value_or(record, "target.arch", "");
    checks.push_back({"arch", arch == policy.expect_arch, "target.arch is " + arch});
  }
}

SlotVerdict verify_slot(const LoadedBinary& binary, const SlotLocation& location, const VerifyPolicy& policy) {
  SlotVerdict verdict{location.section, location.target.arch, {}};
  ByteView slot = binary.view().sub(location.slot_offset, location.capacity, "slot");
  const SlotHeader header = decode_slot_header(slot);
  if (header.payload_length == 0) throw Error(ExitCode::no_record, location.section + " is not stamped");
  const std::string payload = slot_payload(slot, header);
  // The signature is checked on the raw bytes before anything parses them,
  // and a payload that fails it is not read any further.
  verdict.checks.push_back(check_signature(header, payload, slot_signature(slot, header), policy));
  if (!verdict.checks.back().ok) return verdict;
  const Payload record = parse_payload(payload);
  verdict.checks.push_back(check_image(binary, location, record));
  check_policies(record, policy, verdict.checks);
  return verdict;
}

}  // namespace

FileVerdict verify_file(const std::string& path, const VerifyPolicy& policy) {
  FileVerdict verdict;
  verdict.path = path;
  try {
    const LoadedBinary binary = load_binary(path);
    require_slot(binary);
    for (const SlotLocation& slot : binary.facts.slots) {
      try {
        verdict.slots.push_back(verify_slot(binary, slot, policy));
      } catch (const Error& e) {
        throw Error(e.code(), path + ": " + e.what());
      }
    }
    for (const SlotVerdict& slot : verdict.slots)
      for (const Check& check : slot.checks)
        if (!check.ok) verdict.code = ExitCode::verification_failed;
  } catch (const Error& e) {
    verdict.code = e.code();
    verdict.error = e.what();
    verdict.slots.clear();
  } catch (const std::exception& e) {
    verdict.code = ExitCode::bad_input;
    verdict.error = path + ": " + e.what();
    verdict.slots.clear();
  }
  return verdict;
}

}  // namespace buildinfo
