// ELF reader: target facts, the buildinfo note, GNU build-id, .comment and
// the image digest plan, from one read of the headers.
// Field offsets from the System V gABI, "ELF Header", "Program Header" and
// "Sections": https://www.sco.com/developers/gabi/latest/ch4.eheader.html
#include "formats/elf/elf_image.h"

#include <algorithm>
#include <cstring>
#include <optional>

#include "buildinfo/slot_layout.h"
#include "formats/slot_codec.h"
#include "support/hex.h"

#include "../../../lib/src/elf_note_walk.h"

namespace buildinfo {
namespace {

// e_ident (the same in both classes).
constexpr uint64_t kEiClass = 4, kEiData = 5, kEiOsAbi = 7;
constexpr uint8_t kClass32 = 1, kClass64 = 2;
constexpr uint8_t kDataLittle = 1, kDataBig = 2;
constexpr uint64_t kEMachine = 18;
// PT_LOAD, PT_NOTE and NT_GNU_BUILD_ID are the runtime's (elf_note_walk.h).
constexpr uint32_t kShtNobits = 8;
constexpr uint32_t kNtGnuAbiTag = 1;
constexpr uint64_t kMaxNameLength = 4096;

// Where the fields this reader uses lie in each ELF class (gABI, Elf32_Ehdr
// and Elf64_Ehdr, Elf32_Phdr and Elf64_Phdr, Elf32_Shdr and Elf64_Shdr). The
// class picks one of these once per image: no read below branches on it.
struct ClassLayout {
  uint64_t header_size;
  Field e_phoff, e_shoff, e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx;
  uint64_t program_header_size;
  Field p_type, p_offset, p_vaddr, p_filesz, p_memsz, p_align;
  uint64_t section_header_size;
  Field sh_name, sh_type, sh_addr, sh_offset, sh_size, sh_addralign;
};

constexpr ClassLayout kElf32{52,     {28, 4}, {32, 4}, {42, 2}, {44, 2}, {46, 2}, {48, 2}, {50, 2},
                             32,     {0, 4},  {4, 4},  {8, 4},  {16, 4}, {20, 4}, {28, 4}, 40,
                             {0, 4}, {4, 4},  {12, 4}, {16, 4}, {20, 4}, {32, 4}};
constexpr ClassLayout kElf64{64,     {32, 8}, {40, 8}, {54, 2}, {56, 2}, {58, 2}, {60, 2}, {62, 2},
                             56,     {0, 4},  {8, 8},  {16, 8}, {32, 8}, {40, 8}, {48, 8}, 64,
                             {0, 4}, {4, 4},  {16, 8}, {24, 8}, {32, 8}, {48, 8}};

// e_shentsize, e_shnum and e_shstrndx are adjacent, in both classes.
static_assert(kElf32.e_shnum.offset == kElf32.e_shentsize.offset + 2 &&
                  kElf32.e_shstrndx.offset == kElf32.e_shnum.offset + 2,
              "ELFCLASS32 section header fields are adjacent");
static_assert(kElf64.e_shnum.offset == kElf64.e_shentsize.offset + 2 &&
                  kElf64.e_shstrndx.offset == kElf64.e_shnum.offset + 2,
              "ELFCLASS64 section header fields are adjacent");

// One image's class and byte order, decided once from e_ident: every field
// read goes through it.
struct Decoder {
  const ClassLayout* layout;
  Endian endian;

