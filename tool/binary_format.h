// What the format readers (ELF, PE, Mach-O) report about a binary: its target
// and where its slots are. Each reader exposes the same small entry points.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "byte_view.h"

namespace buildinfo {

// Target facts read from the binary's own headers, in OpenTelemetry's
// well-known values (os.type: linux, windows, darwin...; host.arch: amd64,
// arm64, x86, arm32...) and format: "elf", "pe" or "macho".
struct Target {
  std::string os;
  std::string arch;
  std::string format;
};

// One slot found in the file. For Mach-O universal files, one per slice.
struct SlotLocation {
  std::string section;      // e.g. ".note.buildinfo", "__DATA_CONST,__buildinfo"
  uint64_t section_offset;  // file offset of the section (the note header)
  uint64_t section_size;
  uint64_t slot_offset;     // file offset of the slot header (after the note header)
  uint64_t capacity;        // slot size in bytes, header included
  uint64_t slice_offset;    // Mach-O fat: the slice's file offset; else 0
  uint64_t slice_size;      // Mach-O fat: the slice's size; else the file size
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

struct BinaryFacts {
  std::string format;  // "elf", "pe", "macho" or "macho-universal"
  std::vector<Slice> slices;
  std::vector<SlotLocation> slots;
  std::optional<std::string> gnu_build_id;    // ELF NT_GNU_BUILD_ID, hex
  std::vector<std::string> compiler_comments;  // ELF .comment strings
};

namespace elf {
bool matches(ByteView file);
BinaryFacts scan(ByteView file);
}  // namespace elf

namespace pe {
bool matches(ByteView file);
BinaryFacts scan(ByteView file);
// The size of the certificate table (data directory 4), which holds the
// Authenticode signatures; 0 when the file has none.
uint32_t certificate_table_size(ByteView file);
// Recomputes the optional header CheckSum if it was non-zero; returns the
// ranges it rewrote.
std::vector<FileRange> after_patch(MutableBytes file);
}  // namespace pe

namespace macho {
bool matches(ByteView file);  // thin (32/64, either byte order) or fat
BinaryFacts scan(ByteView file);
// Recomputes the code-signature page hashes that overlap [offset, offset+length)
// in every CodeDirectory of the slice starting at slice_offset; returns the
// ranges it rewrote. All offsets are absolute file offsets.
std::vector<FileRange> after_patch(MutableBytes file, uint64_t slice_offset, uint64_t slice_size, uint64_t offset,
                                   uint64_t length);
}  // namespace macho

// Tries each reader in turn; throws Error(bad_input, "unknown file type") when
// none matches. Errors carry the defect only: callers prefix the file name.
BinaryFacts scan_binary(ByteView file);

// Runs the per-format fix-ups after the bytes of `slot` were rewritten;
// returns the ranges they rewrote (besides the slot).
std::vector<FileRange> after_patch(MutableBytes file, const BinaryFacts& facts, const SlotLocation& slot);

}  // namespace buildinfo
