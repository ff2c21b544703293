// Mach-O reader and code-signature page-hash update, on small synthetic files
// built here byte by byte (layouts: xnu mach-o/loader.h, fat.h; the code
// signatures, cs_blobs.h, by macho_builder.h).
#include <doctest/doctest.h>

#include <openssl/evp.h>

#include <cstring>
#include <string>
#include <vector>

#include "buildinfo/slot_layout.h"
#include "formats/binary_format.h"
#include "formats/macho/macho_image.h"
#include "formats/slot_codec.h"
#include "macho_builder.h"
#include "support/error.h"

namespace {

using Bytes = std::vector<uint8_t>;
using buildinfo::ByteView;
using buildinfo::Endian;

constexpr uint32_t kCapacity = 256;
constexpr uint64_t kSectionOffset = 1024;
constexpr uint64_t kSectionSize = BUILDINFO_NOTE_HEADER_SIZE + kCapacity;
constexpr uint64_t kSignatureOffset = 1312;  // code limit: 512 + 512 + 288 bytes
constexpr uint8_t kPageShift = 9;

void put(Bytes& b, uint64_t at, uint64_t value, unsigned size, Endian endian) {
  if (b.size() < at + size) b.resize(at + size, 0);
  for (unsigned i = 0; i < size; ++i) {
    const unsigned shift = endian == Endian::little ? 8 * i : 8 * (size - 1 - i);
    b[at + i] = static_cast<uint8_t>(value >> shift);
  }
}
void put_be32(Bytes& b, uint64_t at, uint32_t v) { put(b, at, v, 4, Endian::big); }
void put_name(Bytes& b, uint64_t at, const char* name) {
  if (b.size() < at + 16) b.resize(at + 16, 0);
  std::memset(b.data() + at, 0, 16);
  std::memcpy(b.data() + at, name, std::strlen(name));
}

// Note header plus an empty slot, as BUILDINFO_DEFINE_SLOT lays it out.
Bytes slot_section(Endian endian) {
  Bytes s;
  put(s, 0, BUILDINFO_NOTE_NAME_SIZE, 4, endian);
  put(s, 4, kCapacity, 4, endian);
  put(s, 8, BUILDINFO_NOTE_TYPE, 4, endian);
  put_name(s, 12, "buildinfo");
  s.resize(BUILDINFO_NOTE_HEADER_SIZE);
  const Bytes slot = buildinfo::encode_slot(kCapacity, {});
  s.insert(s.end(), slot.begin(), slot.end());
  return s;
}

struct Options {
  bool signed_ = true;
  // Flags ADHOC | LINKER_SIGNED, as lld signs.
  std::vector<macho_builder::CodeDirectory> directories{{0, 2, 32, 0x20002}};
  uint32_t cms_size = 0;  // 0: no CMS blob; 8: empty wrapper; more: "Developer ID"
};

// A thin little-endian arm64 MH_EXECUTE with __DATA_CONST,__buildinfo at
// kSectionOffset and, if signed, a SuperBlob at kSignatureOffset whose
// CodeDirectories hold all-zero (wrong) page hashes.
Bytes thin_arm64(const Options& o = {}) {
  const Endian le = Endian::little;
  Bytes b;
  const uint32_t ncmds = o.signed_ ? 2 : 1;
  const uint32_t sizeofcmds = 152 + (o.signed_ ? 16 : 0);
  put(b, 0, 0xfeedfacf, 4, le);
  put(b, 4, 0x0100000c, 4, le);  // CPU_TYPE_ARM64
  put(b, 12, 2, 4, le);          // MH_EXECUTE
  put(b, 16, ncmds, 4, le);
  put(b, 20, sizeofcmds, 4, le);
  put(b, 32, 0x19, 4, le);  // LC_SEGMENT_64
  put(b, 36, 152, 4, le);
  put_name(b, 40, "__DATA_CONST");
  put(b, 96, 1, 4, le);  // nsects
  put_name(b, 104, "__buildinfo");
  put_name(b, 120, "__DATA_CONST");
  put(b, 144, kSectionSize, 8, le);
  put(b, 152, kSectionOffset, 4, le);
  if (o.signed_) {
    put(b, 184, 0x1d, 4, le);  // LC_CODE_SIGNATURE
    put(b, 188, 16, 4, le);
    put(b, 192, kSignatureOffset, 4, le);
  }
  // Some recognisable code bytes before the slot.
  b.resize(kSectionOffset, 0);
  for (uint64_t i = 200; i < kSectionOffset; ++i) b[i] = static_cast<uint8_t>(i * 7);
  const Bytes section = slot_section(le);
  b.insert(b.end(), section.begin(), section.end());
  b.resize(kSignatureOffset, 0);
  if (!o.signed_) return b;

  macho_builder::CodeSignature spec;
  spec.code_limit = kSignatureOffset;
  spec.page_shift = kPageShift;
  spec.directories = o.directories;
  spec.cms_size = o.cms_size;
  const Bytes sig = macho_builder::code_signature(spec);
  put(b, 196, sig.size(), 4, le);  // datasize
  b.insert(b.end(), sig.begin(), sig.end());
  return b;
}

// A thin big-endian 32-bit PowerPC file with __DATA,__buildinfo, unsigned.
Bytes thin_ppc() {
  const Endian be = Endian::big;
  Bytes b;
  put(b, 0, 0xfeedface, 4, be);
  put(b, 4, 18, 4, be);  // CPU_TYPE_POWERPC
  put(b, 12, 2, 4, be);
  put(b, 16, 1, 4, be);
  put(b, 20, 124, 4, be);
  put(b, 28, 0x1, 4, be);  // LC_SEGMENT
  put(b, 32, 124, 4, be);
  put_name(b, 36, "__DATA");
  put(b, 76, 1, 4, be);  // nsects
  put_name(b, 84, "__buildinfo");
  put_name(b, 100, "__DATA");
  put(b, 120, kSectionSize, 4, be);
  put(b, 124, 512, 4, be);
  b.resize(512, 0);
  const Bytes section = slot_section(be);
  b.insert(b.end(), section.begin(), section.end());
  return b;
}

// A fat file holding `slices` at 4096-byte aligned offsets.
Bytes fat(const std::vector<std::pair<uint32_t, Bytes>>& slices) {
  Bytes b;
  put_be32(b, 0, 0xcafebabe);
  put_be32(b, 4, static_cast<uint32_t>(slices.size()));
  uint64_t offset = 4096;
  for (size_t i = 0; i < slices.size(); ++i) {
    put_be32(b, 8 + 20 * i, slices[i].first);
    put_be32(b, 8 + 20 * i + 8, static_cast<uint32_t>(offset));
    put_be32(b, 8 + 20 * i + 12, static_cast<uint32_t>(slices[i].second.size()));
    put_be32(b, 8 + 20 * i + 16, 12);
    b.resize(offset, 0);
    b.insert(b.end(), slices[i].second.begin(), slices[i].second.end());
    offset = (b.size() + 4095) / 4096 * 4096;
  }
  return b;
}

ByteView view(const Bytes& b) { return ByteView(b.data(), b.size()); }

std::vector<uint8_t> sha256(const uint8_t* data, size_t size) {
  std::vector<uint8_t> out(32);
  unsigned int length = 0;
  REQUIRE(EVP_Digest(data, size, out.data(), &length, EVP_sha256(), nullptr) == 1);
  return out;
}

// The slice of `b` at [offset, offset + size), read as the scan reads it.
buildinfo::MachOSlice slice_at(const Bytes& b, uint64_t offset, uint64_t size) {
  return buildinfo::MachOSlice::read(view(b), offset, size);
}

// Runs `f` and checks that it throws an Error whose message contains `expect`.
template <typename F>
void check_throws_containing(F f, const std::string& expect) {
  try {
    f();
    FAIL("no error, expected: " << expect);
  } catch (const buildinfo::Error& e) {
    CHECK_MESSAGE(std::string(e.what()).find(expect) != std::string::npos, e.what(), " lacks: ", expect);
  }
}

uint64_t total_mismatches(const Bytes& b, uint64_t slice_offset = 0, uint64_t slice_size = 0) {
  uint64_t n = 0;
  const buildinfo::MachOSlice slice = slice_at(b, slice_offset, slice_size ? slice_size : b.size());
  for (const auto& c : slice.check_page_hashes(view(b))) n += c.mismatched_pages;
  return n;
}

}  // namespace

