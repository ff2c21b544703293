// Whether a file carries a buildinfo record, judged from its bytes alone,
// for files whose headers no longer lead to it. `verify` uses it to tell a
// damaged signed binary (a failed verification) from input that never had
// a record (README.md, "Exit codes").
#pragma once

#include <cstdint>
#include <optional>

#include "support/byte_view.h"

namespace buildinfo {

// The file offset of the first slot in `file` that is not empty, or nothing.
// A slot is recognised by its note header (namesz 10, type "BINF" in either
// byte order, name "buildinfo") or by its own header (magic, version 1,
// header size 64), so that damage to one of them still finds it; its
// capacity (the smaller of the note's descsz and the slot's capacity field
// that lie between 256 bytes and 1 MiB) must lie inside the file, and some byte after the capacity field
// must be nonzero (an empty slot, as linked, is zero there). Scans the file
// once; never throws.
std::optional<uint64_t> find_nonempty_slot(ByteView file);

}  // namespace buildinfo
