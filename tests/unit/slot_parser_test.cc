// The runtime's slot parser: header checks, JSON decoding, sorted lookup.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "buildinfo/buildinfo.hpp"
#include "buildinfo/slot_layout.h"
#include "formats/slot_codec.h"
#include "record/payload.h"

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
  buildinfo::Payload payload = {{"format", "1"},
                                {"vcs.revision", "abc"},
                                {"custom.note", "a \"quoted\" \\ value\n"},
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

TEST_CASE("slot parser decodes the escapes canonical form writes") {
  Parsed p = parse(R"({"a":"\u0001\u001f\b\t\n\f\r\"\\","b":"x"})");
  REQUIRE(p.state == buildinfo::status::ok);
  CHECK(p.record.get("a") == "\x01\x1f\b\t\n\f\r\"\\");
}

TEST_CASE("slot parser reads a payload that is JSON but not canonical as corrupt") {
  // Whitespace, other escapes and key order would let JSON readers disagree
  // about what the record says (FORMAT.md, "The payload").
  for (const char* noncanonical : {" {\"a\":\"1\"}", "{\"a\" :\"1\"}", "{\"a\":\"1\"}\n", R"({"a":"\/"})",
                                   R"({"a":"\u00e9"})", R"({"a":"\ud83d\ude80"})", R"({"a":"\u0009"})",
                                   R"({"a":"\u001F"})", R"({"b":"1","a":"2"})", R"({"a":"1","a":"2"})"}) {
    CAPTURE(noncanonical);
    CHECK(parse(noncanonical).state == buildinfo::status::corrupt);
  }
}

TEST_CASE("slot parser rejects malformed payloads") {
  for (const char* bad : {"", "{", "[]", R"({"a":1})", R"({"a":"1",})", R"({"b":"1","a":"2"})", R"({"a":"1","a":"2"})",
                          R"({"a":"\x"})", R"({"a":"\ud800"})", R"({"a":"\udc00"})", "{\"a\":\"\x01\"}",
                          R"({"a":"1"} x)", R"({"a":"1)", "{\"a\":\"\xff\"}", "{\"a\":\"\xc0\xaf\"}"}) {
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
    CHECK(buildinfo::parse_slot(slot.data(), slot.size(), storage.data(), storage.size(), r) ==
          buildinfo::status::corrupt);
  }
  SUBCASE("newer version") {
    slot[BUILDINFO_OFF_VERSION] = 2;
    CHECK(buildinfo::parse_slot(slot.data(), slot.size(), storage.data(), storage.size(), r) ==
          buildinfo::status::unsupported);
  }
  SUBCASE("payload length past the capacity") {
    slot[BUILDINFO_OFF_PAYLOAD_LENGTH + 1] = 0x10;
    CHECK(buildinfo::parse_slot(slot.data(), slot.size(), storage.data(), storage.size(), r) ==
          buildinfo::status::corrupt);
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

// FORMAT.md, "Bound bytes": what neither the signature nor image.sha256
// binds must be zero, and the runtime reports a slot where it is not as
// corrupt, like `verify` fails it.
TEST_CASE("slot parser reports nonzero unbound bytes as corrupt") {
  buildinfo::SlotContents signed_contents;
  signed_contents.payload = R"({"a":"1"})";
  signed_contents.signature_algorithm = BUILDINFO_SIG_ED25519;
  signed_contents.key_id.fill(0xab);
  signed_contents.signature.assign(64, 0x11);
  const std::vector<uint8_t> good = buildinfo::encode_slot(512, signed_contents);
  const size_t signature_end = BUILDINFO_HEADER_SIZE + signed_contents.payload.size() + 64;
  std::vector<unsigned char> storage(buildinfo::parse_storage_size(good.size()));
  buildinfo::record r;
  REQUIRE(buildinfo::parse_slot(good.data(), good.size(), storage.data(), storage.size(), r) == buildinfo::status::ok);

  for (size_t offset :
       {size_t{56}, size_t{59}, size_t{60}, size_t{63}, signature_end, (signature_end + 512) / 2, size_t{511}}) {
    CAPTURE(offset);
    std::vector<uint8_t> slot = good;
    slot[offset] = '#';
    CHECK(buildinfo::parse_slot(slot.data(), slot.size(), storage.data(), storage.size(), r) ==
          buildinfo::status::corrupt);
    CHECK_FALSE(r.stamped());
  }
  SUBCASE("padding up to the capacity only: bytes past it are not the slot's") {
    std::vector<uint8_t> slot = good;
    slot.push_back('#');
    CHECK(buildinfo::parse_slot(slot.data(), slot.size(), storage.data(), storage.size(), r) == buildinfo::status::ok);
  }
  SUBCASE("an unsigned stamp has no key id and no signature") {
    buildinfo::SlotContents unsigned_contents;
    unsigned_contents.payload = R"({"a":"1"})";
    std::vector<uint8_t> slot = buildinfo::encode_slot(512, unsigned_contents);
    REQUIRE(buildinfo::parse_slot(slot.data(), slot.size(), storage.data(), storage.size(), r) ==
            buildinfo::status::ok);
    slot[BUILDINFO_OFF_KEY_ID + 31] = 1;
    CHECK(buildinfo::parse_slot(slot.data(), slot.size(), storage.data(), storage.size(), r) ==
          buildinfo::status::corrupt);
    slot[BUILDINFO_OFF_KEY_ID + 31] = 0;
    slot[BUILDINFO_OFF_SIG_LENGTH] = 4;  // four signature bytes (zeros) after the payload
    CHECK(buildinfo::parse_slot(slot.data(), slot.size(), storage.data(), storage.size(), r) ==
          buildinfo::status::corrupt);
  }
  SUBCASE("an empty slot is zero after its capacity field") {
    std::vector<uint8_t> slot = buildinfo::encode_slot(256, {});
    for (size_t offset : {size_t{BUILDINFO_OFF_SIG_ALGORITHM}, size_t{56}, size_t{64}, size_t{255}}) {
      CAPTURE(offset);
      std::vector<uint8_t> damaged = slot;
      damaged[offset] = 1;
      CHECK(buildinfo::parse_slot(damaged.data(), damaged.size(), storage.data(), storage.size(), r) ==
            buildinfo::status::corrupt);
    }
  }
}
