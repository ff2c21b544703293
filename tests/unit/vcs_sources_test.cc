// The facts that do not come from a repository: a `.buildinfo-vcs` that git
// archive filled in, and BUILDINFO_VCS_* overrides; and the ISO 8601 times
// both carry.
#include <doctest/doctest.h>

#include <cstdlib>
#include <string>

#include "support/error.h"
#include "support/time_format.h"
#include "vcs/vcs_archive.h"
#include "vcs/vcs_environment.h"
#include "vcs/vcs_override.h"

namespace {

const std::string kRevision = "0123456789abcdef0123456789abcdef01234567";

// Clears every BUILDINFO_VCS_* variable on entry and exit.
struct CleanOverrides {
  CleanOverrides() { clear(); }
  ~CleanOverrides() { clear(); }
  static void clear() {
    for (const char* name : buildinfo::kVcsOverrideVariables) ::unsetenv(name);
  }
};

}  // namespace

TEST_CASE("ISO 8601 times with a zone") {
  CHECK(buildinfo::parse_iso8601("1970-01-01T00:00:00Z") == 0);
  CHECK(buildinfo::parse_iso8601("2026-03-04T05:06:07+02:00") == buildinfo::parse_iso8601("2026-03-04T03:06:07Z"));
  CHECK(buildinfo::parse_iso8601("2024-02-29T23:59:59-00:30") == buildinfo::parse_iso8601("2024-03-01T00:29:59Z"));
  CHECK(buildinfo::iso8601_utc(*buildinfo::parse_iso8601("2026-11-23T13:33:00Z")) == "2026-11-23T13:33:00Z");
  CHECK_FALSE(buildinfo::parse_iso8601("2026-11-23T13:33:00"));  // no zone
  CHECK_FALSE(buildinfo::parse_iso8601("2026-13-23T13:33:00Z"));
  CHECK_FALSE(buildinfo::parse_iso8601("2026-11-23 13:33:00Z"));
  CHECK_FALSE(buildinfo::parse_iso8601(""));
}

TEST_CASE("archive facts: filled, unfilled, damaged") {
  const std::string filled = "# comment\nrevision " + kRevision +
                             "\ntime 2026-03-04T05:06:07+02:00\nrefs HEAD -> main, tag: v2.0.1, origin/main\n"
                             "describe v2.0.1\nurl https://user:secret@example.com/p.git\n";
  const std::optional<buildinfo::GitFacts> facts = buildinfo::parse_archive_facts(filled, ".buildinfo-vcs");
  REQUIRE(facts);
  CHECK(facts->source == "archive");
  CHECK(facts->revision == kRevision);
  CHECK(facts->commit_time == "2026-03-04T03:06:07Z");
  CHECK(facts->ref_type == "tag");
  CHECK(facts->ref_name == "v2.0.1");
  CHECK(facts->describe == "v2.0.1");
  CHECK(facts->repository_url == "https://example.com/p.git");
  CHECK_FALSE(facts->modified);

  // A branch only; no describe: the abbreviated revision.
  const std::optional<buildinfo::GitFacts> branch = buildinfo::parse_archive_facts(
      "revision " + kRevision + "\ntime 2026-03-04T05:06:07Z\nrefs HEAD -> release/2.x\ndescribe \n", "f");
  REQUIRE(branch);
  CHECK(branch->ref_type == "branch");
  CHECK(branch->ref_name == "release/2.x");
  CHECK(branch->describe == "0123456");

  // In a checkout the placeholders are still there: not an archive.
  CHECK_FALSE(buildinfo::parse_archive_facts("revision $Format:%H$\ntime $Format:%cI$\n", "f"));
  CHECK_THROWS_AS(buildinfo::parse_archive_facts("revision 123\ntime 2026-03-04T05:06:07Z\n", "f"), buildinfo::Error);
  CHECK_THROWS_AS(buildinfo::parse_archive_facts("revision " + kRevision + "\ntime yesterday\n", "f"),
                  buildinfo::Error);
}

TEST_CASE("overrides: all or nothing") {
  CleanOverrides clean;
  CHECK_FALSE(buildinfo::override_facts());

  ::setenv("BUILDINFO_VCS_REVISION", kRevision.c_str(), 1);
  CHECK_THROWS_AS(buildinfo::override_facts(), buildinfo::Error);  // no time
  ::setenv("BUILDINFO_VCS_TIME", "1767323045", 1);
  std::optional<buildinfo::GitFacts> facts = buildinfo::override_facts();
  REQUIRE(facts);
  CHECK(facts->source == "override");
  CHECK(facts->commit_time == "2026-01-02T03:04:05Z");
  CHECK(facts->describe == "0123456");
  CHECK(facts->ref_type.empty());

  ::setenv("BUILDINFO_VCS_TAG", "v1", 1);
  ::setenv("BUILDINFO_VCS_MODIFIED", "true", 1);
  facts = buildinfo::override_facts();
  REQUIRE(facts);
  CHECK(facts->ref_type == "tag");
  CHECK(facts->modified);
  CHECK(facts->describe == "0123456-dirty");

  ::setenv("BUILDINFO_VCS_BRANCH", "main", 1);  // with a tag
  CHECK_THROWS_AS(buildinfo::override_facts(), buildinfo::Error);
  ::unsetenv("BUILDINFO_VCS_BRANCH");
  ::setenv("BUILDINFO_VCS_MODIFIED", "yes", 1);
  CHECK_THROWS_AS(buildinfo::override_facts(), buildinfo::Error);
  ::setenv("BUILDINFO_VCS_MODIFIED", "false", 1);
  ::setenv("BUILDINFO_VCS_REVISION", "HEAD", 1);
  CHECK_THROWS_AS(buildinfo::override_facts(), buildinfo::Error);

  CleanOverrides::clear();
  ::setenv("BUILDINFO_VCS_URL", "https://example.com", 1);  // alone
  CHECK_THROWS_AS(buildinfo::override_facts(), buildinfo::Error);
}
