// Windows version resources (RT_VERSION), whoever wrote them: the fixed
// file and product versions and every StringTable's strings, kind
// "pe-version-info". The parsing is formats/pe/pe_version_info's, which
// stamp uses too.
#pragma once

#include <string>
#include <vector>

#include "embedded/embedded_record.h"
#include "formats/binary_format.h"
#include "support/byte_view.h"

namespace buildinfo {

// The record of the VS_VERSIONINFO in `bytes`, found at `where`: data
// {"fixed": {...}, "strings": {"040904b0": {...}}}, or the defect. Never
// throws for a defect of the bytes.
EmbeddedRecord version_info_record(ByteView bytes, const std::string& where);

// One record per version resource the PE reader found.
void add_version_resources(ByteView file, const BinaryFacts& facts, std::vector<EmbeddedRecord>& out);

}  // namespace buildinfo
