// PE reader and CheckSum, on synthetic images built here byte by byte.
#include <doctest/doctest.h>

#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "buildinfo/slot_layout.h"
#include "formats/binary_image.h"
#include "formats/pe/pe_image.h"
#include "formats/slot_codec.h"
#include "support/error.h"

namespace {

using Bytes = std::vector<uint8_t>;

void put16(Bytes& b, uint64_t at, uint16_t v) {
  for (int i = 0; i < 2; ++i) b[at + i] = static_cast<uint8_t>(v >> (8 * i));
}
void put32(Bytes& b, uint64_t at, uint32_t v) {
  for (int i = 0; i < 4; ++i) b[at + i] = static_cast<uint8_t>(v >> (8 * i));
}
uint32_t get32(const Bytes& b, uint64_t at) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v |= uint32_t{b[at + i]} << (8 * i);
  return v;
}

buildinfo::ByteView view(const Bytes& b) { return buildinfo::ByteView(b.data(), b.size()); }

// The CheckSum as the PE format specification defines it (Microsoft, "PE
// Format", Optional Header Windows-Specific Fields, and lld's
// COFF/Writer.cpp writePEChecksum): 16-bit little-endian words, the
// field counted as zero, odd tail byte padded, carry folded as you go, plus
// the file length.
uint32_t reference_checksum(const Bytes& file, uint64_t field) {
  uint32_t sum = 0;
  for (uint64_t at = 0; at < file.size(); at += 2) {
    const uint32_t lo = at >= field && at < field + 4 ? 0 : file[at];
    const uint32_t hi = at + 1 >= file.size() || (at + 1 >= field && at + 1 < field + 4) ? 0 : file[at + 1];
    sum += lo | hi << 8;
    sum = (sum & 0xffff) + (sum >> 16);
  }
  return sum + static_cast<uint32_t>(file.size());
}

Bytes random_bytes(uint64_t n, uint32_t seed) {
  std::mt19937 gen(seed);
  Bytes b(n);
  for (uint8_t& x : b) x = static_cast<uint8_t>(gen());
  return b;
}

struct ImageOptions {
  bool pe32plus = true;
  uint16_t machine = 0x8664;
  uint32_t capacity = 256;
  uint32_t bldinfo_virtual_size = 0;  // 0: exactly the note + slot
  uint32_t checksum = 0;
  bool with_bldinfo = true;
};

constexpr uint64_t kLfanew = 0x80;
constexpr uint64_t kFileAlignment = 0x200;

