// Shared body of the per-format fuzz targets: scan a binary with one reader,
// then decode every slot it reports and compute its image digest.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "formats/binary_format.h"
#include "formats/image_digest.h"
#include "formats/slot_codec.h"
#include "support/byte_view.h"
#include "support/error.h"

namespace buildinfo::fuzz {

// Decodes the slot header and payload of `slot`; malformed slots throw Error.
inline void decode_slot(ByteView file, const SlotLocation& slot) {
  try {
    const ByteView bytes = file.sub(slot.slot_offset, slot.capacity, "slot");
    const SlotHeader header = decode_slot_header(bytes);
    (void)slot_payload(bytes, header);
    (void)slot_signature(bytes, header);
  } catch (const Error&) {
  }
}

// The image digest of `slot` by the image's plan; a plan the format refuses
// throws Error.
template <typename Image>
void digest_slot(ByteView file, const Image& image, const SlotLocation& slot) {
  try {
    (void)image_digest(file, image.digest_plan(slot));
  } catch (const Error&) {
  }
}

// The body every format target shares: when `matches` accepts the input,
// scans it into the format's Image (ElfImage, PeImage, MachOImage), then
// digests and decodes every slot found. Returns the image for the target's
// own further checks, or nothing when the reader does not take the input or
// refuses it (Error).
template <typename Image>
std::optional<Image> scan_and_check_slots(ByteView file, bool (*matches)(ByteView)) {
  if (!matches(file)) return std::nullopt;
  std::optional<Image> image;
  try {
    image.emplace(Image::scan(file));
  } catch (const Error&) {
    return std::nullopt;
  }
  for (const SlotLocation& slot : image->facts().slots) {
    digest_slot(file, *image, slot);
    decode_slot(file, slot);
  }
  return image;
}

}  // namespace buildinfo::fuzz
