// The package note's JSON and its encoding (see package_note.h).
#include "record/package_note.h"

#include <algorithm>
#include <cstring>

#include <nlohmann/json.hpp>

#include "buildinfo/slot_layout.h"
#include "support/error.h"

namespace buildinfo {

std::string package_note_json(const Payload& record, const std::string& type) {
  // UAPI.8's well-known keys, with commit and sourceRepo as syft reads them.
  static const std::pair<const char*, const char*> kKeys[] = {
      {"name", "project.name"}, {"version", "project.version"}, {"architecture", "target.arch"},
      {"os", "target.os"},      {"commit", "vcs.revision"},     {"sourceRepo", "vcs.repository.url"},
  };
  nlohmann::json note = nlohmann::json::object();
  note["type"] = type;
  for (const auto& [note_key, record_key] : kKeys) {
    const auto it = record.find(record_key);
    if (it != record.end() && !it->second.empty()) note[note_key] = it->second;
  }
  return note.dump();
}

bool is_reserved_package_note(ByteView file, const PackageNote& note) {
  const ByteView bytes = file.sub(note.json.offset, note.json.length, "package note");
  const uint8_t* begin = bytes.data();
  const uint8_t* end = begin + bytes.size();
  const uint8_t* nul = std::find(begin, end, uint8_t{0});
  if (nul == end || static_cast<uint64_t>(end - nul - 1) < BUILDINFO_PACKAGE_NOTE_SLACK) return false;
  return std::all_of(nul, end, [](uint8_t b) { return b == 0; });
}

std::string package_note_text(ByteView file, const PackageNote& note) {
  const ByteView bytes = file.sub(note.json.offset, note.json.length, "package note");
  const char* begin = reinterpret_cast<const char*>(bytes.data());
  return std::string(begin, std::find(begin, begin + bytes.size(), '\0'));
}

nlohmann::json package_note_metadata(const std::string& text) {
  nlohmann::json metadata = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  return !metadata.is_discarded() && metadata.is_object() ? metadata : nlohmann::json(nullptr);
}

std::vector<uint8_t> encode_package_note(const PackageNote& note, const std::string& json, const std::string& file) {
  const uint64_t needed = json.size() + 1 + BUILDINFO_PACKAGE_NOTE_SLACK;
  if (needed > note.json.length)
    throw Error(ErrorKind::bad_input, file,
                "package note needs " + std::to_string(needed) + " bytes but " + note.where + " holds " +
                    std::to_string(note.json.length) +
                    "; raise buildinfo_stamp's PACKAGE_NOTE_SIZE or stamp with --no-package-note");
  std::vector<uint8_t> bytes(note.json.length, 0);
  std::memcpy(bytes.data(), json.data(), json.size());
  return bytes;
}

}  // namespace buildinfo
