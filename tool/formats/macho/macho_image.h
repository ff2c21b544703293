// The Mach-O reader (macho_image.cc): one parsed image per file, thin or universal,
// made of one MachOSlice per architecture. A slice is read once, in its
// class and byte order: its slots, its target, its code signature (the
// CodeDirectories, whether a CMS signature is present), the image digest plan
// and the page-hash fix-up after stamping.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "formats/binary_format.h"
#include "support/byte_view.h"

namespace buildinfo {

namespace macho {
// Whether the file is a thin Mach-O (32/64-bit, either byte order) or a
// universal one (then MachOImage::scan reads it).
bool matches(ByteView file);
}  // namespace macho

// The result of recomputing the code page hashes of one CodeDirectory.
struct CodeDirectoryCheck {
  uint32_t slot_type = 0;         // 0, or 0x1000..0x1004 for alternates
  uint8_t hash_type = 0;          // 1 SHA-1, 2 SHA-256, 3 SHA-256/20, 4 SHA-384
  uint64_t page_count = 0;        // code pages covered by codeLimit
  uint64_t mismatched_pages = 0;  // pages whose stored hash differs
};

// Where a slice's embedded signature lives, for the image digest (FORMAT.md:
// the slice up to its code signature, with the fields that re-signing
// rewrites zeroed). All offsets are absolute file offsets.
struct SignatureLayout {
  bool present = false;      // LC_CODE_SIGNATURE found
  uint64_t data_offset = 0;  // the signature's first byte (dataoff)
  uint64_t data_size = 0;
  // {offset, length} of the header fields `codesign -f` rewrites when it
  // replaces the signature: LC_CODE_SIGNATURE dataoff and datasize, and the
  // __LINKEDIT segment's vmsize and filesize (the signature is its tail).
  std::vector<std::pair<uint64_t, uint64_t>> rewritten_fields;
};

class MachOSlice {
 public:
  // Reads the thin Mach-O at [offset, offset + size) of `file` and finds its
  // slots. Throws malformed() naming the defect, a damaged code signature
  // included.
  static MachOSlice read(ByteView file, uint64_t offset, uint64_t size);

  uint64_t offset() const { return offset_; }
  uint64_t size() const { return size_; }
  uint32_t cputype() const { return cputype_; }
  const Target& target() const { return target_; }
  const std::vector<SlotLocation>& slots() const { return slots_; }
  bool has_code_signature() const { return signature_.has_value(); }

  // True when the embedded signature holds a non-empty CMS blob
  // (CSSLOT_SIGNATURESLOT 0x10000): a Developer ID or other certificate-based
  // signature. Stamping keeps the page hashes right but invalidates the CMS
  // signature over the CodeDirectory, so stamp refuses such a slice (unless
  // --force, after which the user must sign again). False for unsigned and
  // ad-hoc signed slices.
  bool has_cms_signature() const { return has_cms_signature_; }

  SignatureLayout signature_layout() const;

  // FORMAT.md, "The image digest", Mach-O: the slice up to its code
  // signature, the fields that re-signing rewrites zeroed.
  DigestPlan digest_plan(const SlotLocation& slot) const;

  // Recomputes, in `file` (this slice's file, patched), the code page hashes
  // that overlap [offset, offset + length) in every CodeDirectory; returns
  // the ranges it rewrote. Offsets are absolute file offsets; pages are
  // counted from the start of the slice. Nothing to do when unsigned.
  std::vector<FileRange> update_page_hashes(MutableBytes file, uint64_t offset, uint64_t length) const;

  // Recomputes every code page hash of every CodeDirectory from `file` and
  // compares it with the stored one. Empty when the slice is not signed.
  std::vector<CodeDirectoryCheck> check_page_hashes(ByteView file) const;

 private:
  friend class MachOImage;

  struct Section {
    std::string segment;
    std::string name;
    uint64_t address;
    uint64_t offset;  // slice-relative
    uint64_t size;
    uint32_t flags;
  };
  struct SignatureRange {
    uint64_t offset;  // slice-relative (linkedit_data_command dataoff)
    uint64_t size;
    uint64_t command_offset;  // slice-relative offset of LC_CODE_SIGNATURE
  };
  struct LinkeditCommand {
    uint64_t offset;  // slice-relative offset of the __LINKEDIT segment command
    bool is64;        // LC_SEGMENT_64
  };
  struct CodeDirectory {
    uint32_t slot_type;
    uint8_t hash_type;
    uint64_t hash_size;
    uint64_t page_size;   // 0: one page up to codeLimit
    uint64_t code_limit;  // slice-relative end of the hashed range
    uint64_t page_count;
    uint64_t hashes_at;  // slice-relative offset of code slot 0's hash
  };

  MachOSlice() = default;
  // The header, the load commands and the code signature, without the slots.
  static MachOSlice parse(ByteView file, uint64_t offset, uint64_t size);
  static CodeDirectory read_code_directory(ByteView blob, uint32_t slot_type, uint64_t blob_offset,
                                           uint64_t signature_offset);
  void find_slots(ByteView file);

  uint64_t offset_ = 0;
  uint64_t size_ = 0;
  uint32_t cputype_ = 0;
  Endian endian_ = Endian::little;
  uint64_t load_commands_end_ = 0;  // header and load commands, slice-relative
  Target target_;
  std::vector<Section> sections_;
  std::vector<LoadCommandInfo> load_commands_;  // absolute offsets; slice index set by MachOImage
  std::optional<SignatureRange> signature_;
  std::optional<LinkeditCommand> linkedit_;
  std::vector<CodeDirectory> code_directories_;
  bool has_cms_signature_ = false;
  std::vector<SlotLocation> slots_;
};

class MachOImage {
 public:
  // Reads a thin or universal file, every slice once. Throws malformed()
  // naming the defect.
  static MachOImage scan(ByteView file);

  const BinaryFacts& facts() const { return facts_; }
  const std::vector<MachOSlice>& slices() const { return slices_; }
  // The slice that holds `slot`.
  const MachOSlice& slice_of(const SlotLocation& slot) const;

  DigestPlan digest_plan(const SlotLocation& slot) const { return slice_of(slot).digest_plan(slot); }
  // The page hashes over the slot, in the slice that holds it.
  std::vector<FileRange> after_patch(MutableBytes file, const SlotLocation& slot) const {
    return slice_of(slot).update_page_hashes(file, slot.slot_offset, slot.capacity);
  }
  // "has a certificate (CMS) code signature in its <arch> slice" for the
  // first slice with a slot that has one, which writing the slot
  // invalidates; else empty.
  std::string foreign_signature() const;

 private:
  MachOImage() = default;

  BinaryFacts facts_;
  std::vector<MachOSlice> slices_;
};

}  // namespace buildinfo
