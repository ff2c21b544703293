// The in-toto Statement and its DSSE envelope (see in_toto.h).
#include "exports/in_toto.h"

#include <algorithm>
#include <cctype>

#include "support/hex.h"
#include "support/percent_encode.h"

namespace buildinfo {
namespace {

using nlohmann::json;

// "scheme:" per RFC 3986: a letter, then letters, digits, '+', '-', '.'.
bool has_scheme(const std::string& text) {
  const size_t colon = text.find(':');
  if (colon == std::string::npos || colon == 0 || !std::isalpha(static_cast<unsigned char>(text[0]))) return false;
  for (size_t i = 1; i < colon; ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (!std::isalnum(c) && c != '+' && c != '-' && c != '.') return false;
  }
  return colon + 1 < text.size();
}

}  // namespace

std::string builder_uri(const std::string& builder_id) {
  if (has_scheme(builder_id)) return builder_id;
  return "urn:buildinfo:builder:" + percent_encode(builder_id, "@");
}

json in_toto_statement(const std::vector<ExportSubject>& subjects) {
  json subject = json::array();
  for (const ExportSubject& s : subjects) subject.push_back({{"name", s.name}, {"digest", {{"sha256", s.sha256}}}});
  const Payload empty;
  const Payload& record = subjects.empty() ? empty : subjects[0].record;
  const std::string url = fact(record, "vcs.repository.url");
  const std::string revision = fact(record, "vcs.revision");

  json external = json::object();
  if (!url.empty()) external["repository"] = url;
  if (!revision.empty()) external["revision"] = revision;
  if (const std::string m = fact(record, "vcs.modified"); !m.empty()) external["modified"] = m;
  json internal = json::object();
  for (const char* key : {"compiler.id", "compiler.version", "project.name", "project.version"})
    if (const std::string v = fact(record, key); !v.empty()) internal[key] = v;

  json resolved = json::array();
  if (!revision.empty()) {
    json source = {{"digest", {{"gitCommit", revision}}}};
    if (!url.empty())
      source["uri"] = url;
    else
      source["name"] = "source";
    resolved.push_back(source);
  }
  std::vector<std::string> seen;
  for (const ExportSubject& s : subjects)
    for (const Dependency& d : s.dependencies) {
      if (std::find(seen.begin(), seen.end(), d.purl) != seen.end()) continue;
      seen.push_back(d.purl);
      json dependency = {{"uri", d.purl}, {"name", d.name}};
      if (!d.vcs_revision.empty()) dependency["digest"] = {{"gitCommit", d.vcs_revision}};
      resolved.push_back(dependency);
    }

  json run = {
      {"builder", {{"id", builder_uri(fact(record, "builder.id").empty() ? "unknown" : fact(record, "builder.id"))}}}};
  if (const std::string time = fact(record, "build.time"); !time.empty()) run["metadata"] = {{"finishedOn", time}};
  return {{"_type", "https://in-toto.io/Statement/v1"},
          {"subject", subject},
          {"predicateType", "https://slsa.dev/provenance/v1"},
          {"predicate",
           {{"buildDefinition",
             {{"buildType", kBuildType},
              {"externalParameters", external},
              {"internalParameters", internal},
              {"resolvedDependencies", resolved}}},
            {"runDetails", run}}}};
}

json dsse_signed(const json& statement, const SigningKey& key) {
  const std::string payload = statement.dump();
  const std::vector<uint8_t> signature = key.sign(dsse_pae(kInTotoPayloadType, payload));
  return {{"payloadType", kInTotoPayloadType},
          {"payload", base64(payload)},
          {"signatures",
           json::array({{{"keyid", hex(key.key_id().data(), key.key_id().size())}, {"sig", base64(signature)}}})}};
}

}  // namespace buildinfo
