// The UAPI.8 package note: its JSON, and telling a reserved note from one a
// linker wrote.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "record/package_note.h"
#include "support/error.h"

namespace {

buildinfo::PackageNote note_at(uint64_t offset, uint64_t length) {
  return buildinfo::PackageNote{".note.package", buildinfo::FileRange{offset, length}};
}

}  // namespace

TEST_CASE("package note JSON carries the record's facts under UAPI.8's keys") {
  const buildinfo::Payload record = {{"project.name", "hello"},    {"project.version", "1.2"},
                                     {"target.arch", "arm64"},     {"target.os", "linux"},
                                     {"vcs.revision", "abc"},      {"vcs.repository.url", "https://example.org/r.git"},
                                     {"build.time", "2026-01-01"}, {"project.unused", "x"}};
  CHECK(buildinfo::package_note_json(record, "buildinfo") ==
        R"({"architecture":"arm64","commit":"abc","name":"hello","os":"linux",)"
        R"("sourceRepo":"https://example.org/r.git","type":"buildinfo","version":"1.2"})");
  CHECK(buildinfo::package_note_json({}, "deb") == R"({"type":"deb"})");
}

TEST_CASE("a reserved package note has zeros after its JSON; a linker's ends at its NUL") {
  std::vector<uint8_t> file(64, 0);
  const std::string json = "{}";
  std::copy(json.begin(), json.end(), file.begin());
  CHECK(buildinfo::is_reserved_package_note(buildinfo::ByteView(file.data(), file.size()), note_at(0, 16)));
  CHECK_FALSE(buildinfo::is_reserved_package_note(buildinfo::ByteView(file.data(), file.size()), note_at(0, 6)));
  CHECK(buildinfo::is_reserved_package_note(buildinfo::ByteView(file.data(), file.size()), note_at(0, 7)));
  file[10] = 'x';  // a byte after the padding starts
  CHECK_FALSE(buildinfo::is_reserved_package_note(buildinfo::ByteView(file.data(), file.size()), note_at(0, 16)));
  std::fill(file.begin(), file.end(), 'x');  // no NUL at all
  CHECK_FALSE(buildinfo::is_reserved_package_note(buildinfo::ByteView(file.data(), file.size()), note_at(0, 16)));
}

TEST_CASE("encode_package_note keeps the slack, or names what does not fit") {
  const std::vector<uint8_t> bytes = buildinfo::encode_package_note(note_at(0, 16), R"({"a":"bcd"})", "f");
  REQUIRE(bytes.size() == 16);
  CHECK(std::string(bytes.begin(), bytes.begin() + 11) == R"({"a":"bcd"})");
  CHECK(std::all_of(bytes.begin() + 11, bytes.end(), [](uint8_t b) { return b == 0; }));
  CHECK_THROWS_WITH_AS(buildinfo::encode_package_note(note_at(0, 16), R"({"a":"bcde"})", "f"),
                       doctest::Contains("package note needs 17 bytes but .note.package holds 16"), buildinfo::Error);
}
