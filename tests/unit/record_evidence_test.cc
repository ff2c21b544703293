// Finding a stamped slot by its bytes when the file's headers do not lead to it.
#include <doctest/doctest.h>

#include <cstring>
#include <vector>

#include "buildinfo/slot_layout.h"
#include "formats/slot_codec.h"
#include "record/record_evidence.h"

namespace {

// `before` bytes of filler, a note header (little- or big-endian words), a
// slot of `capacity` with `payload` (empty: not stamped), then 100 bytes.
std::vector<uint8_t> file_with_slot(size_t before, uint32_t capacity, const std::string& payload, bool big = false) {
  std::vector<uint8_t> file(before, 0x5a);
  const uint32_t words[3] = {BUILDINFO_NOTE_NAME_SIZE, capacity, BUILDINFO_NOTE_TYPE};
  for (uint32_t w : words)
    for (int b = 0; b < 4; ++b) file.push_back(static_cast<uint8_t>(w >> (8 * (big ? 3 - b : b))));
  const char name[BUILDINFO_NOTE_NAME_PADDED] = "buildinfo";
  file.insert(file.end(), name, name + sizeof name);
  buildinfo::SlotContents contents;
  contents.payload = payload;
  const std::vector<uint8_t> slot = buildinfo::encode_slot(capacity, contents);
  file.insert(file.end(), slot.begin(), slot.end());
  file.insert(file.end(), 100, 0x5a);
  return file;
}

std::optional<uint64_t> find(const std::vector<uint8_t>& file) {
  return buildinfo::find_nonempty_slot(buildinfo::ByteView(file.data(), file.size()));
}

}  // namespace

TEST_CASE("find_nonempty_slot finds a stamped slot and ignores an empty one") {
  CHECK(find(file_with_slot(40, 256, R"({"a":"1"})")) == uint64_t{40 + 24});
  CHECK(find(file_with_slot(40, 256, R"({"a":"1"})", true)) == uint64_t{40 + 24});
  CHECK_FALSE(find(file_with_slot(40, 256, "")));
  CHECK_FALSE(find(std::vector<uint8_t>(1000, 0)));
}

TEST_CASE("find_nonempty_slot survives damage to the note header or to the slot header") {
  const std::vector<uint8_t> good = file_with_slot(8, 512, R"({"a":"1"})");
  const uint64_t slot = 8 + 24;
  for (uint64_t at :
       {uint64_t{8}, uint64_t{8 + 4}, uint64_t{8 + 8}, uint64_t{8 + 14}, slot, slot + 8, slot + 10, slot + 12}) {
    CAPTURE(at);
    std::vector<uint8_t> damaged = good;
    damaged[at] ^= 0xff;
    CHECK(find(damaged) == slot);
  }
  // A damaged empty slot is no record: bytes after its capacity field stay zero.
  std::vector<uint8_t> empty = file_with_slot(8, 512, "");
  empty[slot + 12] ^= 0xff;
  CHECK_FALSE(find(empty));
  // A slot that does not fit in the file is not found (a truncated file).
  std::vector<uint8_t> truncated = good;
  truncated.resize(slot + 100);
  CHECK_FALSE(find(truncated));
  // The magic alone, as a program's read-only data holds it, is no slot.
  std::vector<uint8_t> text(300, 0x41);
  std::memcpy(text.data() + 10, BUILDINFO_MAGIC, BUILDINFO_MAGIC_SIZE);
  CHECK_FALSE(find(text));
}

TEST_CASE("find_nonempty_slot reads an empty slot with a damaged size as empty") {
  std::vector<uint8_t> empty = file_with_slot(8, 256, "");
  empty.insert(empty.end(), 2000, 0x5a);  // other data right after the slot
  for (uint64_t at : {uint64_t{8 + 4}, uint64_t{8 + 24 + 12}}) {
    CAPTURE(at);
    std::vector<uint8_t> damaged = empty;
    damaged[at + 1] = 0x04;  // 256 becomes 1280
    CHECK_FALSE(find(damaged));
  }
}
