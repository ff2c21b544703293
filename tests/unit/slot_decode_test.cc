// The one decoder of the slot's wire format (lib/src/slot_decode.h): what
// each defect is called, where it is, and which only break canonical form.
#include <doctest/doctest.h>

#include <cstring>
#include <string>
#include <vector>

#include "../../lib/src/slot_decode.h"
#include "buildinfo/slot_layout.h"
#include "formats/slot_codec.h"

namespace {

struct Decoded {
  buildinfo_payload_defect defect;
  size_t offset;
  std::vector<std::pair<std::string, std::string>> fields;
};

Decoded decode(const std::string& json) {
  std::vector<buildinfo_field> fields(buildinfo_payload_max_fields(json.size()));
  std::vector<char> text(json.size());
  const buildinfo_payload_storage storage{fields.data(), fields.size(), text.data(), text.size()};
  buildinfo_payload_result result;
  Decoded d;
  d.defect =
      buildinfo_decode_payload(reinterpret_cast<const unsigned char*>(json.data()), json.size(), &storage, &result);
  d.offset = result.defect_offset;
  for (size_t i = 0; i < result.field_count; ++i)
    d.fields.emplace_back(std::string(fields[i].key, fields[i].key_size),
                          std::string(fields[i].value, fields[i].value_size));
  return d;
}

}  // namespace

TEST_CASE("payload decoder accepts canonical form and decodes its fields") {
  const Decoded d = decode(R"({"":"","a":"x\u0000y","ab":"caf)"
                           "\xc3\xa9"
                           R"("})");
  CHECK(d.defect == BUILDINFO_PAYLOAD_CANONICAL);
  REQUIRE(d.fields.size() == 3);
  CHECK(d.fields[0] == std::make_pair(std::string(), std::string()));
  CHECK(d.fields[1] == std::make_pair(std::string("a"), std::string("x\0y", 3)));
  CHECK(d.fields[2].second == "caf\xc3\xa9");
  CHECK(decode("{}").defect == BUILDINFO_PAYLOAD_CANONICAL);
}

TEST_CASE("payload decoder names the first canonical-only defect and where it is") {
  struct Case {
    const char* json;
    buildinfo_payload_defect defect;
    size_t offset;
  };
  const Case cases[] = {
      {"{\"a\":\"1\", \"b\":\"2\"}", BUILDINFO_PAYLOAD_WHITESPACE, 9},
      {"{\"b\":\"1\",\"a\":\"2\"}", BUILDINFO_PAYLOAD_KEY_ORDER, 9},
      {"{\"a\":\"1\",\"a\":\"2\"}", BUILDINFO_PAYLOAD_KEY_ORDER, 9},
      {"{\"a\":\"\\/\"}", BUILDINFO_PAYLOAD_NONCANONICAL_ESCAPE, 6},
      {"{\"a\":\"\\u0041\"}", BUILDINFO_PAYLOAD_NONCANONICAL_ESCAPE, 6},
      {"{\"a\":\"\\u000a\"}", BUILDINFO_PAYLOAD_NONCANONICAL_ESCAPE, 6},
      {"{\"a\":\"\\u001B\"}", BUILDINFO_PAYLOAD_NONCANONICAL_ESCAPE, 6},
  };
  for (const Case& c : cases) {
    CAPTURE(c.json);
    const Decoded d = decode(c.json);
    CHECK(d.defect == c.defect);
    CHECK(d.offset == c.offset);
    CHECK(buildinfo_payload_defect_is_canonical_only(d.defect));
  }
}

TEST_CASE("payload decoder prefers a grammar defect to an earlier canonical one") {
  // Whitespace first, then a value that is not a string: not a flat object.
  const Decoded d = decode("{ \"a\":1}");
  CHECK(d.defect == BUILDINFO_PAYLOAD_EXPECTED_STRING);
  CHECK(d.offset == 6);
  CHECK_FALSE(buildinfo_payload_defect_is_canonical_only(d.defect));
}

