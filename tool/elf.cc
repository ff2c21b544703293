// ELF reader: target facts, the buildinfo note, GNU build-id and .comment.
// Field offsets from the System V gABI, "ELF Header" and "Sections":
// https://www.sco.com/developers/gabi/latest/ch4.eheader.html
#include <algorithm>
#include <cstring>

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
  uint64_t offset, filesz, align;
};

struct Note {
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
      p.filesz = table.read<uint64_t>(at + 32, h.endian, "p_filesz");
      p.align = table.read<uint64_t>(at + 48, h.endian, "p_align");
    } else {
      p.offset = table.read<uint32_t>(at + 4, h.endian, "p_offset");
      p.filesz = table.read<uint32_t>(at + 16, h.endian, "p_filesz");
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

// Walks the notes in `range`; desc is aligned to `align` (4 or 8), as LLVM
// reads it (llvm include/llvm/Object/ELFTypes.h, Elf_Note_Iterator; FORMAT.md).
std::vector<Note> read_notes(ByteView range, uint64_t align, Endian endian) {
  if (align != 8) align = 4;
  std::vector<Note> notes;
  uint64_t at = 0;
  while (range.size() - at >= 12) {
    const uint64_t namesz = range.read<uint32_t>(at, endian, "note namesz");
    const uint64_t descsz = range.read<uint32_t>(at + 4, endian, "note descsz");
    Note n{};
    n.type = range.read<uint32_t>(at + 8, endian, "note type");
    const uint64_t name_at = at + 12;
    const uint64_t desc_at = (name_at + namesz + align - 1) / align * align;
    if (!range.contains(name_at, namesz) || !range.contains(desc_at, descsz)) break;  // trailing padding or junk
    n.owner = range.fixed_string(name_at, namesz, "note name");
    n.desc = range.sub(desc_at, descsz, "note desc");
    notes.push_back(n);
    const uint64_t next = (desc_at + descsz + align - 1) / align * align;
    if (next <= at) break;
    at = next;
  }
  return notes;
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
  std::vector<Note> notes;
  for (const ProgramHeader& p : segments) {
    if (p.type != kPtNote || !f.contains(p.offset, p.filesz)) continue;
    for (const Note& n : read_notes(f.sub(p.offset, p.filesz, "PT_NOTE segment"), p.align, h.endian)) notes.push_back(n);
  }
  for (const SectionHeader& s : sections) {
    if (s.name == ".comment" && s.type != kShtNobits)
      facts.compiler_comments = split_comment(f.sub(s.offset, s.size, ".comment section"));
  }
  for (const Note& n : notes) {
    if (n.owner == "GNU" && n.type == kNtGnuBuildId && !facts.gnu_build_id) facts.gnu_build_id = hex(n.desc.data(), n.desc.size());
  }

  Slice slice{0, f.size(), Target{os_name(h.osabi, notes), arch_name(h.machine, h.is64), "elf"}, false};
  facts.slices.push_back(slice);

  for (const SectionHeader& s : sections) {
    if (s.name != BUILDINFO_ELF_SECTION) continue;
    if (s.type == kShtNobits) throw malformed(std::string("section ") + BUILDINFO_ELF_SECTION + " has no file contents");
    SlotLocation slot = locate_slot_in_section(f, s.name, s.offset, s.size, h.endian);
    slot.target = slice.target;
    facts.slots.push_back(slot);
  }
  if (facts.slots.empty() && sections.empty()) {
    // No section headers: find the note through PT_NOTE.
    for (const Note& n : notes) {
      if (n.owner != BUILDINFO_NOTE_NAME || n.type != BUILDINFO_NOTE_TYPE) continue;
      const uint64_t note_offset = static_cast<uint64_t>(n.desc.data() - f.data()) - BUILDINFO_NOTE_HEADER_SIZE;
      SlotLocation slot = locate_slot_in_section(f, "PT_NOTE buildinfo", note_offset,
                                                 BUILDINFO_NOTE_HEADER_SIZE + n.desc.size(), h.endian);
      slot.target = slice.target;
      facts.slots.push_back(slot);
    }
  }
  return facts;
}

}  // namespace buildinfo::elf
