// Mach-O build versions and UUIDs: the platform, minimum OS and SDK a
// linker wrote (LC_BUILD_VERSION, or the older LC_VERSION_MIN_* commands;
// kind "macho-build-version") and the image's UUID (LC_UUID; kind
// "macho-uuid"), one record per command and slice. The layouts are
// Apple's <mach-o/loader.h> (build_version_command, build_tool_version,
// version_min_command, uuid_command).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "embedded/embedded_record.h"
#include "formats/binary_format.h"
#include "support/byte_view.h"

namespace buildinfo {

// The record of one whole load command (`command`, cmdsize bytes, in the
// slice's byte order), `arch` naming its slice; nothing for a command that
// is none of these. A truncated command is the record's error; never throws.
std::optional<EmbeddedRecord> read_macho_build_command(ByteView command, bool big_endian, const std::string& arch);

// "X.Y.Z" of a version encoded as xxxx.yy.zz in nibbles (16.8.8 bits).
std::string macho_version(uint32_t encoded);

// Every slice's build version, version-min and UUID commands.
void add_macho_build_versions(ByteView file, const BinaryFacts& facts, std::vector<EmbeddedRecord>& out);

}  // namespace buildinfo