TEST_CASE("macho::matches tells thin and fat Mach-O from Java class files") {
  using buildinfo::macho::matches;
  CHECK(matches(view(thin_arm64())));
  CHECK(matches(view(thin_ppc())));
  CHECK(matches(view(fat({{0x0100000c, thin_arm64()}}))));
  Bytes fat64{0xca, 0xfe, 0xba, 0xbf, 0, 0, 0, 1};
  CHECK(matches(view(fat64)));
  // A Java 8 class file: 0xcafebabe, minor 0, major 52.
  Bytes java{0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 52};
  CHECK_FALSE(matches(view(java)));
  Bytes short_file{0xcf, 0xfa};
  CHECK_FALSE(matches(view(short_file)));
  Bytes elf{0x7f, 'E', 'L', 'F', 2, 1, 1, 0};
  CHECK_FALSE(matches(view(elf)));
}

TEST_CASE("macho::scan finds the slot and the target of a thin file") {
  const Bytes b = thin_arm64();
  const buildinfo::BinaryFacts facts = buildinfo::MachOImage::scan(view(b)).facts();
  CHECK(facts.container == buildinfo::Container::macho);
  REQUIRE(facts.slices.size() == 1);
  CHECK(facts.slices[0].target.os == "darwin");
  CHECK(facts.slices[0].target.arch == "arm64");
  CHECK(facts.slices[0].target.format == buildinfo::Format::macho);
  CHECK(facts.slices[0].has_code_signature);
  REQUIRE(facts.slots.size() == 1);
  const buildinfo::SlotLocation& slot = facts.slots[0];
  CHECK(slot.section == "__DATA_CONST,__buildinfo");
  CHECK(slot.section_offset == kSectionOffset);
  CHECK(slot.slot_offset == kSectionOffset + BUILDINFO_NOTE_HEADER_SIZE);
  CHECK(slot.capacity == kCapacity);
  CHECK(slot.slice_offset == 0);
  CHECK(slot.slice_size == b.size());
  CHECK(slot.target.arch == "arm64");
}

