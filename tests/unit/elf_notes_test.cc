// Walking PT_NOTE segments: the runtime (lib/src/elf_loaded_notes.c, in
// memory) and the tool (tool/formats/elf/elf_image.cc, in the file), both through
// lib/src/elf_note_walk.c, find the slot note in the same places: segments
// with p_align 4, a p_align 8 segment that holds 8- and 4-aligned notes as
// mold 1.10 links them (with and without the fill before an 8-aligned
// note), one padded strictly by the gABI's 8-byte rule, and one whose last
// note lacks its padding. A .note.buildinfo section outside the PT_NOTE
// segments, or in one that no PT_LOAD maps, is reported as not loaded.
#include <doctest/doctest.h>

#include <cstring>
#include <string>
#include <vector>

#include "buildinfo/slot_layout.h"
#include "formats/binary_image.h"
#include "formats/slot_codec.h"

extern "C" {
#include "../../lib/src/elf_loaded_notes.h"
}

namespace {

using Bytes = std::vector<uint8_t>;

constexpr uint32_t kCapacity = 256;
constexpr uint64_t kNotes = 0x100;  // file offset (and address) of the PT_NOTE segment
constexpr uint32_t kPtLoad = 1, kPtNote = 4;

void put(Bytes& b, uint64_t at, uint64_t value, unsigned size) {
  if (b.size() < at + size) b.resize(at + size, 0);
  for (unsigned i = 0; i < size; ++i) b[at + i] = static_cast<uint8_t>(value >> (8 * i));
}

// A note at `at` (relative to the segment) with the name and descriptor
// padded to `padding` bytes; returns where the next note starts.
uint64_t put_note(Bytes& notes, uint64_t at, const std::string& name, uint32_t type, const Bytes& desc,
                  uint64_t padding) {
  const auto align = [padding](uint64_t v) { return (v + padding - 1) / padding * padding; };
  put(notes, at, name.size() + 1, 4);
  put(notes, at + 4, desc.size(), 4);
  put(notes, at + 8, type, 4);
  const uint64_t desc_at = align(at + 12 + name.size() + 1);
  if (notes.size() < desc_at + desc.size()) notes.resize(desc_at + desc.size(), 0);
  std::memcpy(notes.data() + at + 12, name.c_str(), name.size() + 1);
  std::copy(desc.begin(), desc.end(), notes.begin() + static_cast<std::ptrdiff_t>(desc_at));
  const uint64_t next = align(desc_at + desc.size());
  if (notes.size() < next) notes.resize(next, 0);
  return next;
}

Bytes build_id() {
  Bytes id(20);
  for (size_t i = 0; i < id.size(); ++i) id[i] = static_cast<uint8_t>(0xa0 + i);
  return id;
}

// NT_GNU_BUILD_ID: 36 bytes, so the next 4-aligned note starts 4 bytes past
// an 8-byte boundary.
uint64_t put_build_id(Bytes& notes, uint64_t at) { return put_note(notes, at, "GNU", 3, build_id(), 4); }

// NT_GNU_PROPERTY_TYPE_0 as 64-bit objects carry it: 8-aligned, 32 bytes.
uint64_t put_property(Bytes& notes, uint64_t at) {
  Bytes desc(16, 0);
  put(desc, 0, 0xc0008002, 4);  // GNU_PROPERTY_X86_ISA_1_NEEDED
  put(desc, 4, 4, 4);
  put(desc, 8, 1, 4);
  return put_note(notes, at, "GNU", 5, desc, 8);
}

// The slot note: its header and an empty slot.
uint64_t put_slot(Bytes& notes, uint64_t at) {
  return put_note(notes, at, BUILDINFO_NOTE_NAME, BUILDINFO_NOTE_TYPE, buildinfo::encode_slot(kCapacity, {}), 4);
}

struct Segment {
  uint32_t type;
  uint64_t offset, size, align;
};

// A 64-bit little-endian ELF file: the header, the program headers, the
// notes at kNotes, then `tail` bytes; section headers only when `sections`
// lists (name, offset, size) entries.
struct Section {
  std::string name;
  uint64_t offset, size;
};

Bytes make_elf(const Bytes& notes, const std::vector<Segment>& segments, const std::vector<Section>& sections = {},
               uint64_t tail = 0) {
  Bytes b(kNotes, 0);
  std::memcpy(b.data(),
              "\x7f"
              "ELF",
              4);
  b[4] = 2;  // ELFCLASS64
  b[5] = 1;  // ELFDATA2LSB
  b[6] = 1;
  put(b, 16, 3, 2);   // ET_DYN
  put(b, 18, 62, 2);  // EM_X86_64
  put(b, 20, 1, 4);
  put(b, 32, 64, 8);  // e_phoff
  put(b, 52, 64, 2);
  put(b, 54, 56, 2);
  put(b, 56, segments.size(), 2);
  for (size_t i = 0; i < segments.size(); ++i) {
    const uint64_t at = 64 + i * 56;
    const Segment& s = segments[i];
    put(b, at, s.type, 4);
    put(b, at + 4, 4, 4);  // PF_R
    put(b, at + 8, s.offset, 8);
    put(b, at + 16, s.offset, 8);  // p_vaddr
    put(b, at + 24, s.offset, 8);
    put(b, at + 32, s.size, 8);
    put(b, at + 40, s.size, 8);
    put(b, at + 48, s.align, 8);
  }
  b.insert(b.end(), notes.begin(), notes.end());
  b.resize(b.size() + tail, 0);
  if (sections.empty()) return b;
  std::string names(1, '\0');
  std::vector<uint32_t> name_offsets;
  for (const Section& s : sections) {
    name_offsets.push_back(static_cast<uint32_t>(names.size()));
    names += s.name + '\0';
  }
  const uint32_t strtab_name = static_cast<uint32_t>(names.size());
  names += ".shstrtab";
  names += '\0';
  const uint64_t strtab = b.size();
  b.insert(b.end(), names.begin(), names.end());
  const uint64_t shoff = (b.size() + 7) / 8 * 8;
  const uint64_t count = sections.size() + 2;
  b.resize(shoff + count * 64, 0);
  put(b, 40, shoff, 8);
  put(b, 58, 64, 2);
  put(b, 60, count, 2);
  put(b, 62, count - 1, 2);  // e_shstrndx: the last one
  for (size_t i = 0; i < sections.size(); ++i) {
    const uint64_t at = shoff + (i + 1) * 64;
    put(b, at, name_offsets[i], 4);
    put(b, at + 4, 7, 4);  // SHT_NOTE
    put(b, at + 8, 2, 8);  // SHF_ALLOC
    put(b, at + 24, sections[i].offset, 8);
    put(b, at + 32, sections[i].size, 8);
    put(b, at + 48, 4, 8);
  }
  const uint64_t at = shoff + (count - 1) * 64;
  put(b, at, strtab_name, 4);
  put(b, at + 4, 3, 4);  // SHT_STRTAB
  put(b, at + 24, strtab, 8);
  put(b, at + 32, names.size(), 8);
  return b;
}

// A PT_LOAD over the whole file and the PT_NOTE over the notes.
std::vector<Segment> loaded_notes(const Bytes& notes, uint64_t note_align, uint64_t extra = 0) {
  return {{kPtLoad, 0, kNotes + notes.size() + extra, 0x1000}, {kPtNote, kNotes, notes.size(), note_align}};
}

// What the runtime finds in memory: the file's bytes stand for the loaded
// image (p_vaddr equals p_offset, dlpi_addr is the buffer).
std::ptrdiff_t runtime_slot_offset(const Bytes& file, const std::vector<Segment>& segments) {
  std::vector<ElfW(Phdr)> phdrs;
  for (const Segment& s : segments) {
    ElfW(Phdr) p{};
    p.p_type = s.type;
    p.p_offset = s.offset;
    p.p_vaddr = s.offset;
    p.p_filesz = s.size;
    p.p_memsz = s.size;
    p.p_align = s.align;
    phdrs.push_back(p);
  }
  dl_phdr_info info{};
  info.dlpi_addr = reinterpret_cast<ElfW(Addr)>(file.data());
  info.dlpi_phdr = phdrs.data();
  info.dlpi_phnum = static_cast<ElfW(Half)>(phdrs.size());
  buildinfo_note_contents found{};
  if (!buildinfo_find_loaded_note(&info, BUILDINFO_NOTE_NAME, BUILDINFO_NOTE_NAME_SIZE, BUILDINFO_NOTE_TYPE, &found))
    return -1;
  CHECK(found.size == kCapacity);
  return found.desc - file.data();
}

// The slot offset the tool finds without section headers, or -1.
int64_t tool_slot_offset(const Bytes& file) {
  const buildinfo::BinaryFacts facts = buildinfo::scan_binary(buildinfo::ByteView(file.data(), file.size())).facts();
  if (facts.slots.empty()) return -1;
  REQUIRE(facts.slots.size() == 1);
  CHECK(facts.slots[0].not_loaded.empty());
  return static_cast<int64_t>(facts.slots[0].slot_offset);
}

}  // namespace

