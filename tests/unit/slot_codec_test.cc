// Slot encoding and decoding, and the note wrapper check.
#include <doctest/doctest.h>

#include <cstring>

#include "buildinfo/slot_layout.h"
#include "formats/slot_codec.h"
#include "support/error.h"

namespace {

// Section bytes as the compiler lays them out: note header, then an empty slot.
std::vector<uint8_t> empty_section(uint32_t capacity) {
  std::vector<uint8_t> section(BUILDINFO_NOTE_HEADER_SIZE + capacity, 0);
  const uint32_t words[3] = {BUILDINFO_NOTE_NAME_SIZE, capacity, BUILDINFO_NOTE_TYPE};
  for (int w = 0; w < 3; ++w)
    for (int b = 0; b < 4; ++b) section[4 * w + b] = static_cast<uint8_t>(words[w] >> (8 * b));
  std::memcpy(section.data() + 12, "buildinfo", 9);
  const std::vector<uint8_t> slot = buildinfo::encode_slot(capacity, {});
  std::copy(slot.begin(), slot.end(), section.begin() + BUILDINFO_NOTE_HEADER_SIZE);
  return section;
}

}  // namespace

TEST_CASE("encode_slot and decode_slot_header round trip") {
  buildinfo::SlotContents contents;
  contents.payload = R"({"format":"1"})";
  contents.signature_algorithm = BUILDINFO_SIG_ECDSA_P256_SHA256;
  contents.key_id.fill(7);
  contents.signature = {1, 2, 3};
  const std::vector<uint8_t> slot = buildinfo::encode_slot(300, contents);
  REQUIRE(slot.size() == 300);
  const buildinfo::ByteView view(slot.data(), slot.size());
  const buildinfo::SlotHeader h = buildinfo::decode_slot_header(view);
  CHECK(h.version == 1);
  CHECK(h.header_size == 64);
  CHECK(h.capacity == 300);
  CHECK(h.payload_length == contents.payload.size());
  CHECK(h.signature_algorithm == BUILDINFO_SIG_ECDSA_P256_SHA256);
  CHECK(h.key_id == contents.key_id);
  CHECK(buildinfo::slot_payload(view, h) == contents.payload);
  CHECK(buildinfo::slot_signature(view, h) == contents.signature);
  // Padding after the signature is zero.
  for (size_t i = 64 + contents.payload.size() + 3; i < slot.size(); ++i) REQUIRE(slot[i] == 0);
}

TEST_CASE("encode_slot names both sizes when the record does not fit") {
  buildinfo::SlotContents contents;
  contents.payload = std::string(300, 'x');
  try {
    buildinfo::encode_slot(256, contents);
    FAIL("no error");
  } catch (const buildinfo::Error& e) {
    CHECK(e.kind() == buildinfo::ErrorKind::bad_input);
    CHECK(std::string(e.what()).find("needs 364 bytes but the slot holds 256 bytes") != std::string::npos);
  }
}

TEST_CASE("locate_slot_in_section accepts a note-wrapped slot in either byte order") {
  std::vector<uint8_t> file(100, 0xee);
  const std::vector<uint8_t> section = empty_section(256);
  file.insert(file.end(), section.begin(), section.end());
  const buildinfo::ByteView view(file.data(), file.size());
  const buildinfo::SlotLocation loc =
      buildinfo::locate_slot_in_section(view, ".note.buildinfo", 100, section.size(), buildinfo::Endian::little);
  CHECK(loc.slot_offset == 124);
  CHECK(loc.capacity == 256);
  CHECK_THROWS_AS(
      buildinfo::locate_slot_in_section(view, ".note.buildinfo", 100, section.size(), buildinfo::Endian::big),
      buildinfo::Error);
}

TEST_CASE("locate_slot_in_section rejects damaged sections") {
  std::vector<uint8_t> section = empty_section(256);
  auto locate = [&] {
    const buildinfo::ByteView view(section.data(), section.size());
    return buildinfo::locate_slot_in_section(view, "s", 0, section.size(), buildinfo::Endian::little);
  };
  SUBCASE("wrong note name") { section[12] = 'B'; }
  SUBCASE("descsz larger than the section") { section[5] = 0x10; }
  SUBCASE("bad slot magic") { section[24] = 0; }
  SUBCASE("capacity differs from descsz") { section[24 + BUILDINFO_OFF_CAPACITY] = 0x80; }
  SUBCASE("payload overruns the slot") { section[24 + BUILDINFO_OFF_PAYLOAD_LENGTH + 1] = 0x01; }
  SUBCASE("section past the end of the file") {
    const buildinfo::ByteView view(section.data(), section.size());
    CHECK_THROWS_AS(buildinfo::locate_slot_in_section(view, "s", 8, section.size(), buildinfo::Endian::little),
                    buildinfo::Error);
    return;
  }
  CHECK_THROWS_AS(locate(), buildinfo::Error);
}

TEST_CASE("unbound_bytes names the first nonzero byte nothing binds") {
  buildinfo::SlotContents contents;
  contents.payload = R"({"format":"1"})";
  contents.signature_algorithm = BUILDINFO_SIG_ED25519;
  contents.key_id.fill(7);
  contents.signature.assign(64, 9);
  std::vector<uint8_t> slot = buildinfo::encode_slot(512, contents);
  const buildinfo::ByteView view(slot.data(), slot.size());
  const uint64_t padding = BUILDINFO_HEADER_SIZE + contents.payload.size() + 64;
  buildinfo::UnboundBytes u = buildinfo::unbound_bytes(view, buildinfo::decode_slot_header(view));
  CHECK(u.nonzero == 0);
  CHECK(u.checked == 8 + (512 - padding));  // flags, reserved, padding

  slot[511] = 1;
  slot[57] = 1;
  u = buildinfo::unbound_bytes(view, buildinfo::decode_slot_header(view));
  CHECK(u.nonzero == 2);
  CHECK(u.first == 57);
  CHECK(u.first_field == "flags");
  slot[57] = 0;
  u = buildinfo::unbound_bytes(view, buildinfo::decode_slot_header(view));
  CHECK(u.first == 511);
  CHECK(u.first_field == "padding");

  // Unsigned: the key id counts too.
  buildinfo::SlotContents plain;
  plain.payload = contents.payload;
  std::vector<uint8_t> unsigned_slot = buildinfo::encode_slot(256, plain);
  unsigned_slot[BUILDINFO_OFF_KEY_ID] = 1;
  const buildinfo::ByteView unsigned_view(unsigned_slot.data(), unsigned_slot.size());
  u = buildinfo::unbound_bytes(unsigned_view, buildinfo::decode_slot_header(unsigned_view));
  CHECK(u.nonzero == 1);
  CHECK(u.first_field == "key_id of an unsigned stamp");
}
