// The dependency inventory: --dep arguments, the JSON document stamp writes
// and --deps-file takes (each defect named), its canonical form, and how a
// stamped file's inventory is read back against deps.sha256.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "formats/image_digest.h"
#include "record/dependency_inventory.h"
#include "support/error.h"

namespace {

using buildinfo::Dependency;

std::string defect_of_inventory(const std::string& json) {
  try {
    buildinfo::parse_inventory(json, "deps.json");
  } catch (const buildinfo::Error& e) {
    CHECK(e.file() == "deps.json");
    return e.defect();
  }
  return "";
}

std::string defect_of_argument(const std::string& argument) {
  try {
    buildinfo::parse_dep_argument(argument);
  } catch (const buildinfo::Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("--dep NAME=VERSION with a purl and a linkage") {
  const Dependency d = buildinfo::parse_dep_argument("zlib=1.2.13,purl=pkg:deb/debian/zlib1g@1:1.2.13,linkage=shared");
  CHECK(d.name == "zlib");
  CHECK(d.version == "1.2.13");
  CHECK(d.purl == "pkg:deb/debian/zlib1g@1:1.2.13");
  CHECK(d.linkage == "shared");
  CHECK(d.source == "command-line");
  const Dependency bare = buildinfo::parse_dep_argument("sqlite");
  CHECK(bare.name == "sqlite");
  CHECK(bare.version.empty());
  CHECK(defect_of_argument("zlib=1,size=3").find("unknown field 'size'") != std::string::npos);
  CHECK(defect_of_argument("zlib=1,linkage=dynamic").find("linkage 'dynamic' is neither static nor shared") !=
        std::string::npos);
  CHECK(defect_of_argument("zlib=1,purl=zlib").find("is not a package URL") != std::string::npos);
  CHECK(defect_of_argument("=1").find("a dependency has no name") != std::string::npos);
}

TEST_CASE("the inventory is canonical: sorted by purl, generic purls filled in, keys sorted") {
  std::vector<Dependency> list(3);
  list[0].name = "zlib";
  list[0].version = "1.2.13";
  list[1].name = "my lib";
  list[1].version = "2.0+git";
  list[1].vcs_revision = "0123456789abcdef0123456789abcdef01234567";
  list[1].vcs_modified = "false";
  list[1].depends = {"pkg:generic/zlib@1.2.13"};
  list[2].name = "openssl";
  list[2].version = "3.0.11";
  list[2].purl = "pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12";
  list[2].linkage = "shared";
  const std::string json = buildinfo::inventory_json(list);
  CHECK(
      json ==
      R"({"dependencies":[)"
      R"({"linkage":"shared","name":"openssl","purl":"pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12","version":"3.0.11"},)"
      R"({"depends":["pkg:generic/zlib@1.2.13"],"name":"my lib","purl":"pkg:generic/my%20lib@2.0+git","vcs":{"modified":"false","revision":"0123456789abcdef0123456789abcdef01234567"},"version":"2.0+git"},)"
      R"({"name":"zlib","purl":"pkg:generic/zlib@1.2.13","version":"1.2.13"}],"format":"1"})");
  // Read back, written again: the same bytes.
  CHECK(buildinfo::inventory_json(buildinfo::parse_inventory(json, "x")) == json);
  CHECK(buildinfo::parse_inventory(json, "x").size() == 3);
}

TEST_CASE("each defect of an inventory document is named") {
  CHECK(defect_of_inventory("[").find("not a JSON inventory") == 0);
  CHECK(defect_of_inventory("{}") == "not an inventory: no \"dependencies\" list");
  CHECK(defect_of_inventory(R"({"dependencies":[],"extra":1})") == "unknown field 'extra'");
  CHECK(defect_of_inventory(R"({"dependencies":[],"format":"2"})") == "inventory format \"2\" is not 1");
  CHECK(defect_of_inventory(R"({"dependencies":[1]})") == "a dependency is not a JSON object");
  CHECK(defect_of_inventory(R"({"dependencies":[{"name":"a","size":1}]})") == "unknown dependency field 'size'");
  CHECK(defect_of_inventory(R"({"dependencies":[{"name":1}]})") == "dependency field name is not a string");
  CHECK(defect_of_inventory(R"({"dependencies":[{"version":"1"}]})") == "a dependency has no name");
  CHECK(defect_of_inventory(R"({"dependencies":[{"name":"a","linkage":"dll"}]})") ==
        "dependency a: linkage 'dll' is neither static nor shared");
  CHECK(defect_of_inventory(R"({"dependencies":[{"name":"a"},{"name":"a"}]})") == "purl pkg:generic/a is listed twice");
  CHECK(defect_of_inventory(R"({"dependencies":[{"name":"a","depends":["pkg:generic/b"]}]})") ==
        "dependency a depends on pkg:generic/b, which is not in the inventory");
  CHECK(defect_of_inventory(R"({"dependencies":[{"name":"a","vcs":{"modified":"true"}}]})") ==
        "dependency a: vcs.modified without vcs.revision");
  CHECK(defect_of_inventory(R"({"dependencies":[{"name":"a","vcs":{"revision":"x","branch":"y"}}]})") ==
        "unknown vcs field 'branch'");
  // Text from the file reaches messages only through printable().
  CHECK(defect_of_inventory("{\"dependencies\":[{\"name\":\"a\",\"linkage\":\"\\u001b[31m\"}]}") ==
        "dependency a: linkage '\\x1b[31m' is neither static nor shared");
}

TEST_CASE("a stamped file's inventory is read against deps.sha256 and deps.count") {
  std::vector<Dependency> list(1);
  list[0].name = "zlib";
  const std::string json = buildinfo::inventory_json(list);
  std::vector<uint8_t> file(128, 0xee);
  const buildinfo::DependencySpace space{".note.buildinfo.deps", {8, 96}, 0};
  const std::vector<uint8_t> bytes = buildinfo::encode_inventory(space, json, "app");
  REQUIRE(bytes.size() == 96);
  std::copy(bytes.begin(), bytes.end(), file.begin() + 8);
  buildinfo::BinaryFacts facts;
  facts.dependency_spaces.push_back(space);
  const buildinfo::ByteView view(file.data(), file.size());
  CHECK(buildinfo::space_text(view, space) == json);

  buildinfo::Payload record;
  CHECK_FALSE(buildinfo::read_inventory(view, facts, 0, record).bound);
  buildinfo::bind_inventory(record, json, 1);
  CHECK(record.at("deps.sha256") ==
        buildinfo::sha256_hex(buildinfo::ByteView(reinterpret_cast<const uint8_t*>(json.data()), json.size())));
  CHECK(record.at("deps.count") == "1");
  buildinfo::InventoryReading reading = buildinfo::read_inventory(view, facts, 0, record);
  CHECK(reading.matches);
  REQUIRE(reading.dependencies.size() == 1);
  CHECK(reading.dependencies[0].purl == "pkg:generic/zlib");

  record["deps.count"] = "2";
  reading = buildinfo::read_inventory(view, facts, 0, record);
  CHECK_FALSE(reading.matches);
  CHECK(reading.defect == "the inventory lists 1 dependencies, deps.count is 2");
  record["deps.count"] = "1";
  file[20] ^= 1;
  reading = buildinfo::read_inventory(view, facts, 0, record);
  CHECK_FALSE(reading.matches);
  CHECK(reading.defect.find("hashes to") != std::string::npos);
  CHECK(buildinfo::read_inventory(view, buildinfo::BinaryFacts{}, 0, record).defect ==
        "the record has deps.sha256 but the binary has no dependency space");

  // An inventory larger than its space is refused, naming both sizes.
  const buildinfo::DependencySpace small{".bideps", {0, 16}, 0};
  try {
    buildinfo::encode_inventory(small, json, "app.exe");
    FAIL("an inventory larger than its space was accepted");
  } catch (const buildinfo::Error& e) {
    CHECK(e.file() == "app.exe");
    CHECK(e.defect().find("needs " + std::to_string(json.size() + 1) + " bytes but .bideps holds 16") !=
          std::string::npos);
  }
}
