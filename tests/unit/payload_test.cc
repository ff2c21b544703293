// Payload keys, values and canonical JSON.
#include <doctest/doctest.h>

#include "record/payload.h"
#include "support/error.h"

TEST_CASE("canonical payload JSON is sorted and has no whitespace") {
  buildinfo::Payload p = {{"vcs.revision", "abc"}, {"build.time", "2026-01-01T00:00:00Z"}, {"format", "1"}};
  CHECK(buildinfo::canonical_json(p) == R"({"build.time":"2026-01-01T00:00:00Z","format":"1","vcs.revision":"abc"})");
}

TEST_CASE("canonical payload JSON keeps UTF-8 and escapes quotes and controls") {
  buildinfo::Payload p = {{"a", "caf\xc3\xa9 \"q\" \\ \n"}};
  CHECK(buildinfo::canonical_json(p) == "{\"a\":\"caf\xc3\xa9 \\\"q\\\" \\\\ \\n\"}");
  CHECK(buildinfo::parse_payload(buildinfo::canonical_json(p), "payload") == p);
}

TEST_CASE("payload keys are validated") {
  for (const char* good : {"a", "vcs.revision", "custom.my_key-2", "x.y.z"})
    CHECK_NOTHROW(buildinfo::validate_key(good));
  for (const char* bad : {"", "A", "1a", "a..b", "a.", "a b", "a/b", "caf\xc3\xa9"}) {
    CAPTURE(bad);
    CHECK_THROWS_AS(buildinfo::validate_key(bad), buildinfo::Error);
  }
  CHECK_THROWS_AS(buildinfo::validate_key(std::string(129, 'a')), buildinfo::Error);
}

TEST_CASE("payload values must be UTF-8") {
  CHECK_NOTHROW(buildinfo::validate_value("k", "plain \xc3\xa9 \xf0\x9f\x9a\x80"));
  for (const char* bad : {"\xff", "\xc3", "\xc0\x80", "\xed\xa0\x80", "\xf4\x90\x80\x80"}) {
    CAPTURE(bad);
    CHECK_THROWS_AS(buildinfo::validate_value("k", bad), buildinfo::Error);
  }
}

TEST_CASE("parse_payload rejects what is not a flat object of strings") {
  for (const char* bad : {"", "[]", R"({"a":1})", R"({"a":{"b":"c"}})", "{"}) {
    CAPTURE(bad);
    CHECK_THROWS_AS(buildinfo::parse_payload(bad, "payload"), buildinfo::Error);
  }
}
