// The git-state proof: a round trip through its file keeps every field
// (paths with spaces, newlines and percent signs included), a truncated or
// foreign file is no proof, and the racy rule treats whole-second times as
// possibly coarse.
#include <doctest/doctest.h>

#include <string>

#include "vcs/state_proof.h"

using buildinfo::FileTime;
using buildinfo::FileWitness;
using buildinfo::StateProof;

namespace {

FileWitness present(int64_t seconds, int64_t nanoseconds) {
  FileWitness w;
  w.path = "/src/file";
  w.present = true;
  w.modified = w.changed = {seconds, nanoseconds};
  return w;
}

}  // namespace

TEST_CASE("state proof: round trip") {
  StateProof proof;
  proof.source_dir = "/home/a b/%project";
  proof.untracked_dirty = true;
  proof.facts = "revision 0123\nmodified false\ndescribe \nurl https://example.com/x y\n";
  proof.clock = {1796317700, 756124318};
  proof.environment = {{"HOME", std::string("/home/a b")}, {"XDG_CONFIG_HOME", std::nullopt}};
  proof.user = 1000;
  FileWitness file = present(1796317000, 5);
  file.path = "/home/a b/%project/new\nline";
  file.device = 2049;
  file.inode = 123456789012;
  file.mode = 0100644;
  file.owner = 1000;
  file.size = 42;
  file.changed = {1796317001, 7};
  FileWitness absent;
  absent.path = "/home/a b/%project/.gitattributes";
  proof.witnesses = {file, absent};

  const std::string text = buildinfo::format_state_proof(proof);
  const std::optional<StateProof> back = buildinfo::parse_state_proof(text);
  REQUIRE(back);
  CHECK(back->source_dir == proof.source_dir);
  CHECK(back->untracked_dirty);
  CHECK(back->facts == proof.facts);
  CHECK(back->clock.seconds == proof.clock.seconds);
  CHECK(back->clock.nanoseconds == proof.clock.nanoseconds);
  CHECK(back->environment == proof.environment);
  CHECK(back->user == 1000);
  REQUIRE(back->witnesses.size() == 2);
  CHECK(back->witnesses[0].path == file.path);
  CHECK(back->witnesses[0].inode == file.inode);
  CHECK(back->witnesses[0].mode == file.mode);
  CHECK(back->witnesses[0].size == 42);
  CHECK(back->witnesses[0].changed.seconds == 1796317001);
  CHECK(back->witnesses[0].changed.nanoseconds == 7);
  CHECK(!back->witnesses[1].present);
  CHECK(back->witnesses[1].path == absent.path);

  // Cut anywhere before its last line, it is no proof.
  CHECK(!buildinfo::parse_state_proof(text.substr(0, text.size() - 4)));
  CHECK(!buildinfo::parse_state_proof("buildinfo vcs-proof 0 old\nend\n"));
  CHECK(!buildinfo::parse_state_proof(""));
}

TEST_CASE("state proof: racy witnesses") {
  const FileTime clock{1000, 500};
  CHECK(!buildinfo::is_racy(present(999, 400), clock));
  CHECK(buildinfo::is_racy(present(1000, 500), clock));  // the same tick
  CHECK(buildinfo::is_racy(present(1000, 600), clock));  // after
  CHECK(!buildinfo::is_racy(present(1000, 499), clock));
  // Whole seconds may be a coarse file system's: two seconds of margin.
  CHECK(buildinfo::is_racy(present(999, 0), clock));
  CHECK(buildinfo::is_racy(present(1000, 0), FileTime{1001, 500}));  // a later change may get 1000 too
  CHECK(!buildinfo::is_racy(present(998, 0), FileTime{1000, 0}));
  FileWitness absent;
  CHECK(!buildinfo::is_racy(absent, clock));
}
