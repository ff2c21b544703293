// The runtime's slot parser: header checks, JSON decoding, sorted lookup.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "buildinfo/buildinfo.hpp"
#include "buildinfo/slot_layout.h"
#include "payload.h"
#include "slot_codec.h"

namespace {

struct Parsed {
  buildinfo::status state;
  buildinfo::record record;
  std::vector<unsigned char> storage;
};

// Parses a slot whose payload is `json`, written by the tool's encoder.
Parsed parse(const std::string& json, uint64_t capacity = 1024) {
  buildinfo::SlotContents contents;
  contents.payload = json;
  const std::vector<uint8_t> slot = buildinfo::encode_slot(capacity, contents);
  Parsed p{};
  p.storage.resize(buildinfo::parse_storage_size(slot.size()));
  p.state = buildinfo::parse_slot(slot.data(), slot.size(), p.storage.data(), p.storage.size(), p.record);
  return p;
}

}  // namespace

TEST_CASE("slot parser reads a canonical payload written by the tool") {
  buildinfo::Payload payload = {{"format", "1"}, {"vcs.revision", "abc"}, {"custom.note", "a \"quoted\" \\ value\n"},
                                {"project.name", "caf\xc3\xa9 \xf0\x9f\x9a\x80"}};
  Parsed p = parse(buildinfo::canonical_json(payload));
  REQUIRE(p.state == buildinfo::status::ok);
  CHECK(p.record.stamped());
  CHECK(p.record.size() == payload.size());
  for (const auto& [key, value] : payload) CHECK(p.record.get(key) == value);
  CHECK(p.record.revision() == "abc");
  CHECK(p.record.get("missing").empty());
  CHECK(p.record.format_version() == 1);
  CHECK(p.record.capacity() == 1024);
  CHECK(p.record.key_id().empty());
}

TEST_CASE("slot parser decodes JSON escapes, including surrogate pairs") {
  Parsed p = parse(R"({"a":"\u00e9\ud83d\ude80\t\/","b":"x"})");
  REQUIRE(p.state == buildinfo::status::ok);
  CHECK(p.record.get("a") == "\xc3\xa9\xf0\x9f\x9a\x80\t/");
}

TEST_CASE("slot parser accepts whitespace between tokens") {
  Parsed p = parse(" { \"a\" : \"1\" ,\n \"b\":\"2\" } ");
  REQUIRE(p.state == buildinfo::status::ok);
  CHECK(p.record.get("b") == "2");
}

TEST_CASE("slot parser rejects malformed payloads") {
  for (const char* bad : {"", "{", "[]", R"({"a":1})", R"({"a":"1",})", R"({"b":"1","a":"2"})", R"({"a":"1","a":"2"})",
                          R"({"a":"\x"})", R"({"a":"\ud800"})", R"({"a":"\udc00"})", "{\"a\":\"\x01\"}",
                          R"({"a":"1"} x)", R"({"a":"1)"}) {
    CAPTURE(bad);
    if (std::string(bad).empty()) continue;  // an empty payload means "not stamped", tested below
    CHECK(parse(bad).state == buildinfo::status::corrupt);
  }
}

TEST_CASE("slot parser reports an empty slot as not stamped") {
  buildinfo::SlotContents empty;
  std::vector<uint8_t> slot = buildinfo::encode_slot(256, empty);
  std::vector<unsigned char> storage(buildinfo::parse_storage_size(slot.size()));
  buildinfo::record r;
  CHECK(buildinfo::parse_slot(slot.data(), slot.size(), storage.data(), storage.size(), r) ==
        buildinfo::status::not_stamped);
  CHECK_FALSE(r.stamped());
  CHECK(r.size() == 0);
}

TEST_CASE("slot parser checks the header") {
  buildinfo::SlotContents contents;
  contents.payload = R"({"a":"1"})";
  std::vector<uint8_t> slot = buildinfo::encode_slot(256, contents);
  std::vector<unsigned char> storage(buildinfo::parse_storage_size(slot.size()));
  buildinfo::record r;

  SUBCASE("bad magic") {
    slot[0] = 'X';
    CHECK(buildinfo::parse_slot(slot.data(), slot.size(), storage.data(), storage.size(), r) == buildinfo::status::corrupt);
  }
  SUBCASE("newer version") {
    slot[BUILDINFO_OFF_VERSION] = 2;
    CHECK(buildinfo::parse_slot(slot.data(), slot.size(), storage.data(), storage.size(), r) ==
          buildinfo::status::unsupported);
  }
  SUBCASE("payload length past the capacity") {
    slot[BUILDINFO_OFF_PAYLOAD_LENGTH + 1] = 0x10;
    CHECK(buildinfo::parse_slot(slot.data(), slot.size(), storage.data(), storage.size(), r) == buildinfo::status::corrupt);
  }
  SUBCASE("capacity larger than the bytes given") {
    CHECK(buildinfo::parse_slot(slot.data(), 128, storage.data(), storage.size(), r) == buildinfo::status::corrupt);
  }
  SUBCASE("too little storage") {
    CHECK(buildinfo::parse_slot(slot.data(), slot.size(), storage.data(), 8, r) == buildinfo::status::no_memory);
  }
  SUBCASE("null input") {
    CHECK(buildinfo::parse_slot(nullptr, 0, storage.data(), storage.size(), r) == buildinfo::status::corrupt);
  }
  CHECK_FALSE(r.stamped());
}

TEST_CASE("slot parser exposes the key id of a signed slot as hex") {
  buildinfo::SlotContents contents;
  contents.payload = R"({"a":"1"})";
  contents.signature_algorithm = BUILDINFO_SIG_ED25519;
  contents.key_id.fill(0xab);
  contents.signature.assign(64, 0x11);
  std::vector<uint8_t> slot = buildinfo::encode_slot(512, contents);
  std::vector<unsigned char> storage(buildinfo::parse_storage_size(slot.size()));
  buildinfo::record r;
  REQUIRE(buildinfo::parse_slot(slot.data(), slot.size(), storage.data(), storage.size(), r) == buildinfo::status::ok);
  CHECK(r.signature_algorithm() == BUILDINFO_SIG_ED25519);
  std::string expected;
  for (int i = 0; i < 32; ++i) expected += "ab";
  CHECK(r.key_id() == expected);
}
