// Version resources as inspect shows them (see pe_version_info.h).
#include "embedded/pe_version_info.h"

#include "formats/pe/pe_version_info.h"

namespace buildinfo {
namespace {

std::string dotted(uint32_t ms, uint32_t ls) {
  return std::to_string(ms >> 16) + "." + std::to_string(ms & 0xffff) + "." + std::to_string(ls >> 16) + "." +
         std::to_string(ls & 0xffff);
}

}  // namespace

EmbeddedRecord version_info_record(ByteView bytes, const std::string& where) {
  EmbeddedRecord record{"pe-version-info", where, nullptr, "", {}};
  try {
    const VersionInfo info = parse_version_info(bytes, 0);
    nlohmann::json data = {{"fixed", nullptr}, {"strings", nlohmann::json::object()}};
    if (info.fixed) {
      const FixedFileInfo& f = *info.fixed;
      data["fixed"] = {{"file_version", dotted(f.file_version_ms, f.file_version_ls)},
                       {"product_version", dotted(f.product_version_ms, f.product_version_ls)},
                       {"file_flags_mask", f.file_flags_mask},
                       {"file_flags", f.file_flags},
                       {"file_os", f.file_os},
                       {"file_type", f.file_type},
                       {"file_subtype", f.file_subtype}};
      record.lines.emplace_back("file version", data["fixed"]["file_version"]);
      record.lines.emplace_back("product version", data["fixed"]["product_version"]);
    }
    for (const VersionStringTable& table : info.tables) {
      nlohmann::json& strings = data["strings"][table.key];
      strings = nlohmann::json::object();
      for (const VersionString& s : table.strings) {
        strings[s.key] = s.value;
        record.lines.emplace_back(s.key, s.value);
      }
    }
    record.data = std::move(data);
  } catch (const Error& e) {
    record.error = e.defect();
  }
  return record;
}

void add_version_resources(ByteView file, const BinaryFacts& facts, std::vector<EmbeddedRecord>& out) {
  for (const VersionResource& resource : facts.version_resources)
    out.push_back(version_info_record(file.sub(resource.bytes.offset, resource.bytes.length, "version resource"),
                                      resource.where));
}

}  // namespace buildinfo
