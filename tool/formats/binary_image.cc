// Dispatch to the format readers: try each in turn (as bloaty does), then
// hand every question to the image that took the file.
#include "formats/binary_image.h"

namespace buildinfo {

const BinaryFacts& BinaryImage::facts() const {
  return std::visit([](const auto& image) -> const BinaryFacts& { return image.facts(); }, image_);
}

DigestPlan BinaryImage::digest_plan(const SlotLocation& slot) const {
  return std::visit([&slot](const auto& image) { return image.digest_plan(slot); }, image_);
}

std::vector<FileRange> BinaryImage::after_patch(MutableBytes file, const SlotLocation& slot) const {
  return std::visit([&](const auto& image) { return image.after_patch(file, slot); }, image_);
}

std::string BinaryImage::foreign_signature() const {
  return std::visit([](const auto& image) { return image.foreign_signature(); }, image_);
}

BinaryImage scan_binary(ByteView file) {
  if (file.empty()) throw file.malformed("file is empty");
  if (elf::matches(file)) return BinaryImage(ElfImage::scan(file));
  if (pe::matches(file)) return BinaryImage(PeImage::scan(file));
  if (macho::matches(file)) return BinaryImage(MachOImage::scan(file));
  throw file.malformed("unknown file type (not an ELF, PE or Mach-O binary)");
}

}  // namespace buildinfo
