// image.sha256: the digest that binds a record to its binary. It covers what
// the loader maps and survives the steps that legitimately follow stamping
// (strip, Authenticode signing, Mach-O re-signing). Each format states its
// rule as a DigestPlan (FORMAT.md, "The image digest"); this hashes one.
#pragma once

#include <string>

#include "formats/binary_format.h"
#include "support/byte_view.h"

namespace buildinfo {

// Lowercase hex SHA-256 of the byte stream `plan` takes from `file`. The
// slot always counts as zeros, so the digest is the same before and after
// stamping. Throws malformed() when the slot, a zeroed field or a range lies
// outside the file.
std::string image_digest(ByteView file, const DigestPlan& plan);

// Lowercase hex SHA-256 of `bytes` as they are (a whole file as on disk,
// a dependency inventory).
std::string sha256_hex(ByteView bytes);

}  // namespace buildinfo
