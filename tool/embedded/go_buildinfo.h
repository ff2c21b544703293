// Go's build info (kind "go-buildinfo"): what `go version -m` prints, read
// from the 32-byte header that starts with "\xff Go buildinf:" and the two
// strings after it (the Go version and the module info). The layout is
// Go's own, documented only by its reader: src/debug/buildinfo/buildinfo.go
// and src/runtime/debug/mod.go in https://github.com/golang/go.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "embedded/embedded_record.h"
#include "formats/binary_format.h"
#include "support/byte_view.h"

namespace buildinfo {

// The offset of the first build info header in `data`, at a multiple of 16
// from its start as Go aligns it, or nothing.
std::optional<uint64_t> find_go_buildinfo_header(ByteView data);

// The record of the build info in `data` (a section's bytes; the header at
// a 16-byte boundary), `source` naming where they lie. A defect, or no
// header at all, is the record's error; never throws.
EmbeddedRecord read_go_buildinfo(ByteView data, const std::string& source);

// Every slice's build info: the section Go's linker names (.go.buildinfo,
// __DATA,__go_buildinfo), else the header searched in the data section
// (.data, __DATA,__data), where a file without the named section keeps it.
// A binary without either adds nothing.
void add_go_buildinfo(ByteView file, const BinaryFacts& facts, std::vector<EmbeddedRecord>& out);

}  // namespace buildinfo
