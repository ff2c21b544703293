// One scanned binary, whatever its format: the parsed image of the format
// reader that took it (ElfImage, PeImage or MachOImage), behind the few
// entry points the commands use. Nothing outside the format readers needs
// to know which format it is.
#pragma once

#include <string>
#include <variant>
#include <vector>

#include "formats/binary_format.h"
#include "formats/elf/elf_image.h"
#include "formats/macho/macho_image.h"
#include "formats/pe/pe_image.h"
#include "support/byte_view.h"

namespace buildinfo {

// Whether a file that starts with `head` (its first bytes, at least 8 when
// it has them) may be a binary of a format this tool reads: ELF's
// \x7fELF, PE's MZ, a thin Mach-O magic in either byte order, or a
// universal header with few slices (Java's class files share its
// 0xcafebabe, followed by a version of 45 or more). The cheap test before
// a file is mapped and scanned.
bool has_binary_magic(const uint8_t* head, size_t size);

class BinaryImage {
 public:
  using Formats = std::variant<ElfImage, PeImage, MachOImage>;
  explicit BinaryImage(Formats image) : image_(std::move(image)) {}

  // Its target, slots and slices.
  const BinaryFacts& facts() const;

  // The byte stream image.sha256 hashes for `slot` (FORMAT.md, "The image
  // digest"). Throws malformed() when the format's rule refuses the file.
  DigestPlan digest_plan(const SlotLocation& slot) const;

  // Runs the format's fix-ups after the bytes of `slot` were rewritten in
  // `file` (a copy of this image): the PE CheckSum, the Mach-O page hashes.
  // Returns the ranges they rewrote (besides the slot).
  std::vector<FileRange> after_patch(MutableBytes file, const SlotLocation& slot) const;

  // A clause for messages ("has an Authenticode signature ...") naming a
  // signature by others that writing a slot would break, or empty: a PE's
  // certificate table, a Mach-O slice's CMS signature. Ad-hoc Mach-O
  // signatures are not in this list: after_patch brings them up to date.
  std::string foreign_signature() const;

 private:
  Formats image_;
};

// Tries each reader in turn (as bloaty does); throws Error(bad_input,
// "unknown file type") when none matches. Errors carry the defect only:
// callers prefix the file name.
BinaryImage scan_binary(ByteView file);

}  // namespace buildinfo