TEST_CASE("payload decoder names grammar defects") {
  struct Case {
    std::string json;
    buildinfo_payload_defect defect;
  };
  const Case cases[] = {
      {"", BUILDINFO_PAYLOAD_NOT_AN_OBJECT},
      {"[]", BUILDINFO_PAYLOAD_NOT_AN_OBJECT},
      {"\xef\xbb\xbf{}", BUILDINFO_PAYLOAD_NOT_AN_OBJECT},
      {"{\"a\"\"1\"}", BUILDINFO_PAYLOAD_EXPECTED_COLON},
      {"{\"a\":\"1\"", BUILDINFO_PAYLOAD_EXPECTED_SEPARATOR},
      {"{\"a\":\"1\",}", BUILDINFO_PAYLOAD_EXPECTED_STRING},
      {"{\"a\":\"1", BUILDINFO_PAYLOAD_UNTERMINATED_STRING},
      {std::string("{\"a\":\"\0\"}", 8), BUILDINFO_PAYLOAD_CONTROL_CHARACTER},
      {"{\"a\":\"\\x\"}", BUILDINFO_PAYLOAD_BAD_ESCAPE},
      {"{\"a\":\"\\ud800\"}", BUILDINFO_PAYLOAD_BAD_ESCAPE},
      {"{\"a\":\"\\udc00\"}", BUILDINFO_PAYLOAD_BAD_ESCAPE},
      {"{\"a\":\"\\u12\"}", BUILDINFO_PAYLOAD_BAD_ESCAPE},
      {"{\"a\":\"\xc0\xaf\"}", BUILDINFO_PAYLOAD_INVALID_UTF8},
      {"{\"a\":\"\xed\xa0\x80\"}", BUILDINFO_PAYLOAD_INVALID_UTF8},
      {"{\"a\":\"\xf4\x90\x80\x80\"}", BUILDINFO_PAYLOAD_INVALID_UTF8},
      {"{\"a\":\"\xe2\x82\"}", BUILDINFO_PAYLOAD_INVALID_UTF8},
      {std::string("{}\0", 3), BUILDINFO_PAYLOAD_TRAILING_BYTES},
      {"{}{}", BUILDINFO_PAYLOAD_TRAILING_BYTES},
  };
  for (const Case& c : cases) {
    CAPTURE(c.json);
    CHECK(decode(c.json).defect == c.defect);
    CHECK_FALSE(buildinfo_payload_defect_is_canonical_only(c.defect));
  }
}

TEST_CASE("payload decoder stops at the storage it is given") {
  const std::string json = R"({"a":"1","b":"2"})";
  buildinfo_field one_field[1];
  std::vector<char> text(json.size());
  buildinfo_payload_storage storage{one_field, 1, text.data(), text.size()};
  buildinfo_payload_result result;
  CHECK(buildinfo_decode_payload(reinterpret_cast<const unsigned char*>(json.data()), json.size(), &storage, &result) ==
        BUILDINFO_PAYLOAD_NO_SPACE);
  std::vector<buildinfo_field> fields(4);
  storage = {fields.data(), fields.size(), text.data(), 3};
  CHECK(buildinfo_decode_payload(reinterpret_cast<const unsigned char*>(json.data()), json.size(), &storage, &result) ==
        BUILDINFO_PAYLOAD_NO_SPACE);
}