TEST_CASE("macho::scan reads big-endian 32-bit files and __DATA sections") {
  const Bytes b = thin_ppc();
  const buildinfo::BinaryFacts facts = buildinfo::MachOImage::scan(view(b)).facts();
  CHECK(facts.slices[0].target.arch == "ppc32");
  CHECK_FALSE(facts.slices[0].has_code_signature);
  REQUIRE(facts.slots.size() == 1);
  CHECK(facts.slots[0].section == "__DATA,__buildinfo");
  CHECK(facts.slots[0].slot_offset == 512 + BUILDINFO_NOTE_HEADER_SIZE);
}

TEST_CASE("macho::scan gives every slice of a fat file its own slot at absolute offsets") {
  const Bytes arm = thin_arm64();
  const Bytes ppc = thin_ppc();
  const Bytes b = fat({{0x0100000c, arm}, {18, ppc}});
  const buildinfo::BinaryFacts facts = buildinfo::MachOImage::scan(view(b)).facts();
  CHECK(facts.container == buildinfo::Container::macho_universal);
  REQUIRE(facts.slices.size() == 2);
  REQUIRE(facts.slots.size() == 2);
  CHECK(facts.slices[0].offset == 4096);
  CHECK(facts.slots[0].slice_offset == 4096);
  CHECK(facts.slots[0].slice_size == arm.size());
  CHECK(facts.slots[0].slot_offset == 4096 + kSectionOffset + BUILDINFO_NOTE_HEADER_SIZE);
  CHECK(facts.slots[0].target.arch == "arm64");
  CHECK(facts.slots[1].slice_offset == facts.slices[1].offset);
  CHECK(facts.slots[1].slot_offset == facts.slices[1].offset + 512 + BUILDINFO_NOTE_HEADER_SIZE);
  CHECK(facts.slots[1].target.arch == "ppc32");
}

