// Fuzz target: the readers of other tools' records (tool/embedded/), which
// never throw: each gives a record, its error set for a defect. The input
// goes to each pure core as the bytes it reads (a Go build info section, a
// cargo-auditable .dep-v0 section, a Mach-O load command in both byte
// orders, a VS_VERSIONINFO), and, when it is a binary one of the format
// readers takes, to read_embedded_records over the whole file. Every record
// must have data or an error, and its text lines must be valid UTF-8 once
// printable() has seen them.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "embedded/cargo_auditable.h"
#include "embedded/embedded_records.h"
#include "embedded/go_buildinfo.h"
#include "embedded/macho_build_version.h"
#include "embedded/pe_version_info.h"
#include "formats/binary_image.h"
#include "support/byte_view.h"
#include "support/error.h"

namespace {

void check(const buildinfo::EmbeddedRecord& record) {
  if (record.error.empty() && record.data.is_null()) __builtin_trap();  // neither data nor a defect
  // Valid UTF-8 throughout, or dump() throws, which is a finding.
  (void)record.data.dump(-1, ' ', true, nlohmann::json::error_handler_t::strict);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace buildinfo;
  const ByteView bytes(data, size);
  // The readers never throw: an exception from them is a finding.
  check(read_go_buildinfo(bytes, "fuzz"));
  check(read_cargo_auditable(bytes, "fuzz"));
  for (const bool big_endian : {false, true})
    if (const auto record = read_macho_build_command(bytes, big_endian, "arm64")) check(*record);
  check(version_info_record(bytes, "fuzz"));
  if (!has_binary_magic(data, size)) return 0;
  std::optional<BinaryImage> image;
  try {
    image.emplace(scan_binary(bytes));
  } catch (const Error&) {
    return 0;  // a malformed binary, refused by its format reader
  }
  for (const EmbeddedRecord& record : read_embedded_records(bytes, image->facts())) check(record);
  return 0;
}
