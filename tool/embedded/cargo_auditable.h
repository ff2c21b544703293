// cargo-auditable's dependency list (kind "cargo-auditable"): the section
// .dep-v0 (Mach-O: __DATA,.dep-v0) holds zlib-compressed JSON listing every
// package of the build. Format and schema:
// https://github.com/rust-secure-code/cargo-auditable/blob/master/PARSING.md
// and cargo-auditable.schema.json beside it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "embedded/embedded_record.h"
#include "formats/binary_format.h"
#include "support/byte_view.h"

namespace buildinfo {

// PARSING.md: "8 MiB should be more than enough to hold any legitimate
// audit data"; more is refused as a likely zip bomb.
constexpr uint64_t kCargoAuditableMaxJson = 8u << 20;

// The record of a .dep-v0 section's bytes, `source` naming the section.
// A defect (not zlib, more than the cap, not the schema's JSON, a package
// graph with two roots or a cycle) is the record's error; never throws.
EmbeddedRecord read_cargo_auditable(ByteView section, const std::string& source);

// One record per .dep-v0 section of every slice.
void add_cargo_auditable(ByteView file, const BinaryFacts& facts, std::vector<EmbeddedRecord>& out);

}  // namespace buildinfo