TEST_CASE("macho::scan: a slice without a slot contributes no slot") {
  Bytes b = thin_arm64({false});
  put_name(b, 104, "__other");
  const buildinfo::BinaryFacts facts = buildinfo::MachOImage::scan(view(b)).facts();
  CHECK(facts.slices.size() == 1);
  CHECK(facts.slots.empty());
}

TEST_CASE("macho::scan rejects hostile load commands and fat headers") {
  Bytes b = thin_arm64();
  std::string expect;
  SUBCASE("ncmds 2^32-1 with a small sizeofcmds ends, with an error") {
    put(b, 16, 0xffffffff, 4, Endian::little);
    expect = "lies outside sizeofcmds";
  }
  SUBCASE("cmdsize 0") {
    put(b, 36, 0, 4, Endian::little);
    expect = "cmdsize 0 (less than 8)";
  }
  SUBCASE("cmdsize 4") {
    put(b, 36, 4, 4, Endian::little);
    expect = "cmdsize 4 (less than 8)";
  }
  SUBCASE("cmdsize past sizeofcmds") {
    put(b, 188, 17, 4, Endian::little);
    expect = "runs past sizeofcmds";
  }
  SUBCASE("sizeofcmds past the file") {
    put(b, 20, 0x7fffffff, 4, Endian::little);
    expect = "sizeofcmds corrupted";
  }
  SUBCASE("nsects too large for cmdsize") {
    put(b, 96, 2, 4, Endian::little);
    expect = "nsects or cmdsize corrupted";
  }
  SUBCASE("section offset outside the file") {
    put(b, 152, 0xfffffff0, 4, Endian::little);
    expect = "lies outside the file";
  }
  SUBCASE("section overlapping the load commands") {
    put(b, 152, 16, 4, Endian::little);
    expect = "overlaps the Mach-O header or load commands";
  }
  SUBCASE("section of zero-fill type") {
    put(b, 168, 1, 4, Endian::little);
    expect = "zero-fill";
  }
  SUBCASE("code signature outside the file") {
    put(b, 196, 0xffff0000, 4, Endian::little);
    expect = "code signature (dataoff";
  }
  SUBCASE("truncated header") {
    b.resize(20);
    expect = "Mach-O header is truncated";
  }
  check_throws_containing([&] { buildinfo::MachOImage::scan(view(b)); }, expect);
}

TEST_CASE("macho::scan rejects damaged fat files") {
  const Bytes arm = thin_arm64();
  Bytes b = fat({{0x0100000c, arm}, {0x0100000c, arm}});
  std::string expect;
  SUBCASE("nfat_arch 0") {
    put_be32(b, 4, 0);
    expect = "nfat_arch is 0";
  }
  SUBCASE("slice outside the file") {
    put_be32(b, 8 + 12, 0x7fffffff);
    expect = "fat_arch 0 (offset";
  }
  SUBCASE("overlapping slices") {
    put_be32(b, 28 + 8, 4096 + 512);
    expect = "fat_arch 1 overlaps fat_arch 0";
  }
  SUBCASE("slice overlapping the fat header") {
    put_be32(b, 8 + 8, 0);
    expect = "overlaps the fat header";
  }
  SUBCASE("slice that is not Mach-O") {
    b[4096] = 0;
    expect = "slice 0 (offset 4096) is not a Mach-O file";
  }
  SUBCASE("fat_arch cputype differs from the slice") {
    put_be32(b, 8, 7);
    expect = "differs from the slice's Mach-O header";
  }
  check_throws_containing([&] { buildinfo::MachOImage::scan(view(b)); }, expect);
}

