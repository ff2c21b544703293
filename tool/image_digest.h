// image.sha256: the digest that binds a record to its binary. It covers what
// the loader maps and survives the steps that legitimately follow stamping
// (strip, Authenticode signing, Mach-O re-signing). Rules in FORMAT.md.
#pragma once

#include <string>

#include "binary_format.h"

namespace buildinfo {

// Lowercase hex SHA-256 of the image of the slice that holds `slot`, per the
// format's rule. The slot bytes [slot_offset, slot_offset + capacity) always
// count as zeros, so the digest is the same before and after stamping.
// Throws malformed() on structures it cannot walk.
std::string image_digest(ByteView file, const BinaryFacts& facts, const SlotLocation& slot);

}  // namespace buildinfo