TEST_CASE("PT_NOTE walk: runtime and tool find the slot after notes of either alignment") {
  struct Layout {
    const char* what;
    Bytes notes;
    uint64_t slot;  // offset of the slot note in the segment
    uint64_t align;
  };
  std::vector<Layout> layouts;
  {
    Bytes n;
    const uint64_t slot = put_build_id(n, 0);
    put_slot(n, slot);
    layouts.push_back({"GNU ld, lld: 4-aligned notes in a p_align 4 segment", n, slot, 4});
  }
  {
    // mold 1.10: .note.gnu.property, .note.gnu.build-id, .note.ABI-tag,
    // .note.buildinfo in one segment with p_align 8.
    Bytes n;
    uint64_t at = put_property(n, 0);
    at = put_build_id(n, at);
    at = put_note(n, at, "GNU", 1, Bytes{0, 0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0}, 4);
    REQUIRE(at % 8 == 4);
    put_slot(n, at);
    layouts.push_back({"mold: an 8-aligned note, then 4-aligned ones, p_align 8", n, at, 8});
  }
  {
    // An 8-aligned note after a 36-byte one: 4 bytes of fill come between.
    Bytes n;
    uint64_t at = put_build_id(n, 0);
    REQUIRE(at == 36);
    at = put_property(n, 40);
    at = put_build_id(n, at);
    put_slot(n, at);
    layouts.push_back({"an 8-aligned note after the fill that follows a 4-aligned one, p_align 8", n, at, 8});
  }
  {
    // Strictly by the gABI's 8-byte rule: a name of 8 bytes puts the
    // descriptor at 24, not 20, and a 4-byte descriptor is padded to 8.
    Bytes n;
    const uint64_t at = put_note(n, 0, "FreeBSD", 1, Bytes{1, 0, 0, 0}, 8);
    REQUIRE(at == 32);
    put_slot(n, at);
    layouts.push_back({"notes padded to 8 bytes as the gABI says, p_align 8", n, at, 8});
  }
  for (const Layout& l : layouts) {
    CAPTURE(l.what);
    const std::vector<Segment> segments = loaded_notes(l.notes, l.align);
    const Bytes file = make_elf(l.notes, segments);
    const uint64_t slot_offset = kNotes + l.slot + BUILDINFO_NOTE_HEADER_SIZE;
    CHECK(runtime_slot_offset(file, segments) == static_cast<std::ptrdiff_t>(slot_offset));
    CHECK(tool_slot_offset(file) == static_cast<int64_t>(slot_offset));
  }
}