TEST_CASE("after_patch rehashes exactly the touched pages of every CodeDirectory") {
  Options o;
  o.directories = {{0, 2, 32, 0x20002}, {0x1000, 1, 20, 0x20002}, {0x1001, 3, 20, 0x20002}, {0x1002, 4, 48, 0x20002}};
  Bytes b = thin_arm64(o);
  const uint64_t pages = 3;
  std::vector<buildinfo::CodeDirectoryCheck> checks = slice_at(b, 0, b.size()).check_page_hashes(view(b));
  REQUIRE(checks.size() == 4);
  CHECK(checks[0].page_count == pages);
  CHECK(checks[1].slot_type == 0x1000);
  CHECK(checks[1].hash_type == 1);
  CHECK(total_mismatches(b) == 4 * pages);  // all zero hashes: all wrong

  // [1000, 1304) touches pages 1 and 2 (page 2, [1024, 1312), is short).
  const Bytes before = b;
  slice_at(b, 0, b.size()).update_page_hashes(b, 1000, 304);
  CHECK(total_mismatches(b) == 4 * 1);  // page 0 untouched in every directory
  // Slot type 0's stored hash of the short last page is SHA-256 of exactly
  // [1024, 1312), not padded to the page size. Its hash table starts after
  // the SuperBlob header (12 + 4 * 8), the CodeDirectory header (48), the
  // identifier ("test" and its NUL: 5) and two special slots.
  const uint64_t hashes = kSignatureOffset + 44 + 48 + 5 + 2 * 32;
  CHECK(std::vector<uint8_t>(b.begin() + hashes + 2 * 32, b.begin() + hashes + 3 * 32) ==
        sha256(b.data() + 1024, kSignatureOffset - 1024));
  CHECK(std::vector<uint8_t>(b.begin() + hashes + 32, b.begin() + hashes + 2 * 32) == sha256(b.data() + 512, 512));
  // Nothing outside the hash tables changed; the special slots stayed zero.
  for (uint64_t i = 0; i < kSignatureOffset; ++i) REQUIRE(b[i] == before[i]);
  for (uint64_t i = hashes - 64; i < hashes; ++i) REQUIRE(b[i] == 0);

  slice_at(b, 0, b.size()).update_page_hashes(b, 0, kSignatureOffset);
  CHECK(total_mismatches(b) == 0);
}

TEST_CASE("after_patch on a fat slice uses slice-relative pages and absolute offsets") {
  const Bytes arm = thin_arm64();
  Bytes b = fat({{0x0100000c, arm}, {0x0100000c, arm}});
  const buildinfo::BinaryFacts facts = buildinfo::MachOImage::scan(view(b)).facts();
  REQUIRE(facts.slots.size() == 2);
  const buildinfo::SlotLocation& second = facts.slots[1];
  slice_at(b, second.slice_offset, second.slice_size).update_page_hashes(b, second.slot_offset, second.capacity);
  // The slot lies in page 2 of the slice: pages 0 and 1 keep their zero hashes.
  CHECK(total_mismatches(b, second.slice_offset, second.slice_size) == 2);
  CHECK(total_mismatches(b, facts.slots[0].slice_offset, facts.slots[0].slice_size) == 3);  // other slice untouched
}

TEST_CASE("after_patch leaves unsigned files alone and refuses bad ranges") {
  Bytes b = thin_arm64({false});
  const Bytes before = b;
  slice_at(b, 0, b.size()).update_page_hashes(b, kSectionOffset, kSectionSize);
  CHECK(b == before);
  CHECK(slice_at(b, 0, b.size()).check_page_hashes(view(b)).empty());

  Bytes s = thin_arm64();
  CHECK_THROWS_AS(slice_at(s, 0, s.size()).update_page_hashes(s, kSignatureOffset, 4), buildinfo::Error);
  CHECK_THROWS_AS(slice_at(s, 0, s.size()).update_page_hashes(s, s.size() - 2, 4), buildinfo::Error);
  CHECK_THROWS_AS(slice_at(s, 8, s.size()).update_page_hashes(s, 16, 4), buildinfo::Error);
}

