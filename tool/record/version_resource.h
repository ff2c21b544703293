// The Windows version resource that buildinfo_stamp() reserves (FORMAT.md,
// "The Windows version resource"): which version resources are ours, and
// the in-place writes by which stamp fills ours from the record's facts.
// Explorer's Details tab, PowerShell's VersionInfo and GetFileVersionInfo
// read it; it is not signed, but image.sha256 covers it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "formats/binary_format.h"
#include "formats/pe/pe_version_info.h"
#include "record/payload.h"
#include "record/record_writer.h"

namespace buildinfo {

// The String whose presence in a StringTable makes the table ours: it
// stays after stamping (the reserved markers do not), so a stamped file
// is stamped again. Its value is written at build time and never changed.
constexpr const char* kVersionOwnerKey = "Buildinfo";
// What each reserved value starts with at build time, before stamp fills it.
constexpr const char* kVersionReservedMarker = "buildinfo-reserved";

// Whether `info` has a StringTable that buildinfo_stamp() generated.
bool is_reserved_version_info(const VersionInfo& info);

// "1.2.3-rc1" -> {1, 2, 3, 0}: the leading numeric components (at most 4,
// each at most 65535); a version that does not start with one gives zeros.
std::vector<uint16_t> numeric_version(const std::string& version);

// The writes that fill the reserved `info` of `resource` from `facts`: the
// fixed file and product versions, and in each of our StringTables
// FileVersion, ProductVersion, ProductName and SourceRevision ("<revision>
// dirty" or "<revision> clean"). Throws Error(bad_input) naming `file`, the
// resource and the field when a value does not fit its reserved room.
std::vector<PlainWrite> version_resource_writes(const VersionResource& resource, const VersionInfo& info,
                                                const Payload& facts, const std::string& file);

}  // namespace buildinfo
