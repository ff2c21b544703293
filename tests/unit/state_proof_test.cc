// The git-state proof: a round trip through its file keeps every field
// (paths with spaces, newlines and percent signs included), a truncated or
// foreign file is no proof, and the racy rule treats whole-second times as
// possibly coarse. SHA-1 and git's blob ids give their published values.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <string>

#include "support/hex.h"
#include "support/sha1.h"
#include "vcs/git_blob_id.h"
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
  file.blob = "45b983be36b73c0788dc9cbcb76cbb80fc7bb057";
  file.differs = true;
  file.crlf = true;
  FileWitness absent;
  absent.path = "/home/a b/%project/.gitattributes";
  proof.witnesses = {file, absent};
  proof.modified = true;
  proof.modified_otherwise = false;

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
  CHECK(back->witnesses[0].blob == file.blob);
  CHECK(back->witnesses[0].differs);
  CHECK(back->witnesses[0].crlf);
  CHECK(!back->witnesses[1].present);
  CHECK(back->witnesses[1].path == absent.path);
  CHECK(back->witnesses[1].blob.empty());
  CHECK(back->modified);
  CHECK(!back->modified_otherwise);

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

namespace {

std::string sha1_hex(const std::string& text, size_t piece) {
  buildinfo::Sha1 sha1;
  for (size_t at = 0; at < text.size(); at += piece) sha1.update(text.data() + at, std::min(piece, text.size() - at));
  const buildinfo::Sha1::Digest digest = sha1.finish();
  return buildinfo::hex(digest.data(), digest.size());
}

}  // namespace

TEST_CASE("SHA-1: the FIPS 180 examples, fed whole and in pieces") {
  // https://csrc.nist.gov/projects/cryptographic-standards-and-guidelines/example-values
  for (size_t piece : {1, 3, 63, 64, 65, 1000}) {
    CHECK(sha1_hex("", piece) == "da39a3ee5e6b4b0d3255bfef95601890afd80709");
    CHECK(sha1_hex("abc", piece) == "a9993e364706816aba3e25717850c26c9cd0d89d");
    CHECK(sha1_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", piece) ==
          "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
  }
  CHECK(sha1_hex(std::string(1000000, 'a'), 4096) == "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
}

TEST_CASE("git blob ids: as `git hash-object` names the file") {
  char path[] = "/tmp/buildinfo-blob-XXXXXX";
  const int fd = ::mkstemp(path);
  REQUIRE(fd >= 0);
  REQUIRE(::write(fd, "hello\n", 6) == 6);
  REQUIRE(::lseek(fd, 0, SEEK_SET) == 0);
  // `printf 'hello\n' | git hash-object --stdin`
  CHECK(buildinfo::git_blob_id(fd, 6) == std::optional<std::string>("ce013625030ba8dba906f756967f9e9ca394464a"));
  REQUIRE(::lseek(fd, 0, SEEK_SET) == 0);
  CHECK(!buildinfo::git_blob_id(fd, 5));  // longer than said
  REQUIRE(::lseek(fd, 0, SEEK_SET) == 0);
  CHECK(!buildinfo::git_blob_id(fd, 7));  // shorter than said
  REQUIRE(::write(fd, "\r\n", 2) == 2);
  REQUIRE(::lseek(fd, 0, SEEK_SET) == 0);
  // `printf 'hello\n\r\n' | git hash-object --stdin`; refused with a CR
  // when git's line-ending filter would convert it.
  CHECK(buildinfo::git_blob_id(fd, 8) == std::optional<std::string>("6bca1c6c3fd3156b1e817c052695c1a226357782"));
  REQUIRE(::lseek(fd, 0, SEEK_SET) == 0);
  CHECK(!buildinfo::git_blob_id(fd, 8, true));
  ::close(fd);
  ::unlink(path);
  // The empty blob: `git hash-object /dev/null`.
  const int empty = ::open("/dev/null", O_RDONLY);
  REQUIRE(empty >= 0);
  CHECK(buildinfo::git_blob_id(empty, 0) == std::optional<std::string>("e69de29bb2d1d6434b8b29ae775ad8c2e48c5391"));
  ::close(empty);
}