TEST_CASE("PT_NOTE walk: 8-byte padding everywhere would miss mold's layout") {
  // The layout that broke the walk before: with every note padded to 8, the
  // 36-byte build-id note ends at 40 and the walk reads the next header 4
  // bytes late. Both readers also report the build-id read in this layout.
  Bytes n;
  uint64_t at = put_property(n, 0);
  at = put_build_id(n, at);
  put_slot(n, at);
  const std::vector<Segment> segments = loaded_notes(n, 8);
  const Bytes file = make_elf(n, segments);
  CHECK(runtime_slot_offset(file, segments) == static_cast<std::ptrdiff_t>(kNotes + at + BUILDINFO_NOTE_HEADER_SIZE));
  const buildinfo::BinaryFacts facts = buildinfo::scan_binary(buildinfo::ByteView(file.data(), file.size())).facts();
  REQUIRE(facts.gnu_build_id);
  CHECK(*facts.gnu_build_id == "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3");
}

TEST_CASE("PT_NOTE walk: runtime and tool end the segment at a last note without its padding") {
  // lld does not pad an odd-sized last note: the segment ends 3 bytes short
  // of a 4-byte boundary, and both walks stop there without reading past it.
  Bytes n;
  const uint64_t after_slot = put_slot(n, 0);
  put_note(n, after_slot, "GNU", 99, Bytes{1}, 4);
  n.resize(n.size() - 3);
  REQUIRE(n.size() % 4 == 1);
  const std::vector<Segment> segments = loaded_notes(n, 4);
  const Bytes file = make_elf(n, segments);
  const uint64_t slot_offset = kNotes + BUILDINFO_NOTE_HEADER_SIZE;
  CHECK(runtime_slot_offset(file, segments) == static_cast<std::ptrdiff_t>(slot_offset));
  CHECK(tool_slot_offset(file) == static_cast<int64_t>(slot_offset));
}

