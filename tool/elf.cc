// ELF reader: target facts, the buildinfo note, GNU build-id and .comment.
// Field offsets from the System V gABI, "ELF Header" and "Sections":
// https://www.sco.com/developers/gabi/latest/ch4.eheader.html
#include <algorithm>
#include <cstring>
#include <optional>

#include "binary_format.h"
#include "hex.h"
#include "buildinfo/slot_layout.h"
#include "slot_codec.h"

namespace buildinfo::elf {
namespace {

constexpr uint8_t kClass32 = 1, kClass64 = 2;
constexpr uint8_t kDataLittle = 1, kDataBig = 2;
constexpr uint32_t kPtLoad = 1, kPtNote = 4;
constexpr uint32_t kShtNobits = 8;
constexpr uint32_t kNtGnuBuildId = 3, kNtGnuAbiTag = 1;
constexpr uint64_t kMaxNameLength = 4096;

struct Header {
  bool is64;
  Endian endian;
  uint8_t osabi;
  uint16_t machine;
  uint64_t phoff, shoff;
  uint16_t phentsize, phnum, shentsize, shnum, shstrndx;
};

struct SectionHeader {
  std::string name;
  uint32_t type;
  uint64_t offset, size, addralign;
};

struct ProgramHeader {
  uint32_t type;
  uint64_t offset, vaddr, filesz, memsz, align;
};

struct Note {
  uint64_t offset;  // file offset of the note header
  uint32_t namesz;
  std::string owner;
  uint32_t type;
  ByteView desc;
};

Header read_header(ByteView f) {
  Header h{};
  const uint8_t elf_class = f.le<uint8_t>(4, "ELF class");
  const uint8_t data = f.le<uint8_t>(5, "ELF data encoding");
  if (elf_class != kClass32 && elf_class != kClass64) throw malformed("ELF class " + std::to_string(elf_class) + " is invalid");
  if (data != kDataLittle && data != kDataBig) throw malformed("ELF data encoding " + std::to_string(data) + " is invalid");
  h.is64 = elf_class == kClass64;
  h.endian = data == kDataLittle ? Endian::little : Endian::big;
  h.osabi = f.le<uint8_t>(7, "ELF OS/ABI");
  h.machine = f.read<uint16_t>(18, h.endian, "e_machine");
  if (h.is64) {
    h.phoff = f.read<uint64_t>(32, h.endian, "e_phoff");
    h.shoff = f.read<uint64_t>(40, h.endian, "e_shoff");
    h.phentsize = f.read<uint16_t>(54, h.endian, "e_phentsize");
    h.phnum = f.read<uint16_t>(56, h.endian, "e_phnum");
    h.shentsize = f.read<uint16_t>(58, h.endian, "e_shentsize");
    h.shnum = f.read<uint16_t>(60, h.endian, "e_shnum");
    h.shstrndx = f.read<uint16_t>(62, h.endian, "e_shstrndx");
  } else {
    h.phoff = f.read<uint32_t>(28, h.endian, "e_phoff");
    h.shoff = f.read<uint32_t>(32, h.endian, "e_shoff");
    h.phentsize = f.read<uint16_t>(42, h.endian, "e_phentsize");
    h.phnum = f.read<uint16_t>(44, h.endian, "e_phnum");
    h.shentsize = f.read<uint16_t>(46, h.endian, "e_shentsize");
    h.shnum = f.read<uint16_t>(48, h.endian, "e_shnum");
    h.shstrndx = f.read<uint16_t>(50, h.endian, "e_shstrndx");
  }
  return h;
}

std::vector<ProgramHeader> read_program_headers(ByteView f, const Header& h) {
  std::vector<ProgramHeader> out;
  if (h.phnum == 0) return out;
  const uint64_t min_size = h.is64 ? 56 : 32;
  if (h.phentsize < min_size) throw malformed("e_phentsize " + std::to_string(h.phentsize) + " is too small");
  // Checks the whole table against the file before the loop, so a hostile
  // e_phnum cannot make it run past the data.
  ByteView table = f.sub(h.phoff, checked_mul(h.phnum, h.phentsize, "program header table"), "program header table (e_phoff or e_phnum corrupted)");
  for (uint64_t i = 0; i < h.phnum; ++i) {
    const uint64_t at = i * h.phentsize;
    ProgramHeader p{};
    p.type = table.read<uint32_t>(at, h.endian, "p_type");
    if (h.is64) {
      p.offset = table.read<uint64_t>(at + 8, h.endian, "p_offset");
      p.vaddr = table.read<uint64_t>(at + 16, h.endian, "p_vaddr");
      p.filesz = table.read<uint64_t>(at + 32, h.endian, "p_filesz");
      p.memsz = table.read<uint64_t>(at + 40, h.endian, "p_memsz");
      p.align = table.read<uint64_t>(at + 48, h.endian, "p_align");
    } else {
      p.offset = table.read<uint32_t>(at + 4, h.endian, "p_offset");
      p.vaddr = table.read<uint32_t>(at + 8, h.endian, "p_vaddr");
      p.filesz = table.read<uint32_t>(at + 16, h.endian, "p_filesz");
      p.memsz = table.read<uint32_t>(at + 20, h.endian, "p_memsz");
      p.align = table.read<uint32_t>(at + 28, h.endian, "p_align");
    }
    // A loadable segment cut off by truncation would be stamped yet not load.
    // One with no file bytes (pure .bss) may name any offset, even past EOF.
    if (p.type == kPtLoad && p.filesz != 0 && !f.contains(p.offset, p.filesz))
      throw malformed("PT_LOAD segment " + std::to_string(i) + " (offset " + std::to_string(p.offset) + ", size " +
                      std::to_string(p.filesz) + ") lies outside the file (truncated?)");
    out.push_back(p);
  }
  return out;
}

std::vector<SectionHeader> read_section_headers(ByteView f, const Header& h) {
  std::vector<SectionHeader> out;
  if (h.shoff == 0 || h.shnum == 0) return out;  // stripped of section headers
  const uint64_t min_size = h.is64 ? 64 : 40;
  if (h.shentsize < min_size) throw malformed("e_shentsize " + std::to_string(h.shentsize) + " is too small");
  ByteView table = f.sub(h.shoff, checked_mul(h.shnum, h.shentsize, "section header table"), "section header table (e_shoff or e_shnum corrupted)");
  std::vector<uint32_t> name_offsets;
  for (uint64_t i = 0; i < h.shnum; ++i) {
    const uint64_t at = i * h.shentsize;
    SectionHeader s{};
    name_offsets.push_back(table.read<uint32_t>(at, h.endian, "sh_name"));
    s.type = table.read<uint32_t>(at + 4, h.endian, "sh_type");
    if (h.is64) {
      s.offset = table.read<uint64_t>(at + 24, h.endian, "sh_offset");
      s.size = table.read<uint64_t>(at + 32, h.endian, "sh_size");
      s.addralign = table.read<uint64_t>(at + 48, h.endian, "sh_addralign");
    } else {
      s.offset = table.read<uint32_t>(at + 16, h.endian, "sh_offset");
      s.size = table.read<uint32_t>(at + 20, h.endian, "sh_size");
      s.addralign = table.read<uint32_t>(at + 32, h.endian, "sh_addralign");
    }
    out.push_back(s);
  }
  if (h.shstrndx >= out.size()) throw malformed("e_shstrndx " + std::to_string(h.shstrndx) + " is out of range");
  const SectionHeader& strtab = out[h.shstrndx];
  ByteView names = f.sub(strtab.offset, strtab.size, "section name table");
  for (size_t i = 0; i < out.size(); ++i)
    if (name_offsets[i] < names.size()) out[i].name = names.cstring(name_offsets[i], kMaxNameLength, "section name");
  return out;
}

// How a PT_NOTE segment's notes are padded (gABI, "Note Section"). Linux
// pads name and descriptor to 4 bytes, 64-bit objects included, and only
// .note.gnu.property to 8; mold 1.10 merges both kinds into one PT_NOTE
// with p_align 8, where padding every note to 8 bytes loses its way after a
// 36-byte NT_GNU_BUILD_ID. So a segment is read with 4-byte padding (as
// LLVM 14's Elf_Nhdr_Impl reads every segment), skipping in an 8-aligned
// segment the 4 zero bytes of fill before an 8-aligned note (a header at 4
// mod 8 with namesz 0); and, only to find the slot when that fails, a
// segment with p_align 8 again with the gABI's 8-byte padding. The runtime
// walks segments by exactly these rules (lib/src/elf_loaded_notes.c, which
// explains them), so that the tool finds a slot where the program does.
enum class NotePadding { four_skipping_fill, eight };

struct NoteSegment {
  ByteView bytes;        // the segment's file bytes, min(p_filesz, p_memsz)
  uint64_t offset;       // p_offset
  bool eight_aligned;    // p_align == 8
  bool mapped;           // inside the file bytes of a PT_LOAD segment, at the same place in memory
};

std::vector<Note> read_notes(const NoteSegment& segment, NotePadding padding, Endian endian) {
  const uint64_t align = padding == NotePadding::eight ? 8 : 4;
  const ByteView range = segment.bytes;
  std::vector<Note> notes;
  uint64_t at = 0;
  while (range.size() - at >= 12) {
    const uint64_t namesz = range.read<uint32_t>(at, endian, "note namesz");
    const uint64_t descsz = range.read<uint32_t>(at + 4, endian, "note descsz");
    if (padding == NotePadding::four_skipping_fill && segment.eight_aligned && at % 8 == 4 && namesz == 0) {
      at += 4;  // fill before an 8-aligned note section
      continue;
    }
    Note n{};
    n.offset = segment.offset + at;
    n.namesz = static_cast<uint32_t>(namesz);
    n.type = range.read<uint32_t>(at + 8, endian, "note type");
    const uint64_t name_at = at + 12;
    const uint64_t desc_at = (name_at + namesz + align - 1) / align * align;
    if (!range.contains(name_at, namesz) || !range.contains(desc_at, descsz)) break;  // trailing padding or junk
    n.owner = range.fixed_string(name_at, namesz, "note name");
    n.desc = range.sub(desc_at, descsz, "note desc");
    notes.push_back(n);
    // The last note may lack its padding (lld does not pad an odd-sized one).
    const uint64_t next = (desc_at + descsz + align - 1) / align * align;
    if (next <= at) break;
    at = next;
  }
  return notes;
}

bool is_slot_note(const Note& n) {
  return n.namesz == BUILDINFO_NOTE_NAME_SIZE && n.owner == BUILDINFO_NOTE_NAME && n.type == BUILDINFO_NOTE_TYPE;
}

// The buildinfo note the runtime reads in memory: the first one found in
// the PT_NOTE segments in program-header order, each walked with 4-byte
// padding, then (p_align 8) with 8-byte padding.
std::optional<Note> loaded_slot_note(const std::vector<NoteSegment>& segments, Endian endian) {
  for (const NoteSegment& segment : segments) {
    if (!segment.mapped) continue;
    for (NotePadding padding : {NotePadding::four_skipping_fill, NotePadding::eight}) {
      if (padding == NotePadding::eight && !segment.eight_aligned) continue;
      for (const Note& n : read_notes(segment, padding, endian))
        if (is_slot_note(n)) return n;
    }
  }
  return std::nullopt;
}

std::string arch_name(uint16_t machine, bool is64) {
  switch (machine) {
    case 62: return "amd64";            // EM_X86_64
    case 3: return "x86";               // EM_386
    case 183: return "arm64";           // EM_AARCH64
    case 40: return "arm32";            // EM_ARM
    case 20: return "ppc32";            // EM_PPC
    case 21: return "ppc64";            // EM_PPC64
    case 22: return is64 ? "s390x" : "s390";  // EM_S390
    case 50: return "ia64";             // EM_IA_64
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

bool matches(ByteView file) {
  return file.size() >= 4 && std::memcmp(file.data(), "\x7f" "ELF", 4) == 0;
}

BinaryFacts scan(ByteView f) {
  const Header h = read_header(f);
  const std::vector<ProgramHeader> segments = read_program_headers(f, h);
  const std::vector<SectionHeader> sections = read_section_headers(f, h);

  BinaryFacts facts;
  facts.format = "elf";

  // Notes from PT_NOTE segments: present even when section headers are gone.
  std::vector<NoteSegment> note_segments;
  for (const ProgramHeader& p : segments) {
    const uint64_t size = std::min(p.filesz, p.memsz);
    if (p.type != kPtNote || !f.contains(p.offset, size)) continue;
    bool mapped = false;
    for (const ProgramHeader& load : segments)
      mapped = mapped || (load.type == kPtLoad && p.offset >= load.offset && p.offset - load.offset <= load.filesz &&
                          size <= load.filesz - (p.offset - load.offset) &&
                          p.vaddr - load.vaddr == p.offset - load.offset);
    note_segments.push_back(NoteSegment{f.sub(p.offset, size, "PT_NOTE segment"), p.offset, p.align == 8, mapped});
  }
  std::vector<Note> notes;
  for (const NoteSegment& segment : note_segments)
    for (const Note& n : read_notes(segment, NotePadding::four_skipping_fill, h.endian)) notes.push_back(n);
  for (const SectionHeader& s : sections) {
    if (s.name == ".comment" && s.type != kShtNobits)
      facts.compiler_comments = split_comment(f.sub(s.offset, s.size, ".comment section"));
  }
  for (const Note& n : notes) {
    if (n.owner == "GNU" && n.type == kNtGnuBuildId && !facts.gnu_build_id) facts.gnu_build_id = hex(n.desc.data(), n.desc.size());
  }

  Slice slice{0, f.size(), Target{os_name(h.osabi, notes), arch_name(h.machine, h.is64), "elf"}, false};
  facts.slices.push_back(slice);

  // FORMAT.md: the slot is the section .note.buildinfo, in a PT_NOTE
  // segment, where the runtime finds it in memory. A section outside every
  // PT_NOTE segment (added after linking, by objcopy --add-section) is still
  // reported, marked as one the program cannot read.
  const std::optional<Note> loaded = loaded_slot_note(note_segments, h.endian);
  for (const SectionHeader& s : sections) {
    if (s.name != BUILDINFO_ELF_SECTION) continue;
    if (s.type == kShtNobits) throw malformed(std::string("section ") + BUILDINFO_ELF_SECTION + " has no file contents");
    SlotLocation slot = locate_slot_in_section(f, s.name, s.offset, s.size, h.endian);
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
                                               BUILDINFO_NOTE_HEADER_SIZE + loaded->desc.size(), h.endian);
    slot.target = slice.target;
    facts.slots.push_back(slot);
  }
  return facts;
}

}  // namespace buildinfo::elf
