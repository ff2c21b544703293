// The SPDX document (see spdx.h).
#include "exports/spdx.h"

#include <algorithm>
#include <map>

#include "support/error.h"
#include "support/hex.h"
#include "support/random_bytes.h"
#include "support/time_format.h"

namespace buildinfo {
namespace {

using nlohmann::json;

json purl_reference(const std::string& purl) {
  return json::array(
      {{{"referenceCategory", "PACKAGE-MANAGER"}, {"referenceType", "purl"}, {"referenceLocator", purl}}});
}

json relationship(const std::string& from, const char* type, const std::string& to) {
  return {{"spdxElementId", from}, {"relationshipType", type}, {"relatedSpdxElement", to}};
}

}  // namespace

json spdx_document(const std::vector<ExportSubject>& subjects, const std::string& name) {
  // SPDXIDs: letters, digits, '.' and '-' (SPDX 2.3, 3.2): numbered.
  std::map<std::string, std::string> id_of_purl;
  json packages = json::array();
  json relationships = json::array();
  for (const ExportSubject& s : subjects)
    for (const Dependency& d : s.dependencies) {
      if (id_of_purl.count(d.purl)) continue;
      const std::string id = "SPDXRef-Dependency-" + std::to_string(id_of_purl.size() + 1);
      id_of_purl[d.purl] = id;
      json package = {{"SPDXID", id},
                      {"name", d.name},
                      {"downloadLocation", "NOASSERTION"},
                      {"filesAnalyzed", false},
                      {"primaryPackagePurpose", "LIBRARY"},
                      {"externalRefs", purl_reference(d.purl)}};
      if (!d.version.empty()) package["versionInfo"] = d.version;
      packages.push_back(package);
    }
  for (size_t i = 0; i < subjects.size(); ++i) {
    const ExportSubject& s = subjects[i];
    const std::string id = "SPDXRef-File-" + std::to_string(i + 1);
    const std::string project = fact(s.record, "project.name");
    json package = {{"SPDXID", id},
                    {"name", project.empty() ? s.name : project},
                    {"packageFileName", s.name},
                    {"downloadLocation", "NOASSERTION"},
                    {"filesAnalyzed", false},
                    {"primaryPackagePurpose", "APPLICATION"},
                    {"checksums", json::array({{{"algorithm", "SHA256"}, {"checksumValue", s.sha256}}})},
                    {"externalRefs", purl_reference(subject_purl(s))}};
    if (const std::string version = fact(s.record, "project.version"); !version.empty())
      package["versionInfo"] = version;
    if (const std::string time = fact(s.record, "build.time"); !time.empty()) package["builtDate"] = time;
    const std::string url = fact(s.record, "vcs.repository.url");
    const std::string revision = fact(s.record, "vcs.revision");
    if (!url.empty())
      package["sourceInfo"] = "built from " + url + (revision.empty() ? "" : " at " + revision);
    else if (!revision.empty())
      package["sourceInfo"] = "built from revision " + revision;
    packages.push_back(package);
    relationships.push_back(relationship("SPDXRef-DOCUMENT", "DESCRIBES", id));
    for (const std::string& purl : direct_dependencies(s))
      relationships.push_back(relationship(id, "DEPENDS_ON", id_of_purl.at(purl)));
  }
  for (const ExportSubject& s : subjects)
    for (const Dependency& d : s.dependencies)
      for (const std::string& purl : d.depends)
        relationships.push_back(relationship(id_of_purl.at(d.purl), "DEPENDS_ON", id_of_purl.at(purl)));
  // Relationships between dependencies appear once however many files list them.
  json unique = json::array();
  for (const json& r : relationships)
    if (std::find(unique.begin(), unique.end(), r) == unique.end()) unique.push_back(r);

  uint8_t random[16];
  random_bytes(random, sizeof random);
  const std::string sha = subjects.empty() ? "" : subjects[0].sha256;
  return {{"spdxVersion", "SPDX-2.3"},
          {"dataLicense", "CC0-1.0"},
          {"SPDXID", "SPDXRef-DOCUMENT"},
          {"name", name},
          // Unique per document (SPDX 2.3, 6.5); a URI that names no web page.
          {"documentNamespace", "https://buildinfo.invalid/spdx/" + sha + "-" + hex(random, sizeof random)},
          {"creationInfo",
           {{"created", iso8601_utc(now_epoch())},
            {"creators", json::array({std::string("Tool: buildinfo-") + BUILDINFO_VERSION})}}},
          {"packages", packages},
          {"relationships", unique}};
}

}  // namespace buildinfo
