// Dispatch to the format readers: try each in turn (as bloaty does), then
// hand every question to the image that took the file.
#include "formats/binary_image.h"

#include <cstring>

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

bool has_binary_magic(const uint8_t* head, size_t size) {
  if (size >= 4 && std::memcmp(head,
                               "\x7f"
                               "ELF",
                               4) == 0)
    return true;
  if (size >= 2 && head[0] == 'M' && head[1] == 'Z') return true;
  if (size < 4) return false;
  const uint32_t big = uint32_t{head[0]} << 24 | uint32_t{head[1]} << 16 | uint32_t{head[2]} << 8 | head[3];
  const uint32_t little = uint32_t{head[3]} << 24 | uint32_t{head[2]} << 16 | uint32_t{head[1]} << 8 | head[0];
  for (const uint32_t magic : {big, little})
    if (magic == 0xfeedface || magic == 0xfeedfacf) return true;
  if (big == 0xcafebabe || big == 0xcafebabf) {  // FAT_MAGIC, FAT_MAGIC_64: big-endian
    if (size < 8) return false;
    const uint32_t slices = uint32_t{head[4]} << 24 | uint32_t{head[5]} << 16 | uint32_t{head[6]} << 8 | head[7];
    return slices > 0 && slices < 45;
  }
  return false;
}

}  // namespace buildinfo