// A minimal image: DOS header, PE header, optional header with 16 data
// directories, sections .text and (optionally) .bldinfo, file-aligned.
Bytes make_image(const ImageOptions& o) {
  const uint64_t optional_size = o.pe32plus ? 240 : 224;
  const uint16_t nsections = o.with_bldinfo ? 2 : 1;
  const uint64_t text_offset = kFileAlignment;
  const uint64_t bldinfo_offset = text_offset + kFileAlignment;
  const uint32_t note_size = BUILDINFO_NOTE_HEADER_SIZE + o.capacity;
  const uint32_t raw_size = (note_size + kFileAlignment - 1) / kFileAlignment * kFileAlignment;
  Bytes b(bldinfo_offset + (o.with_bldinfo ? raw_size : 0), 0);

  b[0] = 'M';
  b[1] = 'Z';
  put32(b, 0x3c, kLfanew);
  std::memcpy(b.data() + kLfanew, "PE\0\0", 4);
  const uint64_t coff = kLfanew + 4;
  put16(b, coff + 0, o.machine);
  put16(b, coff + 2, nsections);
  put16(b, coff + 16, static_cast<uint16_t>(optional_size));
  put16(b, coff + 18, 0x22);  // EXECUTABLE_IMAGE | LARGE_ADDRESS_AWARE
  const uint64_t opt = coff + 20;
  put16(b, opt, o.pe32plus ? 0x20b : 0x10b);
  put32(b, opt + 36, kFileAlignment);
  put32(b, opt + 64, o.checksum);
  put32(b, opt + (o.pe32plus ? 108 : 92), 16);  // NumberOfRvaAndSizes

  const uint64_t table = opt + optional_size;
  std::memcpy(b.data() + table, ".text", 5);
  put32(b, table + 8, 0x10);
  put32(b, table + 12, 0x1000);
  put32(b, table + 16, kFileAlignment);
  put32(b, table + 20, text_offset);
  put32(b, table + 36, 0x60000020);
  b[text_offset] = 0xc3;  // ret

  if (o.with_bldinfo) {
    const uint64_t s = table + 40;
    std::memcpy(b.data() + s, BUILDINFO_PE_SECTION, 8);
    put32(b, s + 8, o.bldinfo_virtual_size ? o.bldinfo_virtual_size : note_size);
    put32(b, s + 12, 0x2000);
    put32(b, s + 16, raw_size);
    put32(b, s + 20, bldinfo_offset);
    put32(b, s + 36, 0x40000040);  // INITIALIZED_DATA | MEM_READ
    put32(b, bldinfo_offset + 0, BUILDINFO_NOTE_NAME_SIZE);
    put32(b, bldinfo_offset + 4, o.capacity);
    put32(b, bldinfo_offset + 8, BUILDINFO_NOTE_TYPE);
    std::memcpy(b.data() + bldinfo_offset + 12, BUILDINFO_NOTE_NAME, BUILDINFO_NOTE_NAME_SIZE);
    const Bytes slot = buildinfo::encode_slot(o.capacity, {});
    std::copy(slot.begin(), slot.end(), b.begin() + bldinfo_offset + BUILDINFO_NOTE_HEADER_SIZE);
  }
  return b;
}

constexpr uint64_t kCheckSumOffset = kLfanew + 24 + 64;
constexpr uint64_t kNumberOfSectionsOffset = kLfanew + 6;
constexpr uint64_t kSizeOfOptionalHeaderOffset = kLfanew + 20;
constexpr uint64_t kBldinfoHeaderOffset = kLfanew + 24 + 240 + 40;  // PE32+

