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
// `fd`, when given, is open on the file that `file` maps: large ranges are
// then read from it into a small buffer rather than hashed from the
// mapping. The kernel copies them through its own mapping of memory, in
// huge pages; the pages of a file that was just written are mapped to a
// process 4 KB at a time, and hashing them in place costs a TLB miss every
// 4 KB (100 MB: 91 ms against 71 ms here, docs/PERFORMANCE.md).
std::string image_digest(ByteView file, const DigestPlan& plan, int fd = -1);

// Lowercase hex SHA-256 of `bytes` as they are (a whole file as on disk,
// a dependency inventory).
std::string sha256_hex(ByteView bytes);

}  // namespace buildinfo
