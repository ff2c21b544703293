// An in-toto Statement v1 (https://github.com/in-toto/attestation/blob/main/spec/v1/statement.md)
// whose predicate is SLSA Provenance v1 (https://slsa.dev/spec/v1.0/provenance):
// the stamped files as subjects (name and SHA-256 as on disk), the source
// repository and revision as external parameters, the source commit and
// the dependencies as resolved dependencies, the builder and the build
// time as run details. Optionally signed as a DSSE envelope
// (https://github.com/secure-systems-lab/dsse/blob/master/envelope.md).
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

#include "exports/export_subject.h"
#include "signing/signing.h"

namespace buildinfo {

// The payloadType of an in-toto Statement in a DSSE envelope.
constexpr const char* kInTotoPayloadType = "application/vnd.in-toto+json";

// What buildDefinition.buildType names: a build whose record buildinfo
// stamped (FORMAT.md, "The payload", lists what its fields mean).
constexpr const char* kBuildType = "https://buildinfo.invalid/provenance/stamp/v1";

// The statement of `subjects` built from one record: the first subject's
// (files stamped by one build share their source and builder).
nlohmann::json in_toto_statement(const std::vector<ExportSubject>& subjects);

// The statement signed with `key`: {payloadType, payload (base64),
// signatures: [{keyid, sig}]}; keyid is the key's id as buildinfo names it.
nlohmann::json dsse_signed(const nlohmann::json& statement, const SigningKey& key);

// SLSA's builder.id is a URI: a builder.id that is one ("https://ci.example/runner")
// is kept, any other ("user@host") becomes urn:buildinfo:builder:<percent-encoded id>.
std::string builder_uri(const std::string& builder_id);

}  // namespace buildinfo
