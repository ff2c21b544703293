// What every format reader (elf_image.cc, pe_image.cc, macho_image.cc)
// reports about a binary, in one vocabulary: its format, its target, its
// slots and slices, and the plan by which image.sha256 hashes it. The names
// the record and `inspect` give the formats are spelled here, in
// binary_format.cc, and nowhere else.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "support/byte_view.h"

namespace buildinfo {

// The object format of one image (a thin file, or one slice of a universal
// file): the record's target.format.
enum class Format { elf, pe, macho };

// What the file as a whole is: inspect's binary.container.
enum class Container { elf, pe, macho, macho_universal };

// "elf", "pe", "macho": target.format in the record and in `inspect`.
const char* format_name(Format format);
// "elf", "pe", "macho", "macho-universal": binary.container in `inspect --json`.
const char* container_name(Container container);
// Where a binary of this kind would hold its slot ("without section
// .bldinfo"), for the message that it has none.
const char* missing_slot_detail(Container container);

// Target facts read from the binary's own headers, in OpenTelemetry's
// well-known values (os.type: linux, windows, darwin...; host.arch: amd64,
// arm64, x86, arm32...).
struct Target {
  std::string os;
  std::string arch;
  Format format = Format::elf;
};

// One slot found in the file. For Mach-O universal files, one per slice.
struct SlotLocation {
  std::string section;      // e.g. ".note.buildinfo", "__DATA_CONST,__buildinfo"
  uint64_t section_offset;  // file offset of the section (the note header)
  uint64_t section_size;
  uint64_t slot_offset;   // file offset of the slot header (after the note header)
  uint64_t capacity;      // slot size in bytes, header included
  uint64_t slice_offset;  // Mach-O fat: the slice's file offset; else 0
  uint64_t slice_size;    // Mach-O fat: the slice's size; else the file size
  Target target;
  // Why the program cannot read this slot at run time ("outside every
  // PT_NOTE segment"), or empty when it can. ELF: the runtime finds its slot through the PT_NOTE segments, so a
  // .note.buildinfo outside them (added by objcopy --add-section) is never
  // read. stamp refuses such a slot; inspect reports it.
  std::string not_loaded;
};

// One architecture slice of the file (a thin file has exactly one).
struct Slice {
  uint64_t offset;
  uint64_t size;
  Target target;
  bool has_code_signature = false;  // Mach-O LC_CODE_SIGNATURE present
};

// A UAPI.8 package note's JSON space (FORMAT.md, "The package note"): an
// ELF FDO note's desc, or a PE .pkgnote section's contents.
struct PackageNote {
  std::string where;  // ".note.package", "PT_NOTE package note" or ".pkgnote"
  FileRange json;     // the bytes that hold the NUL-terminated JSON and its padding
};

// A Windows version resource (RT_VERSION, FORMAT.md "The Windows version
// resource"): where its VS_VERSIONINFO bytes are in the file.
struct VersionResource {
  std::string where;  // "RT_VERSION 1, language 0409"
  FileRange bytes;
};

// The JSON space of a dependency inventory (FORMAT.md, "The dependency
// inventory"): an ELF buildinfo note's desc, a PE .bideps or a Mach-O
// __DATA_CONST,__bideps section's contents.
struct DependencySpace {
  std::string where;          // ".note.buildinfo.deps", ".bideps", "__DATA_CONST,__bideps"
  FileRange json;             // the bytes that hold the NUL-terminated JSON and its padding
  uint64_t slice_offset = 0;  // Mach-O fat: its slice's file offset (SlotLocation::slice_offset); else 0
};

// One section of one slice, for the readers of other tools' records
// (tool/embedded/): where its bytes are in the file and where they load.
struct SectionInfo {
  std::string name;  // ELF, PE: the section name; Mach-O: "segname,sectname"
  FileRange bytes;   // absolute file range; (0, 0) when it has no file bytes
  uint64_t address;  // ELF sh_addr, PE VirtualAddress (an RVA), Mach-O addr
  size_t slice = 0;  // index into BinaryFacts::slices
};

// One Mach-O load command (the header's cmd and the whole command, cmdsize
// long), in its slice's byte order.
struct LoadCommandInfo {
  uint32_t cmd;
  FileRange bytes;  // absolute file range
  size_t slice;     // index into BinaryFacts::slices
  bool big_endian;
};

struct BinaryFacts {
  Container container = Container::elf;
  std::vector<Slice> slices;
  std::vector<SlotLocation> slots;
  std::optional<std::string> gnu_build_id;         // ELF NT_GNU_BUILD_ID, hex
  std::vector<std::string> compiler_comments;      // ELF .comment strings
  std::vector<PackageNote> package_notes;          // ELF, PE: none in Mach-O
  std::vector<VersionResource> version_resources;  // PE only
  std::vector<DependencySpace> dependency_spaces;  // at most one per slice
  std::vector<SectionInfo> sections;               // every slice's, in table order
  std::vector<LoadCommandInfo> load_commands;      // Mach-O only
};

// How image.sha256 takes its byte stream from the file (FORMAT.md, "The
// image digest"): a format builds it from its parsed headers, and
// image_digest() hashes it without knowing the format.
struct DigestPlan {
  struct Range {
    uint64_t offset;
    uint64_t length;
    const char* what;  // names the range when it lies outside the file
  };
  // The ranges, in stream order. When `framed`, each is preceded by its
  // offset and its length (8 bytes each, little-endian), as ELF's rule says.
  std::vector<Range> ranges;
  bool framed = false;
  // The slot, and the fields that the steps after stamping rewrite: fed as
  // zero bytes wherever a range covers them.
  FileRange slot{0, 0};
  std::vector<FileRange> zeroed;
  // Zero bytes after the last range (PE: the padding that signing adds).
  uint64_t trailing_zeros = 0;
};

}  // namespace buildinfo
