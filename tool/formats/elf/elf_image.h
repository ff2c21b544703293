// The ELF reader (elf_image.cc): one parsed image per file, with its slots, its
// target and everything image.sha256 needs, read in the file's class and
// byte order once.
#pragma once

#include <string>
#include <vector>

#include "formats/binary_format.h"
#include "support/byte_view.h"

namespace buildinfo {

namespace elf {
// Whether the file starts with the ELF magic (then ElfImage::scan reads it).
bool matches(ByteView file);
}  // namespace elf

class ElfImage {
 public:
  // Reads the headers, the program and section headers and the PT_NOTE
  // segments once. Throws malformed() naming the defect.
  static ElfImage scan(ByteView file);

  const BinaryFacts& facts() const { return facts_; }

  // FORMAT.md, "The image digest", ELF: the header, the program header
  // table and every PT_LOAD, framed by offset and length, with the section
  // header fields of the ELF header zeroed.
  DigestPlan digest_plan(const SlotLocation& slot) const;

  // Nothing outside the slot depends on its bytes: no fix-ups.
  std::vector<FileRange> after_patch(MutableBytes /*file*/, const SlotLocation& /*slot*/) const { return {}; }

  // ELF carries no signature that writing a slot would break.
  std::string foreign_signature() const { return ""; }

 private:
  ElfImage() = default;

  BinaryFacts facts_;
  uint64_t header_size_ = 0;                   // by EI_CLASS, not e_ehsize
  FileRange program_header_table_{0, 0};       // (0, 0) without program headers
  std::vector<FileRange> loads_;               // every PT_LOAD's file bytes, in table order
  std::vector<FileRange> rewritten_by_strip_;  // e_shoff; e_shentsize, e_shnum, e_shstrndx
};

}  // namespace buildinfo
