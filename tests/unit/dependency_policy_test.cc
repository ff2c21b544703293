// verify's dependency constraints: parsing, Debian's version order, and
// which dependencies a constraint names (by name, or by the purl's package).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "record/dependency_policy.h"
#include "support/error.h"

TEST_CASE("versions in Debian's order, which orders plain versions too") {
  using buildinfo::compare_versions;
  CHECK(compare_versions("1.2.10", "1.2.9") > 0);
  CHECK(compare_versions("3.0", "3.0.0") < 0);
  CHECK(compare_versions("3.0.11", "3.0.11") == 0);
  CHECK(compare_versions("1.0~rc1", "1.0") < 0);  // '~' sorts before the end
  CHECK(compare_versions("1.0a", "1.0") > 0);
  CHECK(compare_versions("1.0a", "1.0+") < 0);  // letters before other characters
  CHECK(compare_versions("1:1.0", "2.0") > 0);  // the epoch first
  CHECK(compare_versions("1:1.2.13.dfsg-1+deb12u1", "1:1.2.13.dfsg-1") > 0);
  CHECK(compare_versions("1.2.13-2", "1.2.13-10") < 0);
  CHECK(compare_versions("007", "7") == 0);
  // Epochs of any size, as numbers (an epoch past 2^64 once threw).
  CHECK(compare_versions("66666666666666666666:1", "9:1") > 0);
  CHECK(compare_versions("0001:1", "1:1") == 0);
  CHECK(compare_versions("0:1", "1") == 0);
}

TEST_CASE("a constraint is NAME, or NAME, an operator and a version") {
  const buildinfo::DependencyConstraint c = buildinfo::parse_dependency_constraint("OpenSSL>=3.0", "--require-dep");
  CHECK(c.name == "OpenSSL");
  CHECK(c.op == ">=");
  CHECK(c.version == "3.0");
  CHECK(buildinfo::parse_dependency_constraint("zlib", "--deny-dep").op.empty());
  for (const char* bad : {"", ">=3", "zlib<", "zlib<<3", "zlib=>3"}) {
    INFO(std::string(bad));
    CHECK_THROWS_AS(buildinfo::parse_dependency_constraint(bad, "--deny-dep"), buildinfo::Error);
  }
}

TEST_CASE("a constraint names dependencies by name or by their purl's package") {
  std::vector<buildinfo::Dependency> deps(2);
  deps[0].name = "ZLIB";
  deps[0].version = "1.2.13";
  deps[0].purl = "pkg:deb/debian/zlib1g@1:1.2.13.dfsg-1?arch=amd64";
  deps[1].name = "OpenSSL";
  deps[1].version = "3.0.11";
  deps[1].purl = "pkg:deb/debian/libssl3@3.0.11-1~deb12u2";
  const auto match = [&](const std::string& text) {
    return buildinfo::match_constraint(buildinfo::parse_dependency_constraint(text, "x"), deps);
  };
  REQUIRE(match("zlib>=1.2.12").size() == 1);
  CHECK(match("zlib>=1.2.12")[0].satisfied);
  CHECK(match("zlib>=1.2.12")[0].version == "1.2.13");
  REQUIRE(match("zlib1g<1:1.2.13.dfsg-1+deb12u1").size() == 1);
  CHECK(match("zlib1g<1:1.2.13.dfsg-1+deb12u1")[0].version == "1:1.2.13.dfsg-1");
  CHECK(match("zlib1g<1:1.2.13.dfsg-1+deb12u1")[0].satisfied);
  CHECK_FALSE(match("openssl<3.0")[0].satisfied);
  CHECK(match("libssl3!=3.0.11-1~deb12u2")[0].satisfied == false);
  CHECK(match("sqlite").empty());
}
