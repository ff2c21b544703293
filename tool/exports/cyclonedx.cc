// The CycloneDX BOM (see cyclonedx.h).
#include "exports/cyclonedx.h"

#include <map>

#include "support/error.h"
#include "support/hex.h"
#include "support/random_bytes.h"
#include "support/time_format.h"

namespace buildinfo {
namespace {

using nlohmann::json;

// urn:uuid: of an RFC 4122 version 4 (random) UUID.
std::string random_serial_number() {
  uint8_t bytes[16];
  random_bytes(bytes, sizeof bytes);
  bytes[6] = static_cast<uint8_t>((bytes[6] & 0x0f) | 0x40);
  bytes[8] = static_cast<uint8_t>((bytes[8] & 0x3f) | 0x80);
  const std::string h = hex(bytes, sizeof bytes);
  return "urn:uuid:" + h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) + "-" +
         h.substr(20);
}

json property(const std::string& name, const std::string& value) { return {{"name", name}, {"value", value}}; }

// The file's own component: bom-ref is its path, unique in one document
// even when files are copies of one another or share a project and version.
json file_component(const ExportSubject& s) {
  const std::string name = fact(s.record, "project.name");
  json c = {{"type", "application"},
            {"bom-ref", "file:" + s.name},
            {"name", name.empty() ? s.name : name},
            {"purl", subject_purl(s)},
            {"hashes", json::array({{{"alg", "SHA-256"}, {"content", s.sha256}}})}};
  if (const std::string version = fact(s.record, "project.version"); !version.empty()) c["version"] = version;
  const std::string url = fact(s.record, "vcs.repository.url");
  const std::string revision = fact(s.record, "vcs.revision");
  if (!url.empty()) {
    json reference = {{"type", "vcs"}, {"url", url}};
    if (!revision.empty()) reference["comment"] = "revision " + revision;
    c["externalReferences"] = json::array({reference});
  }
  json properties = json::array({property("buildinfo:file.name", s.name)});
  for (const auto& [key, value] : s.record) properties.push_back(property("buildinfo:" + key, value));
  c["properties"] = properties;
  return c;
}

json dependency_component(const Dependency& d) {
  json c = {{"type", "library"}, {"bom-ref", d.purl}, {"name", d.name}, {"purl", d.purl}};
  if (!d.version.empty()) c["version"] = d.version;
  json properties = json::array();
  if (!d.linkage.empty()) properties.push_back(property("buildinfo:linkage", d.linkage));
  if (!d.source.empty()) properties.push_back(property("buildinfo:source", d.source));
  if (!d.vcs_modified.empty()) properties.push_back(property("buildinfo:vcs.modified", d.vcs_modified));
  if (!properties.empty()) c["properties"] = properties;
  if (!d.vcs_revision.empty()) c["pedigree"] = {{"commits", json::array({{{"uid", d.vcs_revision}}})}};
  return c;
}

}  // namespace

json cyclonedx_bom(const std::vector<ExportSubject>& subjects, const std::string& collection) {
  json components = json::array();
  json dependencies = json::array();
  std::map<std::string, const Dependency*> listed;  // by purl: one component each, shared by the files
  for (const ExportSubject& s : subjects)
    for (const Dependency& d : s.dependencies) listed.emplace(d.purl, &d);
  json files = json::array();
  for (const ExportSubject& s : subjects) {
    const json file = file_component(s);
    json direct = json::array();
    for (const std::string& purl : direct_dependencies(s)) direct.push_back(purl);
    dependencies.push_back({{"ref", file["bom-ref"]}, {"dependsOn", direct}});
    files.push_back(file);
  }
  for (const auto& [purl, d] : listed) {
    components.push_back(dependency_component(*d));
    json on = json::array();
    for (const std::string& target : d->depends) on.push_back(target);
    dependencies.push_back({{"ref", purl}, {"dependsOn", on}});
  }
  json metadata = {
      {"timestamp", iso8601_utc(now_epoch())},
      {"tools",
       {{"components",
         json::array({{{"type", "application"}, {"name", "buildinfo"}, {"version", BUILDINFO_VERSION}}})}}}};
  if (subjects.size() == 1) {
    metadata["component"] = files[0];
  } else {
    metadata["component"] = {{"type", "file"}, {"bom-ref", "collection"}, {"name", collection}};
    for (const json& file : files) components.push_back(file);
    json all = json::array();
    for (const json& file : files) all.push_back(file["bom-ref"]);
    dependencies.push_back({{"ref", "collection"}, {"dependsOn", all}});
  }
  return {{"bomFormat", "CycloneDX"},
          {"specVersion", "1.6"},
          {"serialNumber", random_serial_number()},
          {"version", 1},
          {"metadata", metadata},
          {"components", components},
          {"dependencies", dependencies}};
}

}  // namespace buildinfo
