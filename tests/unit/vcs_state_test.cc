// The vcs-state file round-trips every git fact the stamp records, and a
// damaged file is refused with its name.
#include <doctest/doctest.h>

#include <string>

#include "support/error.h"
#include "vcs/vcs_state.h"

using buildinfo::GitFacts;

TEST_CASE("vcs-state: facts survive a round trip") {
  GitFacts facts;
  facts.revision = "0123456789abcdef0123456789abcdef01234567";
  facts.commit_time = "2026-01-02T03:04:05Z";
  facts.commit_epoch = 1767323045;
  facts.modified = true;
  facts.ref_name = "release/1.2 beta";  // spaces survive: the name is the rest of the line
  facts.ref_type = "branch";
  facts.describe = "v1.2-3-g0123456-dirty";
  facts.repository_url = "https://example.com/org/repo.git";
  const std::optional<GitFacts> back = buildinfo::parse_vcs_state(buildinfo::format_vcs_state(facts), "state");
  REQUIRE(back);
  CHECK(back->revision == facts.revision);
  CHECK(back->commit_time == facts.commit_time);
  CHECK(back->commit_epoch == facts.commit_epoch);
  CHECK(back->modified == facts.modified);
  CHECK(back->ref_name == facts.ref_name);
  CHECK(back->ref_type == facts.ref_type);
  CHECK(back->describe == facts.describe);
  CHECK(back->repository_url == facts.repository_url);

  GitFacts detached = facts;
  detached.ref_name.clear();
  detached.ref_type.clear();
  detached.repository_url.clear();
  const std::optional<GitFacts> back_detached =
      buildinfo::parse_vcs_state(buildinfo::format_vcs_state(detached), "state");
  REQUIRE(back_detached);
  CHECK(back_detached->ref_name.empty());
  CHECK(back_detached->ref_type.empty());
  CHECK(back_detached->repository_url.empty());
}

TEST_CASE("vcs-state: no repository, and damaged files") {
  CHECK_FALSE(buildinfo::parse_vcs_state(buildinfo::format_vcs_state(std::nullopt), "state"));
  // The format before commit times were recorded: refused, naming the file.
  try {
    buildinfo::parse_vcs_state("revision abc\nref branch main\nmodified false\ndescribe abc\nurl \n", "old.vcs-state");
    FAIL("an old vcs-state file was accepted");
  } catch (const buildinfo::Error& e) {
    CHECK(std::string(e.what()).find("old.vcs-state: not a vcs-state file (no 'time' line)") == 0);
  }
  const std::string good =
      buildinfo::format_vcs_state(GitFacts{"abc", "2026-01-02T03:04:05Z", 1, false, "", "", "abc", ""});
  std::string bad_epoch = good;
  bad_epoch.replace(bad_epoch.find("epoch 1"), 7, "epoch x");
  CHECK_THROWS_AS(buildinfo::parse_vcs_state(bad_epoch, "s"), buildinfo::Error);
  std::string bad_modified = good;
  bad_modified.replace(bad_modified.find("modified false"), 14, "modified maybe");
  CHECK_THROWS_AS(buildinfo::parse_vcs_state(bad_modified, "s"), buildinfo::Error);
}
