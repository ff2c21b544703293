// The UAPI.8 package note (FORMAT.md, "The package note"): the JSON that
// stamp writes from the record's facts, and the note space it writes it
// into. readelf -n, systemd-analyze inspect-elf, systemd-coredump and
// scanners read it; it is not signed, but image.sha256 covers it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "formats/binary_format.h"
#include "record/payload.h"
#include "support/byte_view.h"

namespace buildinfo {

constexpr const char* kDefaultPackageType = "buildinfo";

// {"architecture":...,"commit":...,"name":...,"os":...,"sourceRepo":...,
// "type":...,"version":...} from the record's facts; absent facts are left
// out. Keys and values as UAPI.8 and syft name them.
std::string package_note_json(const Payload& record, const std::string& type);

// Whether `note` is a note reserved for stamp to fill: its JSON's NUL is
// followed by at least BUILDINFO_PACKAGE_NOTE_SLACK zero bytes, and only
// zeros. A note a linker wrote (--package-metadata) ends at its NUL.
bool is_reserved_package_note(ByteView file, const PackageNote& note);

// The note's text: its bytes up to the first NUL, as the file holds them
// (its readers' JSON, or anything a damaged or foreign note holds).
std::string package_note_text(ByteView file, const PackageNote& note);

// The object a note's text holds, or null when the text is no JSON object.
nlohmann::json package_note_metadata(const std::string& text);

// The bytes that fill `note` with `json`: the JSON, its NUL, zeros. Throws
// Error(bad_input) naming `file` when it does not fit with the slack kept.
std::vector<uint8_t> encode_package_note(const PackageNote& note, const std::string& json, const std::string& file);

}  // namespace buildinfo
