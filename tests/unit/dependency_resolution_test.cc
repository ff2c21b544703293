// The build description to the inventory, with the system's answers (dpkg,
// os-release, git-state files) given by the test.
#include <doctest/doctest.h>

#include <string>

#include "record/dependency_resolution.h"
#include "support/error.h"

namespace {

buildinfo::ResolutionSources fake_sources() {
  buildinfo::ResolutionSources sources;
  sources.owners = [](const std::vector<std::string>& files) {
    std::map<std::string, buildinfo::DebianPackage> out;
    for (const std::string& file : files) {
      if (file == "/lib/libz.so.1") out[file] = {"zlib1g", "1:1.2.13.dfsg-1", "amd64"};
      if (file == "/lib/libssl.so.3" || file == "/lib/libcrypto.so.3") out[file] = {"libssl3", "3.0.11-1", "amd64"};
    }
    return out;
  };
  sources.distribution_id = "debian";
  sources.distribution_version = "12";
  sources.vcs_state = [](const std::string& file) -> std::optional<std::pair<std::string, bool>> {
    if (file == "state-a") return std::make_pair(std::string(40, 'a'), true);
    return std::nullopt;
  };
  return sources;
}

}  // namespace

TEST_CASE("Debian purls carry the package, its version, architecture and distribution") {
  CHECK(buildinfo::debian_purl({"zlib1g", "1:1.2.13.dfsg-1", "amd64"}, "debian", "12") ==
        "pkg:deb/debian/zlib1g@1:1.2.13.dfsg-1?arch=amd64&distro=debian-12");
  CHECK(buildinfo::debian_purl({"libfoo", "1.0 beta", ""}, "", "") == "pkg:deb/debian/libfoo@1.0%20beta");
}

TEST_CASE("a build description becomes dependencies with purls, versions, git states and edges") {
  const std::string description = R"({"dependencies":[
    {"name":"ZLIB","version":"1.2.13","source":"find_package","linkage":"shared","files":["/lib/libz.so.1"]},
    {"name":"nover","source":"library","files":["/lib/libz.so.1"]},
    {"name":"OpenSSL","source":"find_package","files":["/lib/libssl.so.3"],"depends":["ZLIB"]},
    {"name":"Crypto","source":"find_package","files":["/lib/libcrypto.so.3"]},
    {"name":"sub","version":"0.4","source":"subproject","repository":"/src/sub","depends":["OpenSSL","ghost"]},
    {"name":"plain","source":"library","repository":"/src/other"}
  ],"vcs_states":{"/src/sub":"state-a","/src/other":"state-b"}})";
  const std::vector<buildinfo::Dependency> out =
      buildinfo::resolve_dependencies(description, "in.json", fake_sources());
  REQUIRE(out.size() == 4);  // nover and Crypto share a package with ZLIB and OpenSSL
  CHECK(out[0].name == "ZLIB");
  CHECK(out[0].purl == "pkg:deb/debian/zlib1g@1:1.2.13.dfsg-1?arch=amd64&distro=debian-12");
  CHECK(out[0].version == "1.2.13");
  CHECK(out[1].name == "OpenSSL");
  CHECK(out[1].version == "3.0.11");  // Debian's, without epoch and revision, when CMake gave none
  CHECK(out[1].depends == std::vector<std::string>{out[0].purl});
  CHECK(out[2].name == "sub");
  CHECK(out[2].purl == "pkg:generic/sub@0.4");
  CHECK(out[2].vcs_revision == std::string(40, 'a'));
  CHECK(out[2].vcs_modified == "true");
  CHECK(out[2].depends == std::vector<std::string>{out[1].purl});  // an unknown name is left out
  CHECK(out[3].purl == "pkg:generic/plain");
  CHECK(out[3].vcs_revision.empty());  // its state file says there was no repository
  // The result is a valid inventory.
  CHECK(buildinfo::parse_inventory(buildinfo::inventory_json(out), "x").size() == 4);
}

TEST_CASE("a build description that is not one is named") {
  const auto defect = [](const std::string& text) {
    try {
      buildinfo::resolve_dependencies(text, "in.json", fake_sources());
    } catch (const buildinfo::Error& e) {
      CHECK(e.file() == "in.json");
      return e.defect();
    }
    return std::string();
  };
  CHECK(defect("nope").find("not a build description") == 0);
  CHECK(defect("{}") == "not a build description: no \"dependencies\" list");
  CHECK(defect(R"({"dependencies":[{"name":1}]})") == "field name is not a string");
  CHECK(defect(R"({"dependencies":[{"name":"a","files":"x"}]})") == "field files is not a list");
  CHECK(defect(R"({"dependencies":[],"vcs_states":[]})") == "vcs_states is not an object");
}