TEST_CASE("slot note decoder reads either byte order and bounds the descriptor") {
  buildinfo::SlotContents contents;
  contents.payload = R"({"a":"1"})";
  const std::vector<uint8_t> slot = buildinfo::encode_slot(256, contents);
  for (const buildinfo_byte_order order : {BUILDINFO_LITTLE_ENDIAN, BUILDINFO_BIG_ENDIAN}) {
    std::vector<unsigned char> note(BUILDINFO_NOTE_HEADER_SIZE);
    const auto word = [&](size_t at, uint32_t v) {
      for (int i = 0; i < 4; ++i)
        note[at + (order == BUILDINFO_LITTLE_ENDIAN ? i : 3 - i)] = static_cast<unsigned char>(v >> (8 * i));
    };
    word(0, BUILDINFO_NOTE_NAME_SIZE);
    word(4, static_cast<uint32_t>(slot.size()));
    word(8, BUILDINFO_NOTE_TYPE);
    std::memcpy(note.data() + 12, BUILDINFO_NOTE_NAME, BUILDINFO_NOTE_NAME_SIZE);
    note.insert(note.end(), slot.begin(), slot.end());
    size_t offset = 0, size = 0;
    CHECK(buildinfo_decode_slot_note(note.data(), note.size(), order, &offset, &size) == BUILDINFO_NOTE_VALID);
    CHECK(offset == BUILDINFO_NOTE_HEADER_SIZE);
    CHECK(size == slot.size());
    CHECK(buildinfo_decode_slot_note(note.data(), note.size() - 1, order, &offset, &size) ==
          BUILDINFO_NOTE_DESC_OVERRUN);
    CHECK(buildinfo_decode_slot_note(note.data(), 23, order, &offset, &size) == BUILDINFO_NOTE_TOO_SMALL);
    const buildinfo_byte_order other =
        order == BUILDINFO_LITTLE_ENDIAN ? BUILDINFO_BIG_ENDIAN : BUILDINFO_LITTLE_ENDIAN;
    CHECK(buildinfo_decode_slot_note(note.data(), note.size(), other, &offset, &size) == BUILDINFO_NOTE_NOT_BUILDINFO);
  }
}

TEST_CASE("slot header decoder and the unbound-byte count agree on a damaged slot") {
  buildinfo::SlotContents contents;
  contents.payload = R"({"a":"1"})";
  std::vector<uint8_t> slot = buildinfo::encode_slot(256, contents);
  buildinfo_slot_header header;
  REQUIRE(buildinfo_decode_slot_header(slot.data(), slot.size(), &header) == BUILDINFO_SLOT_VALID);
  CHECK(buildinfo_unbound_bytes_zero(slot.data(), &header));
  slot[200] = 1;
  slot[BUILDINFO_OFF_FLAGS] = 1;
  CHECK_FALSE(buildinfo_unbound_bytes_zero(slot.data(), &header));
  buildinfo_unbound_bytes counted;
  buildinfo_count_unbound_bytes(slot.data(), &header, &counted);
  CHECK(counted.nonzero == 2);
  CHECK(counted.first == BUILDINFO_OFF_FLAGS);
  CHECK(counted.first_field == BUILDINFO_UNBOUND_FLAGS);
  CHECK(buildinfo_decode_slot_header(slot.data(), 100, &header) == BUILDINFO_SLOT_CAPACITY_OVERRUN);
  CHECK(buildinfo_decode_slot_header(slot.data(), 63, &header) == BUILDINFO_SLOT_TOO_SMALL);
}

TEST_CASE("slot header decoder refuses a capacity outside 256 bytes to 1 MiB") {
  buildinfo::SlotContents contents;
  std::vector<uint8_t> slot = buildinfo::encode_slot(256, contents);
  buildinfo_slot_header header;
  slot[BUILDINFO_OFF_CAPACITY] = 0xff;  // 255
  slot[BUILDINFO_OFF_CAPACITY + 1] = 0;
  CHECK(buildinfo_decode_slot_header(slot.data(), slot.size(), &header) == BUILDINFO_SLOT_CAPACITY_OUT_OF_RANGE);
  CHECK_THROWS_WITH(buildinfo::decode_slot_header(buildinfo::ByteView(slot.data(), slot.size())),
                    doctest::Contains("slot capacity 255 is outside 256 to 1048576 bytes"));
  CHECK_THROWS_AS(buildinfo::encode_slot(255, contents), buildinfo::Error);
  CHECK_THROWS_AS(buildinfo::encode_slot(BUILDINFO_MAX_CAPACITY + 1, contents), buildinfo::Error);
}