  uint64_t read(ByteView bytes, uint64_t base, Field field, const char* what) const {
    return bytes.field(base, field, endian, what);
  }
};

struct Header {
  Decoder decoder;
  uint8_t osabi;
  uint16_t machine;
  uint64_t phoff, shoff;
  uint16_t phentsize, phnum, shentsize, shnum, shstrndx;
};

struct SectionHeader {
  std::string name;
  uint32_t type;
  uint64_t address, offset, size, addralign;
};

struct ProgramHeader {
  uint32_t type;
  uint64_t offset, vaddr, filesz, memsz, align;
};

struct Note {
  uint64_t offset;  // file offset of the note header
  std::string owner;
  uint32_t type;
  ByteView desc;
};

Header read_header(ByteView f) {
  const uint8_t elf_class = f.le<uint8_t>(kEiClass, "ELF class");
  const uint8_t data = f.le<uint8_t>(kEiData, "ELF data encoding");
  if (elf_class != kClass32 && elf_class != kClass64)
    throw f.malformed("ELF class " + std::to_string(elf_class) + " is invalid");
  if (data != kDataLittle && data != kDataBig)
    throw f.malformed("ELF data encoding " + std::to_string(data) + " is invalid");
  Header h{};
  h.decoder = Decoder{elf_class == kClass64 ? &kElf64 : &kElf32, data == kDataLittle ? Endian::little : Endian::big};
  const Decoder& d = h.decoder;
  const ClassLayout& l = *d.layout;
  h.osabi = f.le<uint8_t>(kEiOsAbi, "ELF OS/ABI");
  h.machine = f.read<uint16_t>(kEMachine, d.endian, "e_machine");
  h.phoff = d.read(f, 0, l.e_phoff, "e_phoff");
  h.shoff = d.read(f, 0, l.e_shoff, "e_shoff");
  h.phentsize = static_cast<uint16_t>(d.read(f, 0, l.e_phentsize, "e_phentsize"));
  h.phnum = static_cast<uint16_t>(d.read(f, 0, l.e_phnum, "e_phnum"));
  h.shentsize = static_cast<uint16_t>(d.read(f, 0, l.e_shentsize, "e_shentsize"));
  h.shnum = static_cast<uint16_t>(d.read(f, 0, l.e_shnum, "e_shnum"));
  h.shstrndx = static_cast<uint16_t>(d.read(f, 0, l.e_shstrndx, "e_shstrndx"));
  return h;
}

std::vector<ProgramHeader> read_program_headers(ByteView f, const Header& h) {
  std::vector<ProgramHeader> out;
  if (h.phnum == 0) return out;
  const Decoder& d = h.decoder;
  const ClassLayout& l = *d.layout;
  if (h.phentsize < l.program_header_size)
    throw f.malformed("e_phentsize " + std::to_string(h.phentsize) + " is too small");
  // Checks the whole table against the file before the loop, so a hostile
  // e_phnum cannot make it run past the data.
  ByteView table =
      f.sub(h.phoff, saturating_mul(h.phnum, h.phentsize), "program header table (e_phoff or e_phnum corrupted)");
  for (uint64_t i = 0; i < h.phnum; ++i) {
    const uint64_t at = i * h.phentsize;
    ProgramHeader p{};
    p.type = static_cast<uint32_t>(d.read(table, at, l.p_type, "p_type"));
    p.offset = d.read(table, at, l.p_offset, "p_offset");
    p.vaddr = d.read(table, at, l.p_vaddr, "p_vaddr");
    p.filesz = d.read(table, at, l.p_filesz, "p_filesz");
    p.memsz = d.read(table, at, l.p_memsz, "p_memsz");
    p.align = d.read(table, at, l.p_align, "p_align");
    // A loadable segment cut off by truncation would be stamped yet not load.
    // One with no file bytes (pure .bss) may name any offset, even past EOF.
    if (p.type == BUILDINFO_PT_LOAD && p.filesz != 0 && !f.contains(p.offset, p.filesz))
      throw f.malformed("PT_LOAD segment " + std::to_string(i) + " (offset " + std::to_string(p.offset) + ", size " +
                        std::to_string(p.filesz) + ") lies outside the file (truncated?)");
    out.push_back(p);
  }
  return out;
}

std::vector<SectionHeader> read_section_headers(ByteView f, const Header& h) {
  std::vector<SectionHeader> out;
  if (h.shoff == 0 || h.shnum == 0) return out;  // stripped of section headers
  const Decoder& d = h.decoder;
  const ClassLayout& l = *d.layout;
  if (h.shentsize < l.section_header_size)
    throw f.malformed("e_shentsize " + std::to_string(h.shentsize) + " is too small");
  ByteView table =
      f.sub(h.shoff, saturating_mul(h.shnum, h.shentsize), "section header table (e_shoff or e_shnum corrupted)");
  std::vector<uint32_t> name_offsets;
  for (uint64_t i = 0; i < h.shnum; ++i) {
    const uint64_t at = i * h.shentsize;
    SectionHeader s{};
    name_offsets.push_back(static_cast<uint32_t>(d.read(table, at, l.sh_name, "sh_name")));
    s.type = static_cast<uint32_t>(d.read(table, at, l.sh_type, "sh_type"));
    s.address = d.read(table, at, l.sh_addr, "sh_addr");
    s.offset = d.read(table, at, l.sh_offset, "sh_offset");
    s.size = d.read(table, at, l.sh_size, "sh_size");
    s.addralign = d.read(table, at, l.sh_addralign, "sh_addralign");
    out.push_back(s);
  }
  if (h.shstrndx >= out.size()) throw f.malformed("e_shstrndx " + std::to_string(h.shstrndx) + " is out of range");
  const SectionHeader& strtab = out[h.shstrndx];
  ByteView names = f.sub(strtab.offset, strtab.size, "section name table");
  for (size_t i = 0; i < out.size(); ++i)
    if (name_offsets[i] < names.size()) out[i].name = names.cstring(name_offsets[i], kMaxNameLength, "section name");
  return out;
}

// A PT_NOTE segment's notes are walked by the rules the runtime follows in
// memory (lib/src/elf_note_walk.c explains them: 4-byte padding, skipping
// the fill before an 8-aligned note, then for p_align 8 the gABI's 8-byte
// padding), by the same code, so that the tool finds a slot exactly where
// the program does.
struct NoteSegment {
  ByteView bytes;   // the segment's file bytes, min(p_filesz, p_memsz)
  uint64_t offset;  // p_offset
  uint64_t align;   // p_align
  bool mapped;      // inside the file bytes of a PT_LOAD segment, at the same place in memory
};

buildinfo_byte_order byte_order(Endian endian) {
  return endian == Endian::little ? BUILDINFO_LITTLE_ENDIAN : BUILDINFO_BIG_ENDIAN;
}

Note to_note(const NoteSegment& segment, const buildinfo_elf_note& n) {
  return Note{segment.offset + n.offset,
              ByteView(n.name, n.name_size, &segment.bytes.source()).fixed_string(0, n.name_size, "note name"), n.type,
              ByteView(n.desc, n.desc_size, &segment.bytes.source())};
}

// Every note of the segment, walked with 4-byte padding.
std::vector<Note> read_notes(const NoteSegment& segment, Endian endian) {
  std::vector<Note> notes;
  buildinfo_note_walk walk;
  buildinfo_note_walk_start(&walk, segment.bytes.data(), segment.bytes.size(), segment.align, byte_order(endian),
                            BUILDINFO_NOTE_PAD_4_SKIPPING_FILL);
  buildinfo_elf_note n;
  while (buildinfo_note_walk_next(&walk, &n)) notes.push_back(to_note(segment, n));
  return notes;
}

// The buildinfo note the runtime reads in memory: the first one found in
// the mapped PT_NOTE segments in program-header order.
std::optional<Note> loaded_slot_note(const std::vector<NoteSegment>& segments, Endian endian) {
  for (const NoteSegment& segment : segments) {
    if (!segment.mapped) continue;
    buildinfo_elf_note n;
    if (buildinfo_find_segment_note(segment.bytes.data(), segment.bytes.size(), segment.align, byte_order(endian),
                                    BUILDINFO_NOTE_NAME, BUILDINFO_NOTE_NAME_SIZE, BUILDINFO_NOTE_TYPE, &n))
      return to_note(segment, n);
  }
  return std::nullopt;
}

std::string arch_name(uint16_t machine, bool is64) {
  switch (machine) {
    case 62: return "amd64";                        // EM_X86_64
    case 3: return "x86";                           // EM_386
    case 183: return "arm64";                       // EM_AARCH64
    case 40: return "arm32";                        // EM_ARM
    case 20: return "ppc32";                        // EM_PPC
    case 21: return "ppc64";                        // EM_PPC64
    case 22: return is64 ? "s390x" : "s390";        // EM_S390
    case 50: return "ia64";                         // EM_IA_64
    case 243: return is64 ? "riscv64" : "riscv32";  // EM_RISCV: no OpenTelemetry value yet
    default: return "elf-machine-" + std::to_string(machine);
  }
}

// EI_OSABI first; for ELFOSABI_NONE (most Linux binaries) the GNU ABI tag
// note; then the default, linux.
std::string os_name(uint8_t osabi, const std::vector<Note>& notes) {
  switch (osabi) {
    case 2: return "netbsd";
    case 3: return "linux";
    case 6: return "solaris";
    case 7: return "aix";
    case 9: return "freebsd";
    case 12: return "openbsd";
    default: break;
  }
  for (const Note& n : notes) {
    if (n.owner == "GNU" && n.type == kNtGnuAbiTag && n.desc.size() >= 4) {
      switch (n.desc.le<uint32_t>(0, "ABI tag")) {  // GNU_ABI_TAG_* values
        case 2: return "solaris";
        case 3: return "freebsd";
        default: return "linux";
      }
    }
    if (n.owner == "FreeBSD") return "freebsd";
    if (n.owner == "NetBSD") return "netbsd";
    if (n.owner == "OpenBSD") return "openbsd";
  }
  return "linux";
}

std::vector<std::string> split_comment(ByteView section) {
  std::vector<std::string> out;
  uint64_t at = 0;
  while (at < section.size()) {
    std::string s = section.cstring(at, section.size() - at, ".comment");
    at += s.size() + 1;
    if (!s.empty() && std::find(out.begin(), out.end(), s) == out.end()) out.push_back(s);
  }
  return out;
}

}  // namespace

namespace elf {

bool matches(ByteView file) {
  return file.size() >= 4 && std::memcmp(file.data(),
                                         "\x7f"
                                         "ELF",
                                         4) == 0;
}

}  // namespace elf

ElfImage ElfImage::scan(ByteView f) {
  const Header h = read_header(f);
  const std::vector<ProgramHeader> segments = read_program_headers(f, h);
  const std::vector<SectionHeader> sections = read_section_headers(f, h);
  const Endian endian = h.decoder.endian;
  const ClassLayout& layout = *h.decoder.layout;

  ElfImage image;
  BinaryFacts& facts = image.facts_;
  facts.container = Container::elf;

  // Notes from PT_NOTE segments: present even when section headers are gone.
  std::vector<NoteSegment> note_segments;
  for (const ProgramHeader& p : segments) {
    const uint64_t size = std::min(p.filesz, p.memsz);
    if (p.type != BUILDINFO_PT_NOTE || !f.contains(p.offset, size)) continue;
    // Where the runtime reads it (elf_loaded_notes.c): in a PT_LOAD's file
    // bytes, and at the place in memory that holds those file bytes.
    bool mapped = false;
    for (const ProgramHeader& load : segments)
      mapped = mapped || (load.type == BUILDINFO_PT_LOAD &&
                          buildinfo_in_load_file_bytes(p.offset, size, load.offset, load.filesz) &&
                          p.vaddr - load.vaddr == p.offset - load.offset);
    note_segments.push_back(NoteSegment{f.sub(p.offset, size, "PT_NOTE segment"), p.offset, p.align, mapped});
  }
  std::vector<Note> notes;
  for (const NoteSegment& segment : note_segments)
    for (const Note& n : read_notes(segment, endian)) notes.push_back(n);
  for (const SectionHeader& s : sections) {
    if (s.name == ".comment" && s.type != kShtNobits)
      facts.compiler_comments = split_comment(f.sub(s.offset, s.size, ".comment section"));
    const bool has_bytes = s.type != kShtNobits && s.size != 0 && f.contains(s.offset, s.size);
    facts.sections.push_back(SectionInfo{s.name, has_bytes ? FileRange{s.offset, s.size} : FileRange{0, 0}, s.address});
  }
  for (const Note& n : notes) {
    if (n.owner == "GNU" && n.type == BUILDINFO_NT_GNU_BUILD_ID && !facts.gnu_build_id)
      facts.gnu_build_id = hex(n.desc.data(), n.desc.size());
    // The dependency inventory, found like the slot: through PT_NOTE.
    if (n.owner == BUILDINFO_NOTE_NAME && n.type == BUILDINFO_DEPS_NOTE_TYPE && facts.dependency_spaces.empty())
      facts.dependency_spaces.push_back(DependencySpace{
          BUILDINFO_DEPS_ELF_SECTION, FileRange{static_cast<uint64_t>(n.desc.data() - f.data()), n.desc.size()}, 0});
    // UAPI.8's package notes, by owner and type as readers find them.
    if (n.owner == BUILDINFO_PACKAGE_NOTE_OWNER && n.type == BUILDINFO_PACKAGE_NOTE_TYPE)
      facts.package_notes.push_back(
          PackageNote{BUILDINFO_PACKAGE_NOTE_ELF_SECTION,
                      FileRange{static_cast<uint64_t>(n.desc.data() - f.data()), n.desc.size()}});
  }

  const bool is64 = &layout == &kElf64;
  Slice slice{0, f.size(), Target{os_name(h.osabi, notes), arch_name(h.machine, is64), Format::elf}, false};
  facts.slices.push_back(slice);

  // FORMAT.md: the slot is the section .note.buildinfo, in a PT_NOTE
  // segment, where the runtime finds it in memory. A section outside every
  // PT_NOTE segment (added after linking, by objcopy --add-section) is still
  // reported, marked as one the program cannot read.
  const std::optional<Note> loaded = loaded_slot_note(note_segments, endian);
  for (const SectionHeader& s : sections) {
    if (s.name != BUILDINFO_ELF_SECTION) continue;
    if (s.type == kShtNobits)
      throw f.malformed(std::string("section ") + BUILDINFO_ELF_SECTION + " has no file contents");
    SlotLocation slot = locate_slot_in_section(f, s.name, s.offset, s.size, endian);
    slot.target = slice.target;
    if (!loaded || loaded->offset != s.offset) {
      const NoteSegment* holder = nullptr;
      for (const NoteSegment& segment : note_segments)
        if (s.offset >= segment.offset && s.offset - segment.offset < segment.bytes.size() &&
            s.size <= segment.bytes.size() - (s.offset - segment.offset))
          holder = &segment;
      slot.not_loaded = holder == nullptr ? "outside every PT_NOTE segment"
                        : !holder->mapped ? "in a PT_NOTE segment that no PT_LOAD segment maps"
                        : loaded          ? "after another buildinfo note in the PT_NOTE segments"
                                          : "behind malformed notes in its PT_NOTE segment";
    }
    facts.slots.push_back(slot);
  }
  if (facts.slots.empty() && loaded) {
    // No section .note.buildinfo (llvm-objcopy --strip-sections removes the
    // section headers): the slot is the note the runtime reads.
    SlotLocation slot = locate_slot_in_section(f, "PT_NOTE buildinfo", loaded->offset,
                                               BUILDINFO_NOTE_HEADER_SIZE + loaded->desc.size(), endian);
    slot.target = slice.target;
    facts.slots.push_back(slot);
  }

  // What the image digest covers and zeroes (FORMAT.md): the header by its
  // class (not e_ehsize, which the header bytes cover), the program header
  // table ((0, 0) without program headers, whatever e_phoff holds), every
  // PT_LOAD; e_shoff, and e_shentsize, e_shnum and e_shstrndx. `strip`,
  // `objcopy --strip-debug` and `llvm-strip` rewrite only those fields of
  // the covered ranges, and bytes outside them (checked with GNU
  // strip/objcopy 2.40, llvm-strip 14; gcc, clang, lld and gold output;
  // x86_64 and aarch64).
  image.header_size_ = layout.header_size;
  image.program_header_table_ = h.phnum == 0 ? FileRange{0, 0} : FileRange{h.phoff, uint64_t{h.phnum} * h.phentsize};
  for (const ProgramHeader& p : segments)
    if (p.type == BUILDINFO_PT_LOAD) image.loads_.push_back(FileRange{p.offset, p.filesz});
  image.rewritten_by_strip_ = {FileRange{layout.e_shoff.offset, layout.e_shoff.size},
                               FileRange{layout.e_shentsize.offset, layout.e_shstrndx.offset + layout.e_shstrndx.size -
                                                                        layout.e_shentsize.offset}};
  return image;
}

// The offset and length before each range bind it to its place, so bytes
// cannot be moved between ranges unnoticed.
DigestPlan ElfImage::digest_plan(const SlotLocation& slot) const {
  DigestPlan plan;
  plan.framed = true;
  plan.slot = FileRange{slot.slot_offset, slot.capacity};
  plan.zeroed = rewritten_by_strip_;
  plan.ranges.push_back({0, header_size_, "ELF header"});
  plan.ranges.push_back({program_header_table_.offset, program_header_table_.length, "program header table"});
  for (const FileRange& load : loads_) plan.ranges.push_back({load.offset, load.length, "PT_LOAD segment"});
  return plan;
}

}  // namespace buildinfo