TEST_CASE("after_patch rejects damaged signatures") {
  Bytes b = thin_arm64();
  const uint64_t cd = kSignatureOffset + 20;  // one index entry
  std::string expect;
  SUBCASE("bad SuperBlob magic") {
    put_be32(b, kSignatureOffset, 0xfade0cc1);
    expect = "embedded-signature SuperBlob";
  }
  SUBCASE("SuperBlob length past datasize") {
    put_be32(b, kSignatureOffset + 4, 0x10000);
    expect = "SuperBlob length 65536 does not fit";
  }
  SUBCASE("index count past the blob") {
    put_be32(b, kSignatureOffset + 8, 0x1fffffff);
    expect = "SuperBlob index";
  }
  SUBCASE("blob offset past the SuperBlob") {
    put_be32(b, kSignatureOffset + 16, 0xffff);
    expect = "signature blob header lies outside";
  }
  SUBCASE("bad CodeDirectory magic") {
    put_be32(b, cd, 0xfade0c01);
    expect = "is not a CodeDirectory";
  }
  SUBCASE("unsupported hash type") {
    b[cd + 37] = 9;
    expect = "hash type 9 is not supported";
  }
  SUBCASE("hash size that does not fit the type") {
    b[cd + 36] = 20;
    expect = "hashSize 20 does not match hash type 2";
  }
  SUBCASE("too few code slots") {
    put_be32(b, cd + 28, 2);
    expect = "2 code slots for 3 pages";
  }
  SUBCASE("hash table past the CodeDirectory") {
    put_be32(b, cd + 16, 0xfffffff0);
    expect = "hashOffset or nCodeSlots corrupted";
  }
  SUBCASE("codeLimit past the code signature") {
    put_be32(b, cd + 32, kSignatureOffset + 1);
    expect = "codeLimit 1313 runs into the code signature at 1312";
  }
  SUBCASE("scatter vectors") {
    put_be32(b, cd + 44, 64);
    expect = "scatter vectors";
  }
  check_throws_containing([&] { slice_at(b, 0, b.size()).update_page_hashes(b, kSectionOffset + 24, kCapacity); },
                          expect);
  // check_page_hashes reads the same structures and fails the same way.
  check_throws_containing([&] { slice_at(b, 0, b.size()).check_page_hashes(view(b)); }, expect);
}

TEST_CASE("has_cms_signature sees a non-empty CMS blob only") {
  CHECK_FALSE(slice_at(thin_arm64({false}), 0, thin_arm64({false}).size()).has_cms_signature());
  const Bytes adhoc = thin_arm64();
  CHECK_FALSE(slice_at(adhoc, 0, adhoc.size()).has_cms_signature());
  Options empty_wrapper;
  empty_wrapper.cms_size = 8;
  const Bytes codesign_adhoc = thin_arm64(empty_wrapper);
  CHECK_FALSE(slice_at(codesign_adhoc, 0, codesign_adhoc.size()).has_cms_signature());
  Options developer_id;
  developer_id.cms_size = 64;
  const Bytes signed_file = thin_arm64(developer_id);
  CHECK(slice_at(signed_file, 0, signed_file.size()).has_cms_signature());
}

TEST_CASE("signature_layout lists the fields that re-signing rewrites, at absolute offsets") {
  Bytes thin = thin_arm64();
  put_name(thin, 40, "__LINKEDIT");  // the segment command's name; its section keeps __DATA_CONST
  const buildinfo::SignatureLayout layout = slice_at(thin, 0, thin.size()).signature_layout();
  CHECK(layout.present);
  CHECK(layout.data_offset == kSignatureOffset);
  CHECK(layout.data_size == thin.size() - kSignatureOffset);
  using Field = std::pair<uint64_t, uint64_t>;
  CHECK(layout.rewritten_fields == std::vector<Field>{{184 + 8, 8}, {32 + 32, 8}, {32 + 48, 8}});

  const Bytes b = fat({{0x0100000c, thin_arm64()}});
  const buildinfo::SignatureLayout in_fat = slice_at(b, 4096, b.size() - 4096).signature_layout();
  CHECK(in_fat.data_offset == 4096 + kSignatureOffset);
  CHECK(in_fat.rewritten_fields == std::vector<Field>{{4096 + 184 + 8, 8}});

  const Bytes unsigned_file = thin_arm64({false});
  CHECK_FALSE(slice_at(unsigned_file, 0, unsigned_file.size()).signature_layout().present);
}