std::string scan_error(const Bytes& b) {
  try {
    buildinfo::PeImage::scan(view(b));
  } catch (const buildinfo::Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("pe_checksum: hand-computed values") {
  // Words 0x0201 + 0x0403 = 0x0604; the field (bytes 4..7) counts as zero;
  // plus length 8.
  const Bytes b = {1, 2, 3, 4, 0xaa, 0xbb, 0xcc, 0xdd};
  CHECK(buildinfo::pe_checksum(view(b), 4) == 0x0604 + 8);
  // Carry folding: 0xffff + 0x0002 = 0x10001 -> 0x0002; odd tail byte 0x05.
  const Bytes c = {0xff, 0xff, 0x02, 0x00, 0, 0, 0, 0, 0x05};
  CHECK(buildinfo::pe_checksum(view(c), 4) == 0x0002 + 0x0005 + 9);
  // A field at an odd offset (bytes 1..4) straddles three words: 0x0011,
  // 0x0000, 0x6600, then 0x8877 is whole.
  const Bytes d = {0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88};
  CHECK(buildinfo::pe_checksum(view(d), 1) == 0x0011 + 0x6600 + 0x8877 + 8);
}

TEST_CASE("pe_checksum matches the word-by-word definition") {
  // Sizes around the 8-byte loads and the 256 KiB blocks, odd and even;
  // field offsets odd and even.
  const uint64_t sizes[] = {
      4, 5, 7, 8, 9, 15, 16, 17, 1000, 4097, (1u << 18) - 1, 1u << 18, (1u << 18) + 3, (3u << 18) + 5};
  uint32_t seed = 1;
  for (uint64_t n : sizes) {
    const Bytes b = random_bytes(n, seed++);
    for (uint64_t field : {uint64_t{0}, uint64_t{1}, n / 2, n - 4}) {
      if (field + 4 > n) continue;
      CAPTURE(n);
      CAPTURE(field);
      CHECK(buildinfo::pe_checksum(view(b), field) == reference_checksum(b, field));
    }
  }
}

TEST_CASE("pe_checksum does not overflow its lanes on all-0xff input") {
  // Every word is 0xffff: the worst case for the 32-bit lanes.
  const Bytes b((1u << 20) + 6, 0xff);
  CHECK(buildinfo::pe_checksum(view(b), 64) == reference_checksum(b, 64));
  const Bytes zeros(1000, 0);
  CHECK(buildinfo::pe_checksum(view(zeros), 0) == 1000);
}

TEST_CASE("pe_checksum rejects a field outside the file") {
  const Bytes b(10, 0);
  CHECK_THROWS_AS(buildinfo::pe_checksum(view(b), 7), buildinfo::Error);
  CHECK_THROWS_AS(buildinfo::pe_checksum(view(b), UINT64_MAX - 1), buildinfo::Error);
}

TEST_CASE("pe::matches wants MZ and a PE signature at e_lfanew") {
  Bytes b = make_image({});
  CHECK(buildinfo::pe::matches(view(b)));
  put32(b, 0x3c, static_cast<uint32_t>(b.size() - 2));  // signature would run past the end
  CHECK_FALSE(buildinfo::pe::matches(view(b)));
  put32(b, 0x3c, 0xffffffffu);
  CHECK_FALSE(buildinfo::pe::matches(view(b)));
  const Bytes dos_only = {'M', 'Z', 0x90, 0};
  CHECK_FALSE(buildinfo::pe::matches(view(dos_only)));
  Bytes not_mz = make_image({});
  not_mz[0] = 'Z';
  CHECK_FALSE(buildinfo::pe::matches(view(not_mz)));
}

TEST_CASE("pe::scan finds the .bldinfo slot in a PE32+ image") {
  const Bytes b = make_image({});
  const buildinfo::BinaryFacts facts = buildinfo::PeImage::scan(view(b)).facts();
  CHECK(facts.container == buildinfo::Container::pe);
  REQUIRE(facts.slices.size() == 1);
  CHECK(facts.slices[0].offset == 0);
  CHECK(facts.slices[0].size == b.size());
  CHECK(facts.slices[0].target.os == "windows");
  CHECK(facts.slices[0].target.arch == "amd64");
  CHECK(facts.slices[0].target.format == buildinfo::Format::pe);
  REQUIRE(facts.slots.size() == 1);
  const buildinfo::SlotLocation& slot = facts.slots[0];
  CHECK(slot.section == ".bldinfo");
  CHECK(slot.section_offset == 2 * kFileAlignment);
  // VirtualSize (the note and slot), not the file-aligned SizeOfRawData.
  CHECK(slot.section_size == BUILDINFO_NOTE_HEADER_SIZE + 256);
  CHECK(slot.slot_offset == 2 * kFileAlignment + BUILDINFO_NOTE_HEADER_SIZE);
  CHECK(slot.capacity == 256);
  CHECK(slot.slice_offset == 0);
  CHECK(slot.slice_size == b.size());
  CHECK(slot.target.arch == "amd64");
  // The generic dispatcher picks the PE reader.
  CHECK(buildinfo::scan_binary(view(b)).facts().container == buildinfo::Container::pe);
}

TEST_CASE("pe::scan reads PE32 and maps Machine to OpenTelemetry host.arch") {
  struct Case {
    uint16_t machine;
    bool pe32plus;
    const char* arch;
  };
  const Case cases[] = {{0x14c, false, "x86"},   {0x8664, true, "amd64"}, {0xaa64, true, "arm64"},
                        {0x1c0, false, "arm32"}, {0x1c4, false, "arm32"}, {0x1234, true, "pe-machine-0x1234"}};
  for (const Case& c : cases) {
    ImageOptions o;
    o.machine = c.machine;
    o.pe32plus = c.pe32plus;
    const buildinfo::BinaryFacts facts = buildinfo::PeImage::scan(view(make_image(o))).facts();
    CAPTURE(c.machine);
    CHECK(facts.slices.at(0).target.arch == c.arch);
    CHECK(facts.slots.size() == 1);
  }
}

TEST_CASE("pe::scan uses min(VirtualSize, SizeOfRawData) as the section's file range") {
  ImageOptions o;
  o.bldinfo_virtual_size = 0x4000;  // larger than SizeOfRawData (0x200): tail is zero-fill, not in the file
  const buildinfo::BinaryFacts facts = buildinfo::PeImage::scan(view(make_image(o))).facts();
  REQUIRE(facts.slots.size() == 1);
  CHECK(facts.slots[0].section_size == kFileAlignment);
}

TEST_CASE("pe::scan without a .bldinfo section reports no slot") {
  ImageOptions o;
  o.with_bldinfo = false;
  const buildinfo::BinaryFacts facts = buildinfo::PeImage::scan(view(make_image(o))).facts();
  CHECK(facts.slices.size() == 1);
  CHECK(facts.slots.empty());
}

TEST_CASE("pe::scan names the defect in malformed images") {
  SUBCASE("number-of-sections-larger-than-file") {
    Bytes b = make_image({});
    put16(b, kNumberOfSectionsOffset, 0xffff);
    CHECK(scan_error(b).find("section table") != std::string::npos);
  }
  SUBCASE("optional-header-magic-unknown") {
    Bytes b = make_image({});
    put16(b, kLfanew + 24, 0x107);
    CHECK(scan_error(b).find("optional header magic") != std::string::npos);
  }
  SUBCASE("size-of-optional-header-too-small") {
    Bytes b = make_image({});
    put16(b, kSizeOfOptionalHeaderOffset, 64);
    CHECK(scan_error(b).find("SizeOfOptionalHeader") != std::string::npos);
  }
  SUBCASE("size-of-optional-header-past-end-of-file") {
    Bytes b = make_image({});
    put16(b, kSizeOfOptionalHeaderOffset, 0xfff0);
    CHECK(scan_error(b).find("optional header") != std::string::npos);
  }
  SUBCASE("bldinfo-raw-data-past-end-of-file") {
    Bytes b = make_image({});
    put32(b, kBldinfoHeaderOffset + 20, 0x7ffffff0);
    CHECK(scan_error(b).find(".bldinfo") != std::string::npos);
  }
  SUBCASE("bldinfo-without-file-contents") {
    Bytes b = make_image({});
    put32(b, kBldinfoHeaderOffset + 16, 0);  // SizeOfRawData
    CHECK(scan_error(b).find("no file contents") != std::string::npos);
  }
  SUBCASE("bldinfo-without-buildinfo-note") {
    Bytes b = make_image({});
    b[2 * kFileAlignment + 12] = 'B';  // note name
    CHECK(scan_error(b).find("buildinfo note") != std::string::npos);
  }
  SUBCASE("truncated-after-pe-signature") {
    Bytes b = make_image({});
    b.resize(kLfanew + 10);
    CHECK_FALSE(scan_error(b).empty());
  }
}

TEST_CASE("pe::after_patch recomputes a non-zero CheckSum and leaves zero alone") {
  ImageOptions o;
  o.checksum = 0x12345678;
  Bytes b = make_image(o);
  b[2 * kFileAlignment + BUILDINFO_NOTE_HEADER_SIZE + 100] = 0x42;  // "stamp"
  const buildinfo::PeImage image = buildinfo::PeImage::scan(view(b));
  image.update_checksum(b);
  CHECK(get32(b, kCheckSumOffset) == reference_checksum(b, kCheckSumOffset));
  CHECK(image.checksum_offset() == kCheckSumOffset);
  // Idempotent: the field itself does not feed the sum.
  const uint32_t first = get32(b, kCheckSumOffset);
  image.update_checksum(b);
  CHECK(get32(b, kCheckSumOffset) == first);

  Bytes unchecked = make_image({});
  unchecked[2 * kFileAlignment + BUILDINFO_NOTE_HEADER_SIZE + 100] = 0x42;
  buildinfo::PeImage::scan(view(unchecked)).update_checksum(unchecked);
  CHECK(get32(unchecked, kCheckSumOffset) == 0);
}