TEST_CASE("a .note.buildinfo section is loaded only where the runtime reads it") {
  Bytes n;
  const uint64_t slot = put_build_id(n, 0);
  put_slot(n, slot);
  const uint64_t note_size = BUILDINFO_NOTE_HEADER_SIZE + kCapacity;

  SUBCASE("in the PT_NOTE segment: loaded") {
    const Bytes file = make_elf(n, loaded_notes(n, 4), {{".note.buildinfo", kNotes + slot, note_size}});
    const buildinfo::BinaryFacts facts = buildinfo::scan_binary(buildinfo::ByteView(file.data(), file.size())).facts();
    REQUIRE(facts.slots.size() == 1);
    CHECK(facts.slots[0].section == ".note.buildinfo");
    CHECK(facts.slots[0].not_loaded.empty());
  }
  SUBCASE("added after the segments (objcopy --add-section): not loaded") {
    // A second copy of the note after the PT_NOTE segment, in no segment.
    Bytes extended = n;
    const uint64_t outside = extended.size();
    put_slot(extended, outside);
    const Bytes file = make_elf(extended, loaded_notes(n, 4), {{".note.buildinfo", kNotes + outside, note_size}});
    const buildinfo::BinaryFacts facts = buildinfo::scan_binary(buildinfo::ByteView(file.data(), file.size())).facts();
    REQUIRE(facts.slots.size() == 1);
    CHECK(facts.slots[0].not_loaded == "outside every PT_NOTE segment");
  }
  SUBCASE("in a PT_NOTE segment that no PT_LOAD maps: not loaded") {
    const std::vector<Segment> segments = {{kPtLoad, 0, kNotes, 0x1000}, {kPtNote, kNotes, n.size(), 4}};
    const Bytes file = make_elf(n, segments, {{".note.buildinfo", kNotes + slot, note_size}});
    const buildinfo::BinaryFacts facts = buildinfo::scan_binary(buildinfo::ByteView(file.data(), file.size())).facts();
    REQUIRE(facts.slots.size() == 1);
    CHECK(facts.slots[0].not_loaded == "in a PT_NOTE segment that no PT_LOAD segment maps");
    CHECK(runtime_slot_offset(file, segments) == -1);  // nor does the runtime read an unmapped segment
  }
}
