#include "embedded/embedded_records.h"

#include <functional>

#include "embedded/cargo_auditable.h"
#include "embedded/go_buildinfo.h"
#include "embedded/macho_build_version.h"
#include "embedded/pe_version_info.h"
#include "record/package_note.h"

namespace buildinfo {
namespace {

// UAPI.8 package notes, whoever wrote them: the object when the text is
// one, else the text as the data and the defect.
void add_package_notes(ByteView file, const BinaryFacts& facts, std::vector<EmbeddedRecord>& out) {
  for (const PackageNote& note : facts.package_notes) {
    EmbeddedRecord record{"package-note", note.where, nullptr, "", {}};
    const std::string text = package_note_text(file, note);
    const nlohmann::json metadata = package_note_metadata(text);
    if (!metadata.is_null()) {
      record.data = metadata;
      for (const auto& [key, value] : metadata.items())
        record.lines.emplace_back(key, value.is_string() ? value.get<std::string>() : value.dump());
    } else if (text.empty()) {
      record.error = "the note is empty (reserved, not filled)";
    } else {
      record.error = "the note's text is not a JSON object";
      record.lines.emplace_back("text", text);
    }
    out.push_back(std::move(record));
  }
}

void add_linker_identifiers(const BinaryFacts& facts, std::vector<EmbeddedRecord>& out) {
  if (facts.gnu_build_id)
    out.push_back(EmbeddedRecord{"gnu-build-id",
                                 "NT_GNU_BUILD_ID",
                                 {{"build_id", *facts.gnu_build_id}},
                                 "",
                                 {{"build-id", *facts.gnu_build_id}}});
  if (!facts.compiler_comments.empty()) {
    EmbeddedRecord record{"elf-comment", ".comment", {{"strings", facts.compiler_comments}}, "", {}};
    for (const std::string& comment : facts.compiler_comments) record.lines.emplace_back("comment", comment);
    out.push_back(std::move(record));
  }
}

// A reader that hit a defect it could not attribute to one record
// (ByteView's bounds checks throw): one record of its kind with the defect.
void guarded(const char* kind, std::vector<EmbeddedRecord>& out, const std::function<void()>& read) {
  try {
    read();
  } catch (const Error& e) {
    out.push_back(EmbeddedRecord{kind, "", nullptr, e.defect(), {}});
  }
}

}  // namespace

std::vector<EmbeddedRecord> read_embedded_records(ByteView file, const BinaryFacts& facts) {
  std::vector<EmbeddedRecord> out;
  guarded("package-note", out, [&] { add_package_notes(file, facts, out); });
  // Other tools' records: one reader per kind, in tool/embedded/.
  guarded("go-buildinfo", out, [&] { add_go_buildinfo(file, facts, out); });
  guarded("cargo-auditable", out, [&] { add_cargo_auditable(file, facts, out); });
  guarded("macho-build-version", out, [&] { add_macho_build_versions(file, facts, out); });
  guarded("pe-version-info", out, [&] { add_version_resources(file, facts, out); });
  add_linker_identifiers(facts, out);
  return out;
}

}  // namespace buildinfo
